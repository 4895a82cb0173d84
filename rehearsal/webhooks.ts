import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { publicAddresses } from '#adapters/webhook/public-addresses.ts';
import { timeoutError, type WebhookRequest, type WebhookTransport } from '#adapters/webhook/transport.ts';
import type { Agenda } from './script/agenda.ts';
import type { VirtualClock } from './script/clock.ts';
import { hookAnswer } from './script/hooks.ts';
import type { World } from './script/world.ts';

/** How old a signed request the simulated receiver accepts, as docs/webhooks.md tells receivers. */
const TOLERANCE_SECONDS = 300;

/**
 * Webhook calls answered from world.hooks by the hook's name, without the network: 200 for pass,
 * `status` (default 500) for fail; a timeout costs the hook's timeout in virtual time; an error is a
 * connection that could not be made. Each call takes world.callLatency, as an AWS call does. Where
 * the answer says what the host resolves to, those addresses go through the same check as on AWS;
 * where it names a secret to check signatures with, the receiver checks as docs/webhooks.md says.
 * Time passes on the agenda, so a person's action due during the call (a stop) happens at its time.
 */
export function rehearsalWebhooks(world: World, clock: VirtualClock, agenda: Agenda): WebhookTransport {
  return async (request) => {
    const answer = hookAnswer(world, request.hook, clock.seconds);
    const resolved = answer?.resolvesTo;
    if (resolved) {
      await publicAddresses(new URL(request.url).hostname, async () =>
        resolved.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 })),
      );
    }
    if (answer?.result === 'timeout') {
      await agenda.pass(request.timeoutSeconds);
      throw timeoutError(request.timeoutSeconds);
    }
    await agenda.pass(world.callLatency);
    if (answer === undefined) {
      throw new Error(`world.hooks scripts no answer for ${request.hook} at ${clock.seconds}s`);
    }
    if (answer.result === 'error') throw new Error(answer.reason ?? 'connection refused');
    if (answer.signedWith !== undefined) {
      const secret = world.secrets.find((s) => s.name === answer.signedWith)?.value ?? '';
      const refused = signatureProblem(request, signingKeyOf(secret), clock.now().getTime() / 1000);
      if (refused) return { status: 401, body: JSON.stringify({ reason: refused }), truncated: false };
    }
    const body = answer.reason ? JSON.stringify({ reason: answer.reason }) : '';
    const status = answer.result === 'pass' ? (answer.status ?? 200) : (answer.status ?? 500);
    return { status, body, truncated: false };
  };
}

/** The signing key a secret holds: its "signingKey" when it is a JSON object, else its text. */
function signingKeyOf(secret: string): string {
  try {
    const json = JSON.parse(secret) as { signingKey?: unknown };
    if (typeof json?.signingKey === 'string') return json.signingKey;
  } catch {
    // Plain text: the key itself.
  }
  return secret;
}

/** The receiver's check, written from docs/webhooks.md, not from stepshift's signer. */
function signatureProblem(request: WebhookRequest, key: string, nowSeconds: number): string | undefined {
  const header = Object.entries(request.headers).find(
    ([name]) => name.toLowerCase() === 'x-stepshift-signature',
  );
  if (!header) return 'the request carries no X-Stepshift-Signature';
  const fields = new Map(header[1].split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(fields.get('t'));
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) {
    return 'the signature is too old or has no time';
  }
  const expected = createHmac('sha256', key).update(`${t}.${request.body}`).digest();
  const given = Buffer.from(fields.get('v1') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'the signature does not verify';
  }
  return undefined;
}
