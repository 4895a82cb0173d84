import { CorruptStateError } from '../errors.ts';
import type { ReleaseDeps } from '../ports.ts';
import { weightsForStep } from '../targets.ts';
import { requireHooks } from './run-hooks.ts';
import { openSideRouteFor } from './side-route-life.ts';
import { about, assertReleaseState, type ReleaseState } from './state.ts';
import { applyWeights, writeKey } from './traffic.ts';

/**
 * Puts the current step's weights on the route. Safe to retry: the same step read back as already
 * applied writes nothing, and the idempotency key makes a repeated write a no-op on the router.
 */
export async function shiftTraffic(
  input: unknown,
  deps: Pick<ReleaseDeps, 'routerFor' | 'events' | 'hooks' | 'locks'>,
): Promise<ReleaseState> {
  assertReleaseState(input);
  const state = input;
  const step = state.plan.steps[state.step];
  if (!step)
    throw new CorruptStateError(
      `step ${state.step + 1} is not in this release's plan of ${state.plan.steps.length}`,
    );
  const desired = weightsForStep(state.snapshot, state.cast, step.weight);
  // Hooks come before traffic moves forward (not when stepping back): a failing one stops the release.
  if (!state.retreat) {
    if (state.written === null) await requireHooks('preRollout', state, state.snapshot, deps);
    await requireHooks('confirmTrafficIncrease', state, desired, deps);
  }
  const router = await deps.routerFor(state.profile.router);
  // The side route opens before production moves; at its step (0) production does not move at all.
  if (step.weight === 0) await openSideRouteFor(state, router, deps);
  // Stepping back (onFailure "gradual") writes a step's weights a second time: a key of its own, since
  // the router answers a reused key with the first write's result.
  const key = writeKey(state, `${state.retreat ? 'retreat' : 'step'}:${state.step}`);
  const { unchanged } = await applyWeights(router, state, desired, key, deps);
  await deps.events.emit({
    type: 'traffic.shifted',
    ...about(state),
    step: state.step,
    steps: state.plan.steps.length,
    targets: desired,
    unchanged,
  });
  return { ...state, written: desired, check: 0, bakeSeconds: step.checkSeconds[0] ?? 1, next: 'bake' };
}
