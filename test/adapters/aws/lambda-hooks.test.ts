import { createHmac } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHookRunner } from '#adapters/aws/lambda-hooks.ts';
import { SecretUnavailableError, type SecretValues } from '#adapters/aws/secrets-manager.ts';
import { WebhookAddressRefusedError } from '#adapters/webhook/public-addresses.ts';
import type { WebhookRequest, WebhookTransport } from '#adapters/webhook/transport.ts';
import type { HookCall } from '#core/ports.ts';
import type { CalledHook } from '#core/shapes.ts';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const call: HookCall = {
  releaseId: 'orders-v2',
  service: 'orders',
  version: 'v2',
  phase: 'rollout',
  step: 1,
  targets: [
    { name: 'orders-v1', weight: 75 },
    { name: 'orders-v2', weight: 25 },
  ],
};
const fn: CalledHook = { name: 'smoke', phase: 'rollout', type: 'lambda', functionName: 'orders-smoke' };
const web: CalledHook = {
  name: 'load',
  phase: 'rollout',
  type: 'webhook',
  url: 'https://checks.example.com/load',
  timeout: 10,
  retries: 1,
};
/** A payload as the SDK hands it over (its blob adapter is a Uint8Array with helpers). */
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
const runner = (webhook: WebhookTransport = async () => ({ status: 200, body: '', truncated: false })) =>
  createHookRunner(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }), { webhook });

describe('Lambda hooks', () => {
  it('invokes the function with the call and takes its answer', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ Payload: encode({ result: 'fail', reason: '3 of 12 smoke tests failed' }) });
    expect(await runner().run(fn, call)).toEqual({ result: 'fail', reason: '3 of 12 smoke tests failed' });
    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe('orders-smoke');
    expect(input?.InvocationType).toBe('RequestResponse');
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual(call);
  });

  it('fails a function that threw, answered something else, or could not be invoked, saying why', async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ FunctionError: 'Unhandled', Payload: encode({ errorMessage: 'boom' }) });
    expect((await runner().run(fn, call)).reason).toBe(
      'orders-smoke failed (Unhandled): {"errorMessage":"boom"}',
    );
    lambda.reset();
    lambda.on(InvokeCommand).resolves({ Payload: encode({ ok: true }) });
    expect(await runner().run(fn, call)).toEqual({
      result: 'fail',
      reason:
        'orders-smoke answered {"ok":true}; a hook answers {"result": "pass" | "fail", "reason": "..."}',
    });
    lambda.reset();
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    expect((await runner().run(fn, call)).reason).toBe(
      'invoking orders-smoke failed with TooManyRequestsException: Rate exceeded',
    );
  });
});

describe('webhook hooks', () => {
  it('passes on 2xx, with the reason the body gives', async () => {
    const sent: string[] = [];
    const answer = await runner(async ({ body }) => {
      sent.push(body);
      return { status: 204, body: '{"reason":"load is fine"}', truncated: false };
    }).run(web, call);
    expect(answer).toEqual({ result: 'pass', reason: 'load is fine' });
    expect(JSON.parse(sent[0] ?? '')).toEqual(call);
  });

  it('asks again after a 5xx or a timeout, up to its retries, and not after a 4xx', async () => {
    let calls = 0;
    const flaky = await runner(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('slow'), { name: 'TimeoutError' });
      return { status: 200, body: '', truncated: false };
    }).run(web, call);
    expect(flaky.result).toBe('pass');
    expect(calls).toBe(2);
    calls = 0;
    const refused = await runner(async () => {
      calls++;
      return { status: 403, body: '{"reason":"no token"}', truncated: false };
    }).run(web, call);
    expect(refused).toEqual({
      result: 'fail',
      reason: 'https://checks.example.com/load answered 403: no token',
    });
    expect(calls).toBe(1);
    const down = await runner(async () => {
      throw Object.assign(new Error('slow'), { name: 'TimeoutError' });
    }).run(web, call);
    expect(down).toEqual({
      result: 'fail',
      reason: 'https://checks.example.com/load did not answer within 10s',
    });
  });
});

describe('webhook reasons', () => {
  const secretUrl = 'https://hooks.example.com/load?token=s3cr3t-t0ken#frag';
  const tokenHook: CalledHook = { ...web, url: secretUrl, retries: 0 };

  it.each<[string, WebhookTransport, string]>([
    [
      'a refusal',
      async () => ({ status: 403, body: 'forbidden', truncated: false }),
      'https://hooks.example.com/load?…#… answered 403: forbidden',
    ],
    [
      'a timeout',
      async () => {
        throw Object.assign(new Error(`${secretUrl} timed out`), { name: 'TimeoutError' });
      },
      'https://hooks.example.com/load?…#… did not answer within 10s',
    ],
    [
      'an error quoting the URL',
      async () => {
        throw new Error(`request to https://deploy:hunter2@hooks.example.com/load?token=s3cr3t-t0ken failed`);
      },
      'https://hooks.example.com/load?…#… could not be reached: request to https://hooks.example.com/load?… failed',
    ],
    [
      'a redirect',
      async () => ({ status: 302, body: '', truncated: false }),
      "https://hooks.example.com/load?…#… answered 302, a redirect; stepshift follows no redirects, so give the hook's final URL",
    ],
    [
      'a pass without words',
      async () => ({ status: 200, body: '', truncated: false }),
      'https://hooks.example.com/load?…#… answered 200',
    ],
  ])('never carry the URL unredacted: %s', async (_, transport, reason) => {
    const answer = await runner(transport).run(tokenHook, call);
    expect(answer.reason).toBe(reason);
    expect(answer.reason).not.toContain('s3cr3t');
    expect(answer.reason).not.toContain('hunter2');
  });

  it('quote what the receiver said only as a short, printable excerpt', async () => {
    const said = `overloaded\n\u001b[2J\u202e${'x'.repeat(5000)}`;
    const answer = await runner(async () => ({
      status: 429,
      body: JSON.stringify({ reason: said }),
      truncated: false,
    })).run(web, call);
    expect(answer.reason).toBe(
      `https://checks.example.com/load answered 429: overloaded [2J ${'x'.repeat(185)}...`,
    );
  });

  it('fail at once, calling nothing, when the host resolves inside', async () => {
    let calls = 0;
    const answer = await runner(async () => {
      calls++;
      throw new WebhookAddressRefusedError(
        'hooks.example.com resolves to 10.0.0.7, a private address (RFC 1918); stepshift calls only public addresses',
      );
    }).run({ ...web, url: secretUrl }, call);
    expect(answer).toEqual({
      result: 'fail',
      reason:
        'https://hooks.example.com/load?…#… was not called: hooks.example.com resolves to 10.0.0.7, a private address (RFC 1918); stepshift calls only public addresses',
    });
    expect(calls).toBe(1);
  });
});

describe('webhook secrets', () => {
  const NOW = new Date('2026-01-01T00:00:00Z');
  const secrets = (values: Record<string, string>): SecretValues => ({
    value: async (id) => {
      const value = values[id];
      if (value === undefined)
        throw new SecretUnavailableError(`could not read secret ${id}: AccessDeniedException`);
      return value;
    },
  });
  const signed = (secret: Record<string, unknown>): CalledHook => ({
    ...web,
    secret: { sign: true, ...secret } as never,
  });
  const capture = () => {
    const sent: WebhookRequest[] = [];
    const transport: WebhookTransport = async (request) => {
      sent.push(request);
      return { status: 200, body: '', truncated: false };
    };
    return { sent, transport };
  };
  const runnerWith = (transport: WebhookTransport, values: Record<string, string>) =>
    createHookRunner(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }), {
      webhook: transport,
      secrets: secrets(values),
      now: () => NOW,
    });

  it('sign the body with the secret: t=<unix>,v1=<HMAC-SHA256 of "<t>.<body>">', async () => {
    const { sent, transport } = capture();
    await runnerWith(transport, { 'orders-hooks': 'whsec_k3y' }).run(
      signed({ secretId: 'orders-hooks' }),
      call,
    );
    const [request] = sent;
    const t = NOW.getTime() / 1000;
    const v1 = createHmac('sha256', 'whsec_k3y').update(`${t}.${request?.body}`).digest('hex');
    expect(request?.headers).toEqual({ 'X-Stepshift-Signature': `t=${t},v1=${v1}` });
  });

  it('send a header from the secret, and both from a JSON secret', async () => {
    const { sent, transport } = capture();
    const run = runnerWith(transport, {
      token: 'Bearer abc123',
      both: JSON.stringify({ signingKey: 'whsec_k3y', headerValue: 'Bearer abc123' }),
    });
    await run.run(signed({ secretId: 'token', sign: false, header: 'Authorization' }), call);
    await run.run(signed({ secretId: 'both', header: 'Authorization' }), call);
    expect(sent[0]?.headers).toEqual({ Authorization: 'Bearer abc123' });
    expect(Object.keys(sent[1]?.headers ?? {})).toEqual(['X-Stepshift-Signature', 'Authorization']);
    expect(sent[1]?.headers.Authorization).toBe('Bearer abc123');
  });

  it("hide the URL's token and the secret when the receiver echoes them", async () => {
    const hook: CalledHook = {
      ...web,
      url: 'https://hooks.example.com/load?token=s3cr3t-t0ken',
      retries: 0,
      secret: { secretId: 'token', sign: false, header: 'Authorization' },
    };
    const answer = await runnerWith(
      async () => ({
        status: 401,
        body: 'Cannot POST /load?token=s3cr3t-t0ken with Authorization: Bearer abc123-expired',
        truncated: false,
      }),
      { token: 'Bearer abc123-expired' },
    ).run(hook, call);
    expect(answer.reason).toBe(
      'https://hooks.example.com/load?… answered 401: Cannot POST /load?… with Authorization: …',
    );
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
    [
      'a secret it cannot read',
      { secretId: 'missing' },
      {},
      'https://checks.example.com/load was not called: could not read secret missing: AccessDeniedException',
    ],
    [
      'one value asked to sign and to go in a header',
      { secretId: 'plain', header: 'Authorization' },
      { plain: 'whsec_k3y' },
      'https://checks.example.com/load was not called: secret plain holds one value, but the hook both signs and sends Authorization; store {"signingKey": "...", "headerValue": "..."} in it, so the signing key never travels in a header',
    ],
    [
      'a header value that would split the request',
      { secretId: 'crlf', sign: false, header: 'Authorization' },
      { crlf: 'Bearer abc\r\nX-Admin: 1' },
      'https://checks.example.com/load was not called: secret crlf holds a value Authorization cannot carry (a line break or another control character); store it on one line',
    ],
  ])('fail without calling for %s, never quoting the value', async (_, secret, values, reason) => {
    const { sent, transport } = capture();
    const answer = await runnerWith(transport, values).run(signed(secret), call);
    expect(answer).toEqual({ result: 'fail', reason });
    expect(sent).toEqual([]);
    for (const value of Object.values(values)) expect(answer.reason).not.toContain(value);
  });
});
