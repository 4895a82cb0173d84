import type { LookupAddress } from 'node:dns';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { redactUrl } from '#core/webhook-url.ts';
import { publicAddresses, type ResolvedAddress, type Resolver, systemResolver } from './public-addresses.ts';
import { MAX_ANSWER_BYTES, timeoutError, type WebhookAnswer, type WebhookTransport } from './transport.ts';

export interface HttpsTransportOptions {
  /** Resolves a host's addresses; the system's resolver unless a test injects one. */
  readonly resolve?: Resolver;
  /** Why an address may not be called; core's public-address policy unless a test allows loopback. */
  readonly addressProblem?: (address: string) => string | undefined;
  /** The scheme and its client: https on AWS; a test's local server may speak http. */
  readonly client?: { readonly protocol: string; readonly request: typeof https.request };
  readonly maxAnswerBytes?: number;
}

/**
 * Webhooks over Node's https: the host resolved once and every address checked, the connection made
 * only to those addresses (a `lookup` that answers with them, so DNS rebinding has nothing to swap);
 * no redirect followed (a 3xx is the answer, its body unread); at most 64 KiB of the body read, the
 * call cut past it; one deadline for all of it.
 */
export function createHttpsTransport(options: HttpsTransportOptions = {}): WebhookTransport {
  const resolve = options.resolve ?? systemResolver;
  const client = options.client ?? { protocol: 'https:', request: https.request };
  const max = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  return async (call) => {
    const url = new URL(call.url);
    if (url.protocol !== client.protocol) {
      throw new Error(`${redactUrl(call.url)} is not an ${client.protocol}// URL`);
    }
    const signal = AbortSignal.timeout(call.timeoutSeconds * 1000);
    const addresses = await beforeDeadline(
      publicAddresses(url.hostname, resolve, options.addressProblem),
      signal,
      call.timeoutSeconds,
    );
    return exchange(client.request, url, addresses, call, signal, max);
  };
}

/** A lookup that answers only with the checked addresses, for the one host they were checked for. */
function pinned(hostname: string, addresses: readonly ResolvedAddress[]): LookupFunction {
  return (host, options, callback) => {
    if (host !== hostname) {
      callback(Object.assign(new Error(`${host} was not checked`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) {
      callback(
        null,
        addresses.map((a): LookupAddress => ({ address: a.address, family: a.family })),
      );
      return;
    }
    const first = addresses.find((a) => !options.family || a.family === options.family) ?? addresses[0]!;
    callback(null, first.address, first.family);
  };
}

function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal, seconds: number): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(seconds));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(seconds));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function exchange(
  request: typeof https.request,
  url: URL,
  addresses: readonly ResolvedAddress[],
  call: Parameters<WebhookTransport>[0],
  signal: AbortSignal,
  max: number,
): Promise<WebhookAnswer> {
  return new Promise<WebhookAnswer>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(call.body),
          'user-agent': 'stepshift',
          ...call.headers,
        },
        lookup: pinned(url.hostname, addresses),
        // A connection of its own: a pooled socket would have been checked for another call.
        agent: false,
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          settle(() => resolve({ status, body: '', truncated: false }));
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (size + chunk.length > max) {
            chunks.push(chunk.subarray(0, max - size));
            settle(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8'), truncated: true }));
            req.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () =>
          settle(() => resolve({ status, body: Buffer.concat(chunks).toString('utf8'), truncated: false })),
        );
        res.on('error', (error) =>
          settle(() => reject(signal.aborted ? timeoutError(call.timeoutSeconds) : error)),
        );
        res.on('close', () =>
          settle(() => reject(new Error('the connection closed before the answer ended'))),
        );
      },
    );
    req.on('error', (error) =>
      settle(() => reject(signal.aborted ? timeoutError(call.timeoutSeconds) : error)),
    );
    req.end(call.body);
  });
}
