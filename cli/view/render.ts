import { formatDuration } from '#core/duration.ts';
import { moreSignals, VERDICT_MARKS } from '#core/health/signals.ts';
import { notificationText } from '#core/notification-text.ts';
import type { Signal } from '#core/shapes.ts';
import { lifecycleOf, omittedOf, type ReleaseView, type ViewEvent } from './release-view.ts';

/**
 * The release view as text: the compact block `status` prints once and `watch` redraws, and the one
 * line per event both print as it happens. Plain text, no colour: it reads the same in a pipe.
 */

/** "+00:07:00": time since the release's first event, as a person follows a release. */
export function elapsed(view: ReleaseView, at: number): string {
  const seconds = Math.max(0, Math.floor((at - (view.startedAt ?? at)) / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `+${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
}

const OUTCOME_WORDS: Record<string, string> = {
  promoted: 'promoted',
  rolled_back: 'rolled back',
  rejected: 'rejected',
  stopped: 'stopped',
  failed: 'FAILED',
};

/** "step 2/3 ▰▰▱ 25%": the steps reached as a bar, and the new version's share. */
function progress(view: ReleaseView): string {
  const total = view.steps.length;
  if (!total) return 'not shifted yet';
  const reached = view.outcome === 'promoted' ? total : view.step === undefined ? 0 : view.step + 1;
  const bar = `${'▰'.repeat(reached)}${'▱'.repeat(total - reached)}`;
  const canary = view.weights.find((w) => w.target === view.canary);
  const share = canary ? ` ${canary.weight}% on ${canary.target}` : '';
  return `step ${reached}/${total} ${bar}${share}`;
}

/**
 * A signal's latest reading against what it tolerates: "orders-5xx OK (0.2, alarm when > 1)"; an
 * alarm's state says whether it passed, unless its verdict differs (INSUFFICIENT_DATA ignored).
 */
function signalText(s: Signal): string {
  if (s.kind !== 'alarm') return `${s.name} ${VERDICT_MARKS[s.verdict]} (${s.detail})`;
  const verdict =
    s.verdict === 'pass' || (s.verdict === 'fail' && s.value === 'ALARM')
      ? ''
      : ` ${VERDICT_MARKS[s.verdict]}`;
  return `${s.name} ${s.value}${verdict} (${s.detail})`;
}

/** The compact view: a few lines, each starting with what it shows. `now` is on the events' clock. */
export function compactView(view: ReleaseView, now: number): string[] {
  const state = view.outcome ? (OUTCOME_WORDS[view.outcome] ?? view.outcome) : view.state;
  const lines = [
    `${view.service} ${view.version ?? ''} (${view.releaseId}): ${state} · ${progress(view)}`.replace(
      '  ',
      ' ',
    ),
  ];
  if (view.weights.length) {
    lines.push(`  weights     ${view.weights.map((w) => `${w.target} ${w.weight}%`).join(' · ')}`);
  }
  for (const [i, s] of view.signals.entries()) {
    lines.push(`  ${i === 0 ? 'signals    ' : '           '} ${signalText(s)}`);
  }
  const more = moreSignals(view.signalsOmitted);
  if (more) lines.push(`              ${more}`);
  if (view.nextCheckAt !== undefined && !view.outcome) {
    const left = Math.max(0, Math.round((view.nextCheckAt - now) / 1000));
    lines.push(`  next check  in ${formatDuration(left)}`);
  }
  if (view.reason) lines.push(`  why         ${view.reason}`);
  return lines;
}

/** A check's result in one line, for the plain view, which has no frame to show signals in. */
function analysisLine(event: ViewEvent): string {
  const d = event.detail;
  const more = moreSignals(omittedOf(d));
  const signals = [
    ...(Array.isArray(d.signals) ? (d.signals as Signal[]) : []).map(signalText),
    ...(more ? [more] : []),
  ];
  return `step ${Number(d.step) + 1} check ${Number(d.check) + 1} ${d.passed ? 'passed' : 'FAILED'}: ${signals.join('; ') || 'no signals'}`;
}

/**
 * The line an event prints as it happens: each lifecycle event in core/notification-text.ts's words;
 * with `checks`, each analysis too. Undefined for the rest (bakes, retries): the frame shows those.
 */
export function eventLine(view: ReleaseView, event: ViewEvent, checks: boolean): string | undefined {
  const lifecycle = lifecycleOf(view, event);
  const words = lifecycle
    ? notificationText(lifecycle)
    : checks && event.type === 'analysis.completed'
      ? analysisLine(event)
      : undefined;
  return words === undefined ? undefined : `${elapsed(view, event.at)} ${words}`;
}
