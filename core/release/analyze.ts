import { haltReason, judgeAlarms, type Signal } from '../analysis.ts';
import {
  DEFAULT_INCONCLUSIVE_LIMIT,
  judgeMetricChecks,
  metricRequest,
  metricWindow,
} from '../metric-checks.ts';
import type { AlarmChange, ReleaseDeps } from '../ports.ts';
import { about, assertReleaseState, currentWeight, type ReleaseState } from './state.ts';
import { assertNoDrift } from './traffic.ts';

/**
 * Checks that the route still holds this release's weights (RouteDrifted if someone changed them),
 * reads the health signals after a bake and decides what comes next: bake again within the step,
 * shift to the next step, promote after the last, or roll back once failed checks reach the threshold.
 */
export async function analyzeHealth(input: unknown, deps: ReleaseDeps): Promise<ReleaseState> {
  assertReleaseState(input);
  const state = input;
  const { analysis } = state.profile;
  // Someone may have edited the route while it baked: find out now, not at the next write.
  const router = deps.routerFor(state.profile.router);
  const route = await router.read();
  assertNoDrift(router.routeId, state, route.targets, state.written ?? state.snapshot);
  const now = deps.clock.now();
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
  const signals = [...judgeAlarms(analysis, readings, { between, now }), ...metrics.signals];
  const checkedAt = now.toISOString();
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
  const judged = {
    ...state,
    failedChecks,
    checkedAt,
    alarmsCounted,
    ...(metrics.inconclusiveRuns ? { inconclusiveRuns: metrics.inconclusiveRuns } : {}),
  };
  if (failed.length && failedChecks >= analysis.failureThreshold) {
    const reason = haltReason(failed, state.step, currentWeight(state), failedChecks);
    await deps.events.emit({
      type: 'release.halted',
      ...about(state),
      error: 'ReleaseRolledBack',
      reason,
    });
    return { ...judged, next: 'rollback', halt: { error: 'ReleaseRolledBack', reason } };
  }
  const step = state.plan.steps[state.step];
  const nextCheck = step?.checkSeconds[state.check + 1];
  if (nextCheck !== undefined)
    return { ...judged, check: state.check + 1, bakeSeconds: nextCheck, next: 'bake' };
  if (state.step + 1 < state.plan.steps.length) return { ...judged, step: state.step + 1, next: 'shift' };
  return { ...judged, next: 'promote' };
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
  deps: ReleaseDeps,
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
