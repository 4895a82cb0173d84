import { bounded } from '../bounded-text.ts';
import { causeOf } from '../errors.ts';
import type { ReleaseDeps } from '../ports.ts';
import type { Target } from '../shapes.ts';
import { describeTargets, promotedWeights, sameWeights, weightsForStep } from '../targets.ts';
import { fencedWrite } from './fence.ts';
import { runHooks } from './run-hooks.ts';
import { closeSideRoute, sideRouteNameOf } from './side-route-life.ts';
import {
  about,
  assertReleaseProgress,
  assertReleaseState,
  type CaughtFailure,
  currentWeight,
  fenceOf,
  freeRoute,
  type ReleaseProgress,
  type ReleaseState,
} from './state.ts';
import { writeKey, writeVerified } from './traffic.ts';

/** The ports Rollback uses. */
export type RollbackDeps = Pick<ReleaseDeps, 'routerFor' | 'events' | 'locks' | 'controls' | 'hooks'>;

export interface RollbackInput extends ReleaseState {
  /** Present when a Catch brought the release here; absent when analysis decided to roll back. */
  readonly failure?: CaughtFailure;
}

/** What the execution ends with: the Fail state reads error and reason from here. */
export interface RollbackOutcome {
  readonly error: string;
  readonly reason: string;
}

/**
 * How Rollback gets the whole release (its profile included) from its input: on AWS, loaded from the
 * table (./wire.ts); the default takes an input that already carries it.
 */
export type ReleaseLoader = (input: unknown) => Promise<ReleaseState>;

async function carried(input: unknown): Promise<ReleaseState> {
  assertReleaseState(input);
  return input;
}

/**
 * Puts the snapshot's weights back. When someone else changed the route (the release stopped on
 * RouteDrifted, or the route holds weights this release never writes), their change stands:
 * stepshift reports it and does not overwrite it.
 */
export async function rollBack(
  input: unknown,
  deps: RollbackDeps,
  load: ReleaseLoader = carried,
): Promise<RollbackOutcome> {
  assertReleaseProgress(input);
  const progress = input as ReleaseProgress & { readonly failure?: CaughtFailure };
  // A halt with an error of its own (AlarmTriggered, ReleaseAborted, HookFailed, PromotionRejected,
  // ApprovalExpired) names it in the reason, as a caught failure does.
  const cause = progress.halt
    ? progress.halt.error === 'ReleaseRolledBack'
      ? { error: progress.halt.error, reason: progress.halt.reason }
      : { error: progress.halt.error, reason: bounded(`${progress.halt.error}: ${progress.halt.reason}`) }
    : describeFailure(progress.failure);
  // Each attempt is announced, before anything can fail (the profile's load included): Step Functions
  // retries this state when a restore fails.
  await deps.events.emit({
    type: 'rollback.started',
    ...about(progress),
    ...cause,
  });
  const state = (await load(input)) as RollbackInput;
  const router = await deps.routerFor(state.profile.router);
  const current = await router.read();
  if (!sameWeights(current.targets, state.snapshot)) {
    if (!isOurs(state, current.targets)) {
      // Weights this release did not write: a person or another tool took over. Their change stands.
      const drifted = {
        error: 'RouteDrifted',
        reason: bounded(
          cause.error === 'RouteDrifted'
            ? `${cause.reason}; the route was left as found`
            : `${cause.reason}; then, before restoring, found ${describeTargets(current.targets)} on ${router.routeId}, which this release did not write, so the route was left as found`,
        ),
      };
      await deps.events.emit({
        type: 'release.failed',
        ...about(state),
        ...drifted,
        targets: current.targets,
      });
      await closeSideRoute(sideRouteNameOf(state), router, about(state), deps, fenceOf(state));
      await freeRoute(state, deps);
      return drifted;
    }
    // Fenced like every write; the snapshot is what the guard restores too, so nothing is put back.
    await fencedWrite(
      fenceOf(state),
      deps,
      `restoring the snapshot on ${router.routeId}`,
      () => writeVerified(router, state.snapshot, writeKey(state, 'rollback'), current),
      async () => 'left so, since the guard restores the snapshot too',
    );
  }
  const outcome = { error: 'ReleaseRolledBack', reason: cause.reason };
  // Reported, never blocking: recovery does not wait for a hook.
  await runHooks('rollback', state, state.snapshot, deps);
  await deps.events.emit({
    type: 'release.rolled_back',
    ...about(state),
    targets: state.snapshot,
    ...outcome,
    // Where it got to and what failed, as structure: a notification says it at a glance.
    step: state.step,
    weight: currentWeight(state),
    ...(state.halt?.signals ? { signals: state.halt.signals } : {}),
    ...(state.halt?.signalsOmitted ? { signalsOmitted: state.halt.signalsOmitted } : {}),
  });
  // After production is back (what matters most if DeleteRoute fails), and before the route is let go:
  // a retried rollback finds the weights restored and tries the side route again.
  await closeSideRoute(sideRouteNameOf(state), router, about(state), deps, fenceOf(state));
  await freeRoute(state, deps);
  return outcome;
}

/**
 * Whether these weights are this release's: what it last wrote (or the snapshot), or what the state
 * that failed was writing when it failed (the current step's weights, or the promoted state).
 */
function isOurs(state: ReleaseState, targets: readonly Target[]): boolean {
  if (sameWeights(targets, state.written ?? state.snapshot)) return true;
  if (state.next === 'promote') return sameWeights(targets, promotedWeights(state.snapshot, state.cast));
  const step = state.plan.steps[state.step];
  return step !== undefined && sameWeights(targets, weightsForStep(state.snapshot, state.cast, step.weight));
}

/** Turns a caught Step Functions error into a sentence. */
export function describeFailure(failure: CaughtFailure | undefined): RollbackOutcome {
  if (!failure)
    return { error: 'Unknown', reason: 'the release stopped for a reason Step Functions did not report' };
  // The cause is whatever the failing task's error document held: bounded before it is a reason.
  const { message } = causeOf(failure.Cause ?? '');
  return { error: failure.Error, reason: bounded(`${failure.Error}: ${message || 'no details'}`) };
}
