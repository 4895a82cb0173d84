import { bounded } from '../bounded-text.ts';
import type { Signal } from '../shapes.ts';

/**
 * One signal in words: "orders-5xx is ALARM (4.7, alarm when > 1)", "error-rate 0.042 above max 0.01
 * over 12 samples", "canary p99 latency 125 ms vs baseline 104 ms (+20%, p=0.0001 < 0.05): fail, ...".
 */
function signalWords(s: Signal): string {
  switch (s.kind) {
    case 'metric':
      return `${s.name} ${s.detail}`;
    case 'hook':
      return `hook ${s.name} failed (${s.detail})`;
    case 'comparison':
      // The judge's reason names the check: "canary p99 latency 125 ms vs baseline 104 ms (...)".
      return s.detail;
    default:
      return s.betweenChecks
        ? `${s.name} went into ALARM between checks (${s.detail})`
        : `${s.name} is ${s.value} (${s.detail})`;
  }
}

/** Failed signals in words: each with its value against what it tolerates. */
export function describeFailed(failed: readonly Signal[]): string {
  return failed.map(signalWords).join('; ');
}

/**
 * Where the new version's traffic came from, for a halt's reason: a share of the route, or (blue/green's
 * and A/B's step at 0) only the requests its side route matched.
 */
export function onNewVersion(weight: number): string {
  return weight === 0
    ? "with production untouched and only the side route's requests on the new version"
    : `with ${weight}% on the new version`;
}

/** The sentence an operator reads when failed signals halt a release. */
export function haltReason(
  failed: readonly Signal[],
  step: number,
  weight: number,
  failedChecks: number,
): string {
  return `${describeFailed(failed)}, at step ${step + 1} ${onNewVersion(weight)}; ${failedChecks} failed check${failedChecks === 1 ? '' : 's'} reached the threshold`;
}

/** "4.7, alarm when > 1": how ./alarms.ts words what CloudWatch measured against the threshold. */
const ALARM_MEASURED = /^(\S+), alarm when (\S+) (\S+?)(?:;|$)/;
/** "0.042 above max 0.01 over 12 samples": how ./metric-verdicts.ts words a bound that failed. */
const METRIC_BREACHED = /^(\S+)(?: \S+)? (above max|below min) (\S+)/;

/**
 * One signal as briefly as a chat message can say it, "orders-5xx 4.7 > 1": its name and value
 * against its threshold where the check measured both, else its name and state.
 */
export function briefSignal(s: Signal): string {
  switch (s.kind) {
    case 'alarm': {
      if (s.betweenChecks) return `${s.name} ALARM between checks`;
      const measured = ALARM_MEASURED.exec(s.detail);
      return measured ? `${s.name} ${measured[1]} ${measured[2]} ${measured[3]}` : `${s.name} ${s.value}`;
    }
    case 'metric': {
      const breached = METRIC_BREACHED.exec(s.detail);
      if (!breached) return `${s.name} ${s.value}`;
      return `${s.name} ${breached[1]} ${breached[2] === 'above max' ? '>' : '<'} ${breached[3]}`;
    }
    case 'hook':
      return `hook ${s.name} failed`;
    default:
      return `${s.name} ${s.judgement?.verdict ?? s.verdict}`;
  }
}

/** Each verdict as a signal's line shows it, in the rehearsal's timeline and the views alike. */
export const VERDICT_MARKS: Readonly<Record<Signal['verdict'], string>> = {
  pass: 'ok',
  fail: 'FAIL',
  ignored: 'ignored',
  inconclusive: 'inconclusive',
};

/**
 * At most this many of a check's signals travel in the release state, each bounded below (name,
 * value, detail): about 8 × 400 bytes, a few KiB of the 256 KiB Step Functions allows a state's input
 * or output (States.DataLimitExceeded beyond it), which the state carries through every state.
 */
export const STATE_SIGNALS = 8;
/** A name, a value and a detail of this many UTF-8 bytes each, at most; the numbers add a few dozen. */
const NAME_BYTES = 64;
const VALUE_BYTES = 32;
const DETAIL_BYTES = 160;

/**
 * A check's signals as the release state carries them: the failed ones first (so none is left out
 * while a passing one stays), at most STATE_SIGNALS, each with its words bounded and its numbers kept
 * (the chart's metric panels draw them), so a view of a real release shows what a rehearsal shows.
 */
export function checkSignals(signals: readonly Signal[]): Signal[] {
  const failedFirst = [
    ...signals.filter((s) => s.verdict === 'fail'),
    ...signals.filter((s) => s.verdict !== 'fail'),
  ];
  return failedFirst.slice(0, STATE_SIGNALS).map((s) => ({
    name: bounded(s.name, NAME_BYTES),
    kind: s.kind,
    value: bounded(s.value, VALUE_BYTES),
    verdict: s.verdict,
    detail: bounded(s.detail, DETAIL_BYTES),
    ...(s.betweenChecks ? { betweenChecks: true as const } : {}),
    ...(s.samples === undefined ? {} : { samples: s.samples }),
    ...(s.judgement ? { judgement: s.judgement } : {}),
    ...(s.measured ? { measured: s.measured } : {}),
  }));
}

/**
 * How many of `all` signals a cut to `kept` left out, as the state and the events carry it: present
 * only when some were, so a view can say "and 3 more" instead of showing a list as if it were whole.
 */
export function leftOut(all: number, kept: number): { signalsOmitted?: number } {
  return all > kept ? { signalsOmitted: all - kept } : {};
}

/** "… and 3 more signals": what a list of signals cut to the state's left out, so it never reads as whole. */
export function moreSignals(omitted: number | undefined): string | undefined {
  return omitted ? `… and ${omitted} more signal${omitted === 1 ? '' : 's'}` : undefined;
}

/** A check's signals as the release state carries them (checkSignals), and how many that left out. */
export function stateSignals(signals: readonly Signal[]): { signals: Signal[]; signalsOmitted?: number } {
  const kept = checkSignals(signals);
  return { signals: kept, ...leftOut(signals.length, kept.length) };
}
