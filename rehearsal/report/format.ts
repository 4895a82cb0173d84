import { formatDuration } from '#core/duration.ts';
import { VERDICT_MARKS } from '#core/health/signals.ts';
import type { Signal, Target } from '#core/shapes.ts';

import type { TimelineEntry } from './timeline.ts';

/** 305.25 -> "00:05:05.25": the virtual clock as an operator reads it. */
export function clockText(seconds: number): string {
  const whole = Math.floor(seconds);
  const h = String(Math.floor(whole / 3600)).padStart(2, '0');
  const m = String(Math.floor((whole % 3600) / 60)).padStart(2, '0');
  const s = String(whole % 60).padStart(2, '0');
  const frac = Math.round((seconds - whole) * 100);
  return `${h}:${m}:${s}.${String(frac).padStart(2, '0')}`;
}

function weightsText(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([name, w]) => `${name} ${w}%`)
    .join(' · ');
}

function targetsText(targets: unknown): string {
  return (targets as Target[]).map((t) => `${t.name} ${t.weight}%`).join(' · ');
}

function signalText(s: Signal): string {
  const mark = VERDICT_MARKS[s.verdict];
  // A metric check's detail already starts with its value: "0.042 above max 0.01 over 12 samples".
  return s.kind === 'alarm'
    ? `${s.name}=${s.value} [${mark}: ${s.detail}]`
    : `${s.name} [${mark}: ${s.detail}]`;
}

function guardOutcomeText(d: Record<string, unknown>): string {
  switch (d.action) {
    case 'restored':
      return `put the snapshot back: ${targetsText(d.targets)}`;
    case 'left-as-found':
      return `left the route as found (${targetsText(d.targets)}): this release never writes those weights`;
    default:
      return `left the route alone (${String(d.reason ?? d.action)})`;
  }
}

const LAMBDA_FAULT_WORDS: Record<string, string> = {
  'crash before': "the function's runtime exited before the handler ran",
  'crash after':
    "the function's runtime exited after the handler ran: its AWS calls happened, its result is lost",
  'timeout before': 'the function hung before the handler ran and timed out',
  'timeout after':
    'the function ran its handler, then hung and timed out: its AWS calls happened, its result is lost',
};

const HELD: Record<string, string> = { frozen: 'frozen', paused: 'paused', approval: 'awaiting approval' };
const NEXT: Record<string, string> = {
  frozen: 'waiting for stepshift promote, resume or abort',
  paused: 'analysis goes on; stepshift resume to go on',
  approval: 'analysis goes on; stepshift approve or reject answers',
};

/** One readable line per timeline entry; with several executions, each line names its own. */
export function formatEntry(entry: TimelineEntry): string {
  const d = entry.detail;
  const execution =
    typeof d.execution === 'string' && !/^(guard|operator)\./.test(entry.event) ? ` ${d.execution}:` : '';
  const head = `[${clockText(entry.at)}] ${entry.event.padEnd(19)}${execution}`;
  switch (entry.event) {
    case 'release.planned': {
      const alarms = [...(d.alarms as string[]), ...((d.metrics as string[] | undefined) ?? [])];
      const watching = alarms.length
        ? `watching ${alarms.join(', ')}`
        : 'watching NO health signals: it promotes on time alone';
      return `${head} ${d.routeId}: ${d.stable} -> ${d.canary} in ${(d.steps as number[]).length} step(s) (${(d.steps as number[]).map((w) => `${w}%`).join(', ')}), ${formatDuration(d.totalSeconds as number)} of baking, ${watching}; ${d.stateTransitions} state transitions, ~${d.historyEvents} history events (estimated), $${(d.priceUsd as number).toFixed(6)}`;
    }
    case 'traffic.shifted':
      return `${head} step ${(d.step as number) + 1}/${d.steps}: ${targetsText(d.targets)}${d.unchanged ? ' (already applied; nothing written)' : ''}`;
    case 'bake.started':
      return `${head} step ${(d.step as number) + 1}, check ${(d.check as number) + 1}: watching for ${formatDuration(d.seconds as number)}`;
    case 'analysis.completed':
      return `${head} step ${(d.step as number) + 1}, check ${(d.check as number) + 1}: ${(d.signals as Signal[]).map(signalText).join('; ') || 'no signals configured'} -> ${d.passed ? 'passed' : 'FAILED'} (${d.failedChecks}/${d.failureThreshold} failed checks)`;
    case 'release.halted':
    case 'release.failed':
      return `${head} ${d.error}: ${d.reason}`;
    case 'rollback.started':
      return d.error === 'ReleaseRolledBack'
        ? `${head} putting the snapshot back`
        : `${head} after ${d.reason}`;
    case 'release.rolled_back':
      return `${head} restored the route as it was before the release: ${targetsText(d.targets)}`;
    case 'release.finished':
      return `${head} ${d.outcome}`;
    case 'execution.succeeded':
      return `${head} ${weightsText(entry.weights)}`;
    case 'execution.aborted':
      return `${head} stopped; no Catch runs, the route now holds ${weightsText(entry.weights)}`;
    case 'execution.failed':
      return Object.keys(entry.weights).length
        ? `${head} ${d.error}; the route now holds ${weightsText(entry.weights)}`
        : `${head} ${d.error}`;
    case 'release.promoted':
      return `${head} ${targetsText(d.targets)}`;
    case 'release.rejected':
      return `${head} nothing was written:\n${(d.problems as string[]).map((p) => `    - ${p}`).join('\n')}`;
    case 'event.undelivered':
      return `${head} the "${d.detailType}" event did not reach the bus (${d.problem}); the release goes on`;
    case 'api.retry':
      return `${head} ${d.operation} failed with ${d.error}; retry ${d.attempt} after ${(d.delaySeconds as number).toFixed(2)}s of jittered back-off`;
    case 'lambda.failed':
      return `${head} "${d.state}" invocation ${d.invocation}: ${LAMBDA_FAULT_WORDS[`${d.fault} ${d.when}`] ?? `${d.fault} ${d.when}`}${d.timeoutSeconds === undefined ? '' : ` after ${formatDuration(d.timeoutSeconds as number)}`} (${d.error})`;
    case 'operator.stop-execution':
      return d.ignored
        ? `${head} a person stops ${d.execution}, but ${d.ignored}: nothing happens`
        : `${head} a person stops ${d.execution} (StopExecution)`;
    case 'operator.edit-route':
      return `${head} a person updates ${d.route} by hand (version ${d.version}): ${weightsText(d.weights as Record<string, number>)}`;
    case 'operator.start-release':
      return `${head} a person starts ${d.execution} with ${JSON.stringify(d.request)}`;
    case 'guard.finished':
      return `${head} ${d.execution} ended ${d.status}; the guard${d.step === 'let-go' ? ', after its wait,' : ''} ${guardOutcomeText(d)}${d.freedLocks ? `; it let go of the route (${(d.freedLocks as string[]).join(', ')})` : ''}`;
    case 'guard.failed':
      return `${head} ${d.execution} ended ${d.status}; the guard's ${d.step ?? ''} step failed (attempt ${d.attempt}) with ${d.cause}; ${d.retryInSeconds === undefined ? 'its retries are used up: the event goes to the dead-letter queue' : `its state machine retries in ${formatDuration(d.retryInSeconds as number)}`}`;
    case 'guard.dead-lettered':
      return `${head} the guard gave up on ${d.execution}: the event and its failure are in the dead-letter queue; the route stays held, as the guard's, until its mark lapses`;
    case 'task.after-stop':
      return `${head} "${d.state}", still running after the stop, ended: ${d.ended === 'returned' ? 'it returned (its result goes nowhere)' : d.ended}`;
    case 'hook.finished':
      return `${head} ${d.phase} hook ${d.hook}: ${d.result === 'pass' ? 'passed' : `FAILED${d.blocking ? '' : ' (reported; recovery goes on)'}`} (${d.reason})`;
    case 'canary.waiting':
      return `${head} not ready yet: ${d.reason} (waited ${formatDuration(d.waitedSeconds as number)} of ${formatDuration(d.timeoutSeconds as number)}); Prepare looks again`;
    case 'side_route.opened':
      return `${head} ${d.route}: requests matching the route plus ${(d.headers as string[]).join(', ')} go to ${d.target}`;
    case 'side_route.closed':
      return `${head} ${d.route} ${d.removed ? 'removed' : 'was already gone'}`;
    case 'release.not_ready':
      return `${head} CanaryNotReady: ${d.reason}`;
    case 'alarm.triggered':
      return d.delivered
        ? `${head} ${d.alarm} went into ALARM; its event ended the bake (AlarmTriggered)`
        : `${head} ${d.alarm} went into ALARM between bakes; the next analysis reads it`;
    case 'alarm.failed':
      return `${head} the alarm function failed for ${d.alarm} (attempt ${d.attempt}) with ${d.cause}; ${d.retryInSeconds === undefined ? "Lambda's retries are used up: the event goes to the dead-letter queue; polling still reads the alarm" : `Lambda retries in ${formatDuration(d.retryInSeconds as number)}`}`;
    case 'bake.ended':
      return `${head} ${d.by}${d.error ? ` (${d.error})` : ''} ended the bake ${formatDuration(Math.round(d.secondsLeft as number))} early`;
    case 'release.held':
      return `${head} ${HELD[d.why as string] ?? 'held'} at ${targetsText(d.targets)}: ${d.reason}; ${NEXT[d.why as string] ?? ''}`;
    case 'release.resumed':
      return `${head} ${d.after === 'approval' ? 'approved' : `goes on after being ${d.after}`}${d.by ? ` (by ${d.by})` : ''}`;
    case 'release.retreating':
      return `${head} stepping back to ${d.weight}% (onFailure "gradual"): ${d.reason}`;
    case 'operator.promoted':
      return `${head} ${d.full ? 'promoting now, skipping every remaining step' : `skipping the rest of step ${(d.step as number) + 1}`}${d.by ? ` (by ${d.by})` : ''}`;
    case 'operator.requested':
      return `${head} ${d.command}${d.by ? ` by ${d.by}` : ''}: ${d.delivered ? 'ended the waiting bake' : 'recorded for the next check'}`;
    case 'operator.abort':
    case 'operator.promote':
    case 'operator.pause':
    case 'operator.resume':
    case 'operator.approve':
    case 'operator.reject':
      return d.ignored
        ? `${head} ${d.ignored}`
        : `${head} stepshift ${entry.event.slice('operator.'.length)} ${d.releaseId}: ${d.message}`;
    case 'state.retried':
      return `${head} "${d.state}" failed with ${d.error}; Step Functions retries it after ${(d.delaySeconds as number).toFixed(2)}s (retry ${d.attempt})`;
    default:
      return `${head} ${weightsText(entry.weights)}${Object.keys(d).length ? ` ${JSON.stringify(d)}` : ''}`;
  }
}
