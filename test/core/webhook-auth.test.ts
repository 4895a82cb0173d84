import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebhookSecret } from '#core/shapes.ts';

import { SIGNATURE_HEADER, secretHeaders, signatureHeader, WebhookSecretError } from '#core/webhook-auth.ts';

type Verify = (rawBody: Buffer | string, header: string | undefined, key: string, now?: number) => boolean;

/** The receiver's check exactly as docs/webhooks.md prints it, loaded from the page itself. */
let verify: Verify;
beforeAll(async () => {
  const page = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
  const block = /```js\n([\s\S]*?)```/.exec(page)?.[1];
  if (!block) throw new Error('docs/webhooks.md has no js block');
  const file = join(tmpdir(), `stepshift-verify-${process.pid}.mjs`);
  writeFileSync(file, block);
  verify = (await import(file)).verifyStepshiftSignature;
});

const KEY = 'whsec_3x4mpl3';
const BODY = '{"releaseId":"orders-v2","phase":"rollout","step":1,"targets":[]}';
const T = 1_767_225_600;

describe('a webhook signature, checked as docs/webhooks.md tells a receiver to', () => {
  it('matches the example header the page shows', () => {
    const page = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
    expect(page).toContain(
      `X-Stepshift-Signature: ${signatureHeader('whsec_example', 1_767_225_600, '{"releaseId":"orders-v2"}')}`,
    );
  });

  it('verifies what stepshift signs, from the raw bytes', () => {
    const header = signatureHeader(KEY, T + 0.75, BODY);
    expect(header).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(verify(Buffer.from(BODY), header, KEY, T + 10)).toBe(true);
    expect(verify(BODY, header, KEY, T - 299)).toBe(true);
  });

  it.each<[string, () => [Buffer | string, string | undefined, string, number]]>([
    ['another body', () => [BODY.replace('rollout', 'preRollout'), signatureHeader(KEY, T, BODY), KEY, T]],
    ['another key', () => [BODY, signatureHeader('whsec_other', T, BODY), KEY, T]],
    ['a request more than five minutes old', () => [BODY, signatureHeader(KEY, T, BODY), KEY, T + 301]],
    ['a timestamp from the future', () => [BODY, signatureHeader(KEY, T + 400, BODY), KEY, T]],
    [
      'a replayed signature with a new timestamp',
      () => [BODY, signatureHeader(KEY, T, BODY).replace(`t=${T}`, `t=${T + 60}`), KEY, T + 60],
    ],
    ['no header', () => [BODY, undefined, KEY, T]],
    ['a header without v1', () => [BODY, `t=${T}`, KEY, T]],
    ['a truncated signature', () => [BODY, signatureHeader(KEY, T, BODY).slice(0, -2), KEY, T]],
  ])('refuses %s', (_, args) => {
    expect(verify(...args())).toBe(false);
  });
});

describe('the headers a secret adds', () => {
  const secret = (fields: Partial<WebhookSecret>): WebhookSecret => ({
    secretId: 'orders-hooks',
    sign: true,
    ...fields,
  });

  it('signs with a plain-text secret, or sends it as a header', () => {
    expect(secretHeaders(secret({}), KEY, T, BODY)).toEqual({
      [SIGNATURE_HEADER]: signatureHeader(KEY, T, BODY),
    });
    expect(secretHeaders(secret({ sign: false, header: 'Authorization' }), 'Bearer abc', T, BODY)).toEqual({
      Authorization: 'Bearer abc',
    });
  });

  it('takes both from a JSON secret, and refuses to send one plain value as both', () => {
    const both = JSON.stringify({ signingKey: KEY, headerValue: 'Bearer abc' });
    expect(secretHeaders(secret({ header: 'Authorization' }), both, T, BODY)).toEqual({
      [SIGNATURE_HEADER]: signatureHeader(KEY, T, BODY),
      Authorization: 'Bearer abc',
    });
    expect(() => secretHeaders(secret({ header: 'Authorization' }), KEY, T, BODY)).toThrow(
      WebhookSecretError,
    );
    expect(() => secretHeaders(secret({}), JSON.stringify({ headerValue: 'x' }), T, BODY)).toThrow(
      'secret orders-hooks has no signing key; store the key as the secret\'s text, or as "signingKey" in a JSON secret',
    );
  });
});
