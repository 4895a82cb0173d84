import { bounded } from '../bounded-text.ts';
import { ALARM_TRIGGERED, abortWords } from '../controls.ts';
import { formatDuration } from '../duration.ts';
import { causeOf } from '../errors.ts';
import { judgeAlarms } from '../health/alarms.ts';
import { DEFAULT_INCONCLUSIVE_LIMIT } from '../health/metric-checks.ts';
import { metricRequest, metricWindow } from '../health/metric-request.ts';
import { judgeMetricChecks } from '../health/metric-verdicts.ts';
import {
  briefSignal,
  describeFailed,
  haltReason,
  leftOut,
  onNewVersion,
  stateSignals,
} from '../health/signals.ts';
import { manualHookOf } from '../hooks.ts';
import { HISTORY_EVENT_LIMIT, HISTORY_EVENT_RESERVE, HOLD_HISTORY_EVENTS } from '../plan.ts';
import type { AlarmChange, ReleaseControl, ReleaseDeps } from '../ports.ts';
import type { Signal } from '../shapes.ts';
import { hookFailures, runHooks } from './run-hooks.ts';
import { about, assertReleaseState, currentWeight, type Halt, type ReleaseState } from './state.ts';
import { assertNoDrift } from './traffic.ts';

/** The ports Analyze uses. */
export type AnalyzeDeps = Pick<
  ReleaseDeps,
  'routerFor' | 'controls' | 'clock' | 'events' | 'health' | 'hooks'
>;

/** A frozen release looks again at doubling intervals, up to an hour: it waits for a person, not a metric. */
const MAX_FROZEN_HOLD_SECONDS = 3600;

/**
 * Checks that the route still holds this release's weights (RouteDrifted if someone changed them),
 * reads the health signals after a bake, hears what an operator asked, and decides what comes next:
 * bake again, shift (to the next step, or back down one), hold, promote, or roll back.
 */
export async function analyzeHealth(input: unknown, deps: AnalyzeDeps): Promise<ReleaseState> {
  assertReleaseState(input);
  const { interrupt, ...state } = input;
  // Someone may have edited the route while it baked: find out now, not at the next write.
  const router = await deps.routerFor(state.profile.router);
  const route = await router.read();
  assertNoDrift(router.routeId, state, route.targets, state.written ?? state.snapshot);
  const control = await controlOf(state, deps);
  const now = deps.clock.now();
  if (control?.abort) {
    return halt(state, deps, {
      error: 'ReleaseAborted',
      reason: `${abortWords(control.abort)}, at step ${state.step + 1} ${onNewVersion(currentWeight(state))}`,
    });
  }
  const { signals, judged } = await judgeHealth(state, deps, now);
  const failed = signals.filter((s) => s.verdict === 'fail');
  // An alarm ended the bake: its own evaluation periods already confirmed it, so it fails the release
  // without waiting for failureThreshold. Its words: what the alarms read now, else what the event said.
  const alarm =
    interrupt?.Error === ALARM_TRIGGERED
      ? boundedHalt({
          error: ALARM_TRIGGERED,
          reason: `${failed.length ? describeFailed(failed) : bounded(causeOf(interrupt.Cause ?? '').message) || 'an alarm went into ALARM'}, at step ${state.step + 1} ${onNewVersion(currentWeight(state))}; the alarm's event ended the bake at once`,
          ...briefly(failed),
        })
      : undefined;
  const failedNow: Halt | undefined =
    alarm ??
    (failed.length
      ? boundedHalt({
          error: 'ReleaseRolledBack',
          reason: haltReason(failed, state.step, currentWeight(state), judged.failedChecks),
          ...briefly(failed),
        })
      : undefined);
  const failing =
    alarm ?? (judged.failedChecks >= state.profile.analysis.failureThreshold ? failedNow : undefined);
  return decide(judged, { failing, failedNow, control, now }, deps);
}

/** The release's controls, when they are this execution's. */
async function controlOf(state: ReleaseState, deps: AnalyzeDeps): Promise<ReleaseControl | undefined> {
  const control = await deps.controls.get(state.releaseId);
  return control?.executionId === state.executionId ? control : undefined;
}

/** Reads and judges the alarms, and reports the check. */
async function judgeHealth(
  state: ReleaseState,
  deps: AnalyzeDeps,
  now: Date,
): Promise<{ signals: Signal[]; judged: ReleaseState }> {
  const { analysis } = state.profile;
  const readings = analysis.alarms.length ? await deps.health.readAlarms(analysis.alarms) : [];
  const since = new Date(state.checkedAt);
  // An alarm not in ALARM now but changed since the last check may have fired and recovered in
  // between; its history says. Only those alarms cost a call.
  const between = new Map<string, AlarmChange[]>();
  for (const reading of readings) {
    if (reading.state !== 'ALARM' && reading.changedAt && reading.changedAt > since) {
      const changes = await deps.health.changesSince(reading.name, since);
      // An ALARM this release already counted (seen in ALARM at the last check) is not a new one.
      const counted = state.alarmsCounted?.[reading.name];
      between.set(
        reading.name,
        changes.filter((c) => !(c.state === 'ALARM' && c.at.toISOString() === counted)),
      );
    }
  }
  const metrics = await judgeMetrics(state, since, now, deps);
  // Rollout hooks run at every analysis; each is a signal like an alarm.
  const hooks = await runHooks('rollout', state, state.written ?? state.snapshot, deps);
  const signals = [
    ...judgeAlarms(analysis, readings, { between, now }),
    ...metrics.signals,
    ...hooks.map(
      (h): Signal => ({
        name: h.name,
        kind: 'hook',
        value: h.result,
        verdict: h.result,
        detail: h.reason,
      }),
    ),
  ];
  const alarmsCounted = { ...state.alarmsCounted };
  for (const reading of readings) {
    const fired = between.get(reading.name)?.findLast((c) => c.state === 'ALARM');
    const episode = reading.state === 'ALARM' ? reading.changedAt : fired?.at;
    if (episode) alarmsCounted[reading.name] = episode.toISOString();
  }
  const failed = signals.filter((s) => s.verdict === 'fail');
  const failedChecks = state.failedChecks + (failed.length ? 1 : 0);
  await deps.events.emit({
    type: 'analysis.completed',
    ...about(state),
    step: state.step,
    check: state.check,
    signals,
    passed: failed.length === 0,
    failedChecks,
    failureThreshold: analysis.failureThreshold,
  });
  // This check's count of signals left out replaces the last one's, or its absence does.
  const { signalsOmitted: _, ...previous } = state;
  return {
    signals,
    judged: {
      ...previous,
      failedChecks,
      checkedAt: now.toISOString(),
      ...stateSignals(signals),
      alarmsCounted,
      ...(metrics.inconclusiveRuns ? { inconclusiveRuns: metrics.inconclusiveRuns } : {}),
    },
  };
}

/**
 * The profile's metric checks over the whole minutes since the last analysis, read with one
 * GetMetricData call. Analyses less than a minute apart read no metrics: the minute is judged by the
 * next one, whose window starts where this one's would have.
 */
async function judgeMetrics(
  state: ReleaseState,
  since: Date,
  now: Date,
  deps: AnalyzeDeps,
): Promise<{ signals: Signal[]; inconclusiveRuns?: Record<string, number> }> {
  const checks = state.profile.analysis.metrics ?? [];
  const window = checks.length ? metricWindow(since, now) : undefined;
  if (!window) return { signals: [] };
  const plan = metricRequest(checks, { version: state.version, ...state.cast });
  const series = await deps.health.readMetrics({ queries: plan.queries, ...window });
  return judgeMetricChecks(
    checks,
    plan,
    new Map(series.map((s) => [s.id, s.values])),
    state.profile.analysis.inconclusiveLimit ?? DEFAULT_INCONCLUSIVE_LIMIT,
    state.inconclusiveRuns,
  );
}

interface Judgement {
  /** Why the release must not go on, when it must not. */
  readonly failing: Halt | undefined;
  /** This check failed, whether or not failed checks reached the threshold. */
  readonly failedNow: Halt | undefined;
  readonly control: ReleaseControl | undefined;
  readonly now: Date;
}

/** The next move, from the judgement, the profile's onFailure, and what an operator asked. */
async function decide(state: ReleaseState, judgement: Judgement, deps: AnalyzeDeps): Promise<ReleaseState> {
  const { failing, failedNow, control, now } = judgement;
  const promote = control?.promote;
  if (promote && promote.at !== state.promotedBy) {
    // A person's promote outranks the analysis and any hold: they decided with more than we can see.
    await deps.events.emit({
      type: 'operator.promoted',
      ...about(state),
      full: promote.full,
      step: state.step,
      ...(promote.by ? { by: promote.by } : {}),
    });
    const { frozen, retreat, heldSince, ...moving } = state;
    const next = { ...moving, promotedBy: promote.at, failedChecks: 0 };
    if (promote.full || state.step + 1 >= state.plan.steps.length) return { ...next, next: 'promote' };
    return { ...next, step: state.step + 1, next: 'shift' };
  }
  if (state.retreat) {
    // Already stepping back: one more failed check is enough, whatever failureThreshold says.
    if (failedNow) {
      return halt(state, deps, {
        error: failedNow.error,
        reason: `${state.retreat.reason}; then, while stepping back, ${failedNow.reason}`,
      });
    }
    return stepBack(state, state.retreat, deps);
  }
  if (state.frozen) {
    const resumed = control?.resumed;
    if (!resumed || resumed.at <= state.frozen.at)
      return hold(state, 'frozen', state.frozen.reason, now, deps);
    await deps.events.emit({
      type: 'release.resumed',
      ...about(state),
      after: 'frozen',
      ...(resumed.by ? { by: resumed.by } : {}),
    });
    const { frozen, heldSince, ...thawed } = state;
    return advance({ ...thawed, failedChecks: 0 }, control, now, deps);
  }
  if (failing) {
    switch (state.profile.onFailure) {
      case 'rollback':
        return halt(state, deps, failing);
      case 'gradual':
        return stepBack(state, failing, deps);
      case 'freeze':
        return hold(
          { ...state, frozen: { ...failing, at: now.toISOString() } },
          'frozen',
          failing.reason,
          now,
          deps,
        );
    }
  }
  return advance(state, control, now, deps);
}

/** On through the plan: the next check of this step, then (unless paused) the next step, then promote. */
async function advance(
  state: ReleaseState,
  control: ReleaseControl | undefined,
  now: Date,
  deps: AnalyzeDeps,
): Promise<ReleaseState> {
  const step = state.plan.steps[state.step];
  const nextCheck = step?.checkSeconds[state.check + 1];
  if (nextCheck !== undefined)
    return { ...state, check: state.check + 1, bakeSeconds: nextCheck, next: 'bake' };
  if (state.awaiting) return confirmPromotion(state, control, now, deps);
  if (control?.paused) {
    const by = control.paused.by ? ` by ${control.paused.by}` : '';
    return hold(state, 'paused', `paused${by} at ${control.paused.at}`, now, deps);
  }
  const { heldSince, ...moving } = state;
  if (heldSince) {
    await deps.events.emit({
      type: 'release.resumed',
      ...about(state),
      after: 'paused',
      ...(control?.resumed?.by ? { by: control.resumed.by } : {}),
    });
  }
  if (state.step + 1 < state.plan.steps.length) return { ...moving, step: state.step + 1, next: 'shift' };
  return confirmPromotion(moving, control, now, deps);
}

/**
 * Before promoting: the confirmPromotion Lambda and webhook hooks (once, when the promotion is first
 * due), then the manual one, if any: the release holds, analysis going on, until stepshift approve or
 * reject, or until the hook's deadline, when its onExpiry decides.
 */
async function confirmPromotion(
  state: ReleaseState,
  control: ReleaseControl | undefined,
  now: Date,
  deps: AnalyzeDeps,
): Promise<ReleaseState> {
  const at = `at step ${state.step + 1} with ${currentWeight(state)}% on the new version`;
  if (!state.awaiting) {
    const targets = state.written ?? state.snapshot;
    const failed = hookFailures('confirmPromotion', await runHooks('confirmPromotion', state, targets, deps));
    if (failed) return halt(state, deps, { error: 'HookFailed', reason: `${failed}, ${at}` });
  }
  const manual = manualHookOf(state.profile.hooks);
  if (!manual) return { ...state, next: 'promote' };
  const { awaiting, heldSince, ...decided } = state;
  if (control?.rejected) {
    const { by, reason } = control.rejected;
    return halt(state, deps, {
      error: 'PromotionRejected',
      reason: `promotion rejected${by ? ` by ${by}` : ''} at ${control.rejected.at}${reason ? `: ${reason}` : ''}, ${at}`,
    });
  }
  if (control?.approved) {
    if (awaiting) {
      await deps.events.emit({
        type: 'release.resumed',
        ...about(state),
        after: 'approval',
        ...(control.approved.by ? { by: control.approved.by } : {}),
      });
    }
    return { ...decided, next: 'promote' };
  }
  const waiting = awaiting ?? {
    hook: manual.name,
    since: now.toISOString(),
    deadline: new Date(now.getTime() + manual.deadline * 1000).toISOString(),
  };
  if (now.toISOString() >= waiting.deadline) {
    const expired = `no one answered ${manual.name} (stepshift approve or reject) by ${waiting.deadline}`;
    if (manual.onExpiry === 'promote') return { ...decided, next: 'promote' };
    return halt(state, deps, {
      error: 'ApprovalExpired',
      reason: `${expired}, so it rolled back (onExpiry "rollback"), ${at}`,
    });
  }
  const left = Math.max(1, Math.round((Date.parse(waiting.deadline) - now.getTime()) / 1000));
  const held = await hold(
    { ...state, awaiting: waiting },
    'approval',
    `waiting for stepshift approve ${state.releaseId} (or reject) until ${waiting.deadline}`,
    now,
    deps,
  );
  return held.next === 'bake' ? { ...held, bakeSeconds: Math.min(held.bakeSeconds, left) } : held;
}

/**
 * A halt's reason quotes signals, hooks' reasons and operators' words: bounded where it enters the
 * state (which travels in every state's input and output) and the events.
 */
function boundedHalt(why: Halt): Halt {
  return {
    error: why.error,
    reason: bounded(why.reason),
    ...(why.signals ? { signals: why.signals.map((s) => bounded(s, BRIEF_BYTES)) } : {}),
    ...(why.signalsOmitted ? { signalsOmitted: why.signalsOmitted } : {}),
  };
}

/** A brief signal names a value and a threshold: a few dozen bytes, bounded for what else it may quote. */
const BRIEF_BYTES = 128;
/** At most this many brief signals travel in the state: a notification names the first few. */
const BRIEF_SIGNALS = 5;

/** The failed signals in brief, for the halt (none when no signal failed), and how many that left out. */
function briefly(failed: readonly Signal[]): Pick<Halt, 'signals' | 'signalsOmitted'> {
  if (!failed.length) return {};
  const signals = failed.slice(0, BRIEF_SIGNALS).map(briefSignal);
  return { signals, ...leftOut(failed.length, signals.length) };
}

/** Rolls back now, telling why. */
async function halt(state: ReleaseState, deps: AnalyzeDeps, halting: Halt): Promise<ReleaseState> {
  const why = boundedHalt(halting);
  await deps.events.emit({ type: 'release.halted', ...about(state), ...why });
  return { ...state, next: 'rollback', halt: why };
}

/** onFailure "gradual": one plan step back down per check; past the first step, the snapshot. */
async function stepBack(state: ReleaseState, backing: Halt, deps: AnalyzeDeps): Promise<ReleaseState> {
  const why = boundedHalt(backing);
  const back = state.step - 1;
  const weight = state.plan.steps[back]?.weight;
  if (weight === undefined) return halt(state, deps, why);
  await deps.events.emit({ type: 'release.retreating', ...about(state), ...why, weight });
  return { ...state, retreat: why, step: back, failedChecks: 0, next: 'shift' };
}

/**
 * Holds the weights for another check (paused or frozen). Each check spends execution history, so a
 * hold that would leave too little for a rollback rolls back instead, while it still can.
 */
async function hold(
  state: ReleaseState,
  why: 'paused' | 'frozen' | 'approval',
  holding: string,
  now: Date,
  deps: AnalyzeDeps,
): Promise<ReleaseState> {
  const reason = bounded(holding);
  const holds = (state.holds ?? 0) + 1;
  const since = state.heldSince ?? now.toISOString();
  if (state.plan.historyEvents + holds * HOLD_HISTORY_EVENTS + HISTORY_EVENT_RESERVE > HISTORY_EVENT_LIMIT) {
    const held = formatDuration(Math.round((now.getTime() - Date.parse(since)) / 1000));
    return halt(state, deps, {
      error: 'ReleaseRolledBack',
      reason: `${reason}; held ${held}, until the execution's history (${HISTORY_EVENT_LIMIT} events) would no longer leave room for a rollback, so it rolled back`,
    });
  }
  if (!state.heldSince) {
    // Told once, when the hold begins, not at every check.
    await deps.events.emit({
      type: 'release.held',
      ...about(state),
      why,
      reason,
      targets: state.written ?? state.snapshot,
    });
  }
  const step = state.plan.steps[state.step];
  const interval = step?.checkSeconds.at(-1) ?? state.bakeSeconds;
  const bakeSeconds =
    why === 'frozen' ? Math.min(MAX_FROZEN_HOLD_SECONDS, interval * 2 ** Math.min(holds - 1, 20)) : interval;
  return { ...state, holds, heldSince: since, bakeSeconds, next: 'bake' };
}
