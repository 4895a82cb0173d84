import { createHmac } from 'node:crypto';
import type { WebhookSecret } from './shapes.ts';

/**
 * How a webhook's request proves it comes from stepshift, the way GitHub and Stripe sign theirs: an
 * HMAC-SHA256 over the timestamp and the body, keyed with a secret the receiver shares, so a captured
 * request cannot be replayed later or with another body. docs/webhooks.md shows a receiver's check.
 */
export const SIGNATURE_HEADER = 'X-Stepshift-Signature';

/** The signature header's value: "t=<unix seconds>,v1=<hex HMAC-SHA256 of `<t>.<body>`>". */
export function signatureHeader(key: string, unixSeconds: number, body: string): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', key).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}

/** A secret's value that does not fit what the hook asks of it; the message never quotes the value. */
export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

/** Characters an HTTP header value may carry: no CR, LF or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]+$/;

/**
 * The secret's value as what it is used for. Plain text serves the one use the hook names; a hook
 * that both signs and sends a header needs a JSON object {"signingKey", "headerValue"}, so the
 * signing key never travels in a header where a receiver's logs could keep it.
 */
function partsOf(secret: WebhookSecret, value: string): { signingKey?: string; headerValue?: string } {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = undefined;
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { signingKey, headerValue } = json as Record<string, unknown>;
    return {
      ...(typeof signingKey === 'string' ? { signingKey } : {}),
      ...(typeof headerValue === 'string' ? { headerValue } : {}),
    };
  }
  if (secret.sign && secret.header) {
    throw new WebhookSecretError(
      `secret ${secret.secretId} holds one value, but the hook both signs and sends ${secret.header}; store {"signingKey": "...", "headerValue": "..."} in it, so the signing key never travels in a header`,
    );
  }
  return secret.sign ? { signingKey: value } : { headerValue: value };
}

/** Every string a secret's value holds (the text, and a JSON secret's fields): none may reach a reason. */
export function secretStrings(value: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return [value];
  }
  const fields =
    typeof json === 'object' && json !== null ? Object.values(json).filter((v) => typeof v === 'string') : [];
  return [value, ...fields];
}

/**
 * The headers a webhook's secret adds to one request: the signature over this body at this time,
 * and the header whose value the secret holds.
 * @throws WebhookSecretError when the secret's value lacks what the hook asks for.
 */
export function secretHeaders(
  secret: WebhookSecret,
  value: string,
  unixSeconds: number,
  body: string,
): Record<string, string> {
  const { signingKey, headerValue } = partsOf(secret, value);
  const headers: Record<string, string> = {};
  if (secret.sign) {
    if (!signingKey) {
      throw new WebhookSecretError(
        `secret ${secret.secretId} has no signing key; store the key as the secret's text, or as "signingKey" in a JSON secret`,
      );
    }
    headers[SIGNATURE_HEADER] = signatureHeader(signingKey, unixSeconds, body);
  }
  if (secret.header) {
    if (!headerValue) {
      throw new WebhookSecretError(
        `secret ${secret.secretId} has no value for ${secret.header}; store it as the secret's text, or as "headerValue" in a JSON secret`,
      );
    }
    if (!HEADER_VALUE.test(headerValue)) {
      throw new WebhookSecretError(
        `secret ${secret.secretId} holds a value ${secret.header} cannot carry (a line break or another control character); store it on one line`,
      );
    }
    headers[secret.header] = headerValue;
  }
  return headers;
}
