import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHookRunner, type WebhookTransport } from '#adapters/aws/lambda-hooks.ts';
import type { CalledHook, HookCall } from '#core/hooks.ts';

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
  timeout: '10s',
  retries: 1,
};
/** A payload as the SDK hands it over (its blob adapter is a Uint8Array with helpers). */
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;
const runner = (webhook: WebhookTransport = async () => ({ status: 200, body: '' })) =>
  createHookRunner(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }), webhook);

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
    const answer = await runner(async (_h, body) => {
      sent.push(body);
      return { status: 204, body: '{"reason":"load is fine"}' };
    }).run(web, call);
    expect(answer).toEqual({ result: 'pass', reason: 'load is fine' });
    expect(JSON.parse(sent[0] ?? '')).toEqual(call);
  });

  it('asks again after a 5xx or a timeout, up to its retries, and not after a 4xx', async () => {
    let calls = 0;
    const flaky = await runner(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('slow'), { name: 'TimeoutError' });
      return { status: 200, body: '' };
    }).run(web, call);
    expect(flaky.result).toBe('pass');
    expect(calls).toBe(2);
    calls = 0;
    const refused = await runner(async () => {
      calls++;
      return { status: 403, body: '{"reason":"no token"}' };
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
