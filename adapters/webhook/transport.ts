/** How a webhook is called, whatever carries it: Node's https on AWS, world.hooks in the rehearsal. */

/** How much of a webhook's answer stepshift reads; the rest is never received (the call is cut). */
export const MAX_ANSWER_BYTES = 64 * 1024;

export interface WebhookRequest {
  /** The hook's name, as the profile gives it (the rehearsal answers by it). */
  readonly hook: string;
  /** The URL as the profile gives it; never written anywhere unredacted. */
  readonly url: string;
  /** Headers beyond content-type and user-agent: the signature, a secret's header. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The whole call, resolving the host and reading the answer included. */
  readonly timeoutSeconds: number;
}

export interface WebhookAnswer {
  readonly status: number;
  /** At most MAX_ANSWER_BYTES of the body, decoded as UTF-8; empty for a redirect. */
  readonly body: string;
  /** True when the body went on past MAX_ANSWER_BYTES and the call was cut there. */
  readonly truncated: boolean;
}

/**
 * POSTs one webhook call and returns its answer. Throws WebhookAddressRefusedError when the host
 * resolves to an address stepshift does not call, and an error named TimeoutError past the timeout.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookAnswer>;

/** A timeout, named as AbortSignal.timeout names its reason. */
export function timeoutError(seconds: number): Error {
  return Object.assign(new Error(`no answer within ${seconds}s`), { name: 'TimeoutError' });
}
