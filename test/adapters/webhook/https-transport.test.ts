import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createHookRunner } from '#adapters/aws/lambda-hooks.ts';
import { createHttpsTransport } from '#adapters/webhook/https-transport.ts';
import { type Resolver, WebhookAddressRefusedError } from '#adapters/webhook/public-addresses.ts';
import { MAX_ANSWER_BYTES, type WebhookRequest } from '#adapters/webhook/transport.ts';
import type { HookCall } from '#core/ports.ts';
import { addressProblem } from '#core/public-address.ts';
import type { WebhookHook } from '#core/shapes.ts';

/**
 * The transport against servers on this machine's loopback. Loopback is what the address policy
 * refuses, so these tests let 127.0.0.1 through (and only it), resolve their made-up host names to
 * it with an injected resolver, and speak plain http to it; everything else is the real transport.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function serve(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

const loopbackOnly = (address: string) => (address === '127.0.0.1' ? undefined : addressProblem(address));
const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
const transport = (resolve: Resolver = toLoopback) =>
  createHttpsTransport({
    resolve,
    addressProblem: loopbackOnly,
    client: { protocol: 'http:', request: http.request },
  });
const request = (url: string, fields: Partial<WebhookRequest> = {}): WebhookRequest => ({
  hook: 'load',
  url,
  headers: {},
  body: '{"phase":"rollout"}',
  timeoutSeconds: 5,
  ...fields,
});

const call: HookCall = {
  releaseId: 'orders-v2',
  service: 'orders',
  version: 'v2',
  phase: 'rollout',
  step: 1,
  targets: [{ name: 'orders-v2', weight: 10 }],
};
const hookAt = (url: string): WebhookHook => ({
  name: 'load',
  phase: 'rollout',
  type: 'webhook',
  url,
  timeout: 5,
  retries: 2,
});
const runnerOver = (resolve: Resolver = toLoopback) =>
  createHookRunner(new LambdaClient({ region: 'us-east-1' }), { webhook: transport(resolve) });

describe('the webhook transport', () => {
  it('POSTs the body to the checked address, resolving the host once and never again', async () => {
    const seen: { method?: string; body: string; type?: string }[] = [];
    const port = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, body, type: req.headers['content-type'] });
        res.end('{"reason":"fine"}');
      });
    });
    let resolutions = 0;
    // The name exists nowhere: only the pinned lookup can connect it, so nothing resolves it again.
    const answer = await transport(async (host) => {
      resolutions++;
      expect(host).toBe('hooks.rebinding.invalid');
      return [{ address: '127.0.0.1', family: 4 }];
    })(request(`http://hooks.rebinding.invalid:${port}/load`));
    expect(answer).toEqual({ status: 200, body: '{"reason":"fine"}', truncated: false });
    expect(resolutions).toBe(1);
    expect(seen).toEqual([{ method: 'POST', body: '{"phase":"rollout"}', type: 'application/json' }]);
  });

  it('refuses a host any of whose addresses is internal, before connecting', async () => {
    let requests = 0;
    const port = await serve((_req, res) => {
      requests++;
      res.end();
    });
    const call = transport(async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ])(request(`http://hooks.example.com:${port}/`));
    await expect(call).rejects.toThrow(WebhookAddressRefusedError);
    await expect(call).rejects.toThrow(
      'hooks.example.com resolves to 169.254.169.254, the EC2 instance metadata service (169.254.169.254); stepshift calls only public addresses',
    );
    // The policy itself, not the test's: loopback is refused for every host, literal or resolved.
    const real = createHttpsTransport({
      resolve: toLoopback,
      client: { protocol: 'http:', request: http.request },
    });
    await expect(real(request(`http://hooks.example.com:${port}/`))).rejects.toThrow(
      'hooks.example.com resolves to 127.0.0.1, a loopback address (127.0.0.0/8); stepshift calls only public addresses',
    );
    await expect(real(request(`http://127.0.0.1:${port}/`))).rejects.toThrow(
      '127.0.0.1 is a loopback address (127.0.0.0/8); stepshift calls only public addresses',
    );
    expect(requests).toBe(0);
  });

  it('calls https only', async () => {
    await expect(createHttpsTransport()(request('http://hooks.example.com/x?token=s3cr3t'))).rejects.toThrow(
      'http://hooks.example.com/x?… is not an https:// URL',
    );
  });

  it('follows no redirect: a 307 to an internal address is the answer, and nothing goes there', async () => {
    let internal = 0;
    const inside = await serve((_req, res) => {
      internal++;
      res.end('{"keys":["AKIA..."]}');
    });
    const port = await serve((_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${inside}/admin/keys` });
      res.end('moved');
    });
    const url = `http://hooks.example.com:${port}/load`;
    expect(await transport()(request(url))).toEqual({ status: 307, body: '', truncated: false });
    const result = await runnerOver().run(hookAt(url), call);
    expect(result).toEqual({
      result: 'fail',
      reason: `${url} answered 307, a redirect; stepshift follows no redirects, so give the hook's final URL`,
    });
    expect(internal).toBe(0);
  });

  it('reads at most 64 KiB of an endless answer and cuts the call there', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const limit = 400 * 1024 * 1024;
    let written = 0;
    let closed: () => void = () => {};
    const serverDone = new Promise<void>((done) => {
      closed = done;
    });
    const port = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 400 MiB, written as fast as the client takes it, until the client goes away.
      const pump = () => {
        while (written < limit && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', closed);
      pump();
    });
    const before = process.memoryUsage();
    const started = performance.now();
    const answer = await transport()(request(`http://hooks.example.com:${port}/`));
    const elapsed = performance.now() - started;
    await serverDone;
    const after = process.memoryUsage();
    expect(answer.truncated).toBe(true);
    expect(Buffer.byteLength(answer.body)).toBe(MAX_ANSWER_BYTES);
    // Socket buffers let the server get a few MiB out before it notices; never the 400 MiB.
    expect(written).toBeLessThan(32 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    console.info(
      `endless webhook answer: read ${Buffer.byteLength(answer.body)} bytes, the server got ${(written / 1024 / 1024).toFixed(1)} MiB out of 400 MiB before the cut, rss +${((after.rss - before.rss) / 1024 / 1024).toFixed(1)} MiB, ${elapsed.toFixed(0)} ms`,
    );
    const result = await runnerOver().run(hookAt(`http://hooks.example.com:${port}/`), call);
    expect(result.result).toBe('fail');
    expect(result.reason).toBe(
      `http://hooks.example.com:${port}/ answered 200 with more than 64 KiB; a hook's answer may be at most 64 KiB`,
    );
  });

  it('never puts a body whole in a reason: a short excerpt, control characters gone', async () => {
    const page = `<html>\u001b[31m${'internal stack trace line\r\n'.repeat(2000)}</html>`;
    let requests = 0;
    const port = await serve((_req, res) => {
      requests++;
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(page);
    });
    const url = `http://hooks.example.com:${port}/load`;
    const { result, reason } = await runnerOver().run(hookAt(url), call);
    expect(result).toBe('fail');
    expect(requests).toBe(3);
    expect(reason.startsWith(`${url} answered 500: <html> [31minternal stack trace line internal`)).toBe(
      true,
    );
    expect(reason.endsWith('...')).toBe(true);
    expect(reason.length).toBeLessThan(url.length + 230);
    expect(reason).not.toMatch(/\p{Cc}/u);
  });

  it('gives up at the timeout, however slowly the answer trickles', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('.')), 50);
      res.on('close', () => clearInterval(drip));
    });
    const started = performance.now();
    await expect(
      transport()(request(`http://hooks.example.com:${port}/`, { timeoutSeconds: 0.3 })),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
