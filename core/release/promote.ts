import type { ReleaseDeps } from '../ports.ts';
import { promotedWeights } from '../targets.ts';

import { runHooks } from './run-hooks.ts';
import { closeSideRoute, sideRouteNameOf } from './side-route-life.ts';
import { about, assertReleaseState, fenceOf, freeRoute, type ReleaseState } from './state.ts';
import { applyWeights, writeKey } from './traffic.ts';

/** Sends all traffic to the new version and drops the old stable entry from the route. */
export async function promoteRelease(
  input: unknown,
  deps: Pick<ReleaseDeps, 'routerFor' | 'events' | 'locks'>,
): Promise<ReleaseState> {
  assertReleaseState(input);
  const state = input;
  const desired = promotedWeights(state.snapshot, state.cast);
  const router = await deps.routerFor(state.profile.router);
  await applyWeights(router, state, desired, writeKey(state, 'promote'), deps);
  await deps.events.emit({
    type: 'release.promoted',
    ...about(state),
    targets: desired,
  });
  return { ...state, written: desired, next: 'promote' };
}

/** Closes a promoted release. */
export async function finishRelease(
  input: unknown,
  deps: Pick<ReleaseDeps, 'routerFor' | 'events' | 'locks' | 'controls' | 'hooks'>,
): Promise<{ releaseId: string; outcome: 'promoted' }> {
  assertReleaseState(input);
  // Reported, never blocking: traffic is already promoted.
  await runHooks('postRollout', input, input.written ?? promotedWeights(input.snapshot, input.cast), deps);
  // Production is on the new version: the side route has nothing left to test.
  const router = await deps.routerFor(input.profile.router);
  await closeSideRoute(sideRouteNameOf(input), router, about(input), deps, fenceOf(input));
  await freeRoute(input, deps);
  await deps.events.emit({
    type: 'release.finished',
    ...about(input),
    outcome: 'promoted',
    targets: input.written ?? promotedWeights(input.snapshot, input.cast),
  });
  return { releaseId: input.releaseId, outcome: 'promoted' };
}
