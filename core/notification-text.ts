import type { LifecycleEvent, LifecycleWeight } from './lifecycle.ts';

/**
 * A lifecycle event as one line a person reads at a glance, in a chat channel, a notification or a
 * terminal: "orders v8 rolled back at step 2 (25%): orders-5xx 4.7 > 1". Pure: it reads only the
 * event, so whatever delivers the event (an SNS message, `stepshift watch`) words it the same way.
 */

/** A chat line stays short: longer reasons are cut here, the whole of them is in the event. */
export const NOTIFICATION_MAX_CHARS = 280;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function weightsOf(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return (value as LifecycleWeight[]).map((w) => `${w.target} ${w.weight}%`).join(' · ');
}

/** What the new version had: its share of the route, or (blue/green, A/B at 0%) its side route's requests. */
function share(weight: number): string {
  return weight === 0 ? 'side route only' : `${weight}%`;
}

/**
 * The reason without the place stepshift's own sentences end with (", at step 2 with 25% on the new
 * version; ..."), which the line says in its own words.
 */
function gist(reason: string | undefined): string {
  if (!reason) return '';
  const at = reason.search(/, at step \d+ /);
  return at > 0 ? reason.slice(0, at) : reason;
}

/** The line on one line, within NOTIFICATION_MAX_CHARS; `tail` is kept whole after whatever is cut. */
function cut(line: string, tail = ''): string {
  const oneLine = `${line}${tail}`.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= NOTIFICATION_MAX_CHARS) return oneLine;
  const head = line.replace(/\s+/g, ' ').trim();
  return `${head.slice(0, NOTIFICATION_MAX_CHARS - 1 - tail.length)}…${tail}`;
}

const HELD: Record<string, string> = {
  paused: 'paused',
  frozen: 'frozen',
  approval: 'waiting for approval',
};

/** The line for a lifecycle event (core/lifecycle.ts); every detail-type stepshift sends has its words. */
export function notificationText(event: LifecycleEvent): string {
  const d = event.detail;
  const who = `${d.service} ${d.version ?? d.releaseId}`;
  const weights = weightsOf(d.weights);
  const on = weights ? ` (${weights})` : '';
  switch (event.detailType) {
    case 'Release Started': {
      const steps = (Array.isArray(d.steps) ? d.steps : []).map((w) => `${w}%`).join(', ');
      const signals = [...texts(d.alarms), ...texts(d.metrics)];
      // Told only when the event says: a start read back from elsewhere may not carry the alarms.
      const watching = !Array.isArray(d.alarms)
        ? ''
        : signals.length
          ? `, watching ${signals.join(', ')}`
          : ', watching no signals';
      return cut(
        `${who} started (${text(d.trigger) ?? 'request'}): ${text(d.stable)} -> ${text(d.canary)} in ${steps || 'one step'}${watching}`,
      );
    }
    case 'Traffic Shifted':
      return cut(
        `${who} step ${count(d.step) ?? '?'}/${count(d.steps) ?? '?'}: ${weights ?? 'weights unknown'}${d.unchanged ? ' (already so)' : ''}`,
      );
    case 'Release Promoted':
      return cut(`${who} promoted${on}`);
    case 'Release Finished':
      return cut(`${who} finished: ${text(d.outcome) ?? 'promoted'}${on}`);
    case 'Release Rolled Back': {
      const step = count(d.step);
      const weight = count(d.weight);
      const where =
        step === undefined ? '' : ` at step ${step}${weight === undefined ? '' : ` (${share(weight)})`}`;
      const signals = texts(d.signals);
      // The event names at most a few failed signals; how many it left out comes with them.
      const more = count(d.signalsOmitted) ? ` and ${count(d.signalsOmitted)} more` : '';
      if (signals.length) return cut(`${who} rolled back${where}: ${signals.join(', ')}`, more);
      const why = gist(text(d.reason)) || text(d.error) || '';
      return cut(`${who} rolled back${where}${why ? `: ${why}` : ''}`);
    }
    case 'Release Failed':
      return cut(`${who} FAILED: ${gist(text(d.reason)) || text(d.error) || 'no reason given'}${on}`);
    case 'Release Rejected':
      return cut(`${d.service} ${d.releaseId} rejected, nothing written: ${texts(d.problems).join('; ')}`);
    case 'Release Lock Taken Over': {
      const from = (d.from ?? {}) as { releaseId?: unknown };
      return cut(
        `${who} took the route over from ${text(from.releaseId) ?? 'a release'}, which no longer runs`,
      );
    }
    case 'Release Held':
      return cut(`${who} ${HELD[text(d.why) ?? ''] ?? 'held'}${on}: ${gist(text(d.reason))}`);
    case 'Release Resumed': {
      const by = text(d.by);
      return cut(`${who} resumed after ${HELD[text(d.after) ?? ''] ?? 'a hold'}${by ? ` (${by})` : ''}`);
    }
    case 'Release Stepping Back': {
      const weight = count(d.weight);
      return cut(
        `${who} stepping back${weight === undefined ? '' : ` to ${share(weight)}`}: ${gist(text(d.reason)) || text(d.error)}`,
      );
    }
    case 'Release Not Ready':
      return cut(`${who} not ready: ${gist(text(d.reason))}`);
    default:
      return cut(`${who}: ${event.detailType}`);
  }
}
