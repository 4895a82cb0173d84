import { FencedOutError } from '../errors.ts';

import type { Fence, ReleaseDeps, Router } from '../ports.ts';
import { sideRouteOf } from '../side-route.ts';
import { fencedWrite, mayEnd } from './fence.ts';
import { about, fenceOf, type ReleaseState } from './state.ts';
import { writeKey } from './traffic.ts';

/**
 * Opens the release's side route (blue/green's test route, A/B's cohort route) at its step at 0, before
 * any production weight moves. A retried Shift opens it again with the same key, which changes nothing.
 * Fenced like a weight write: a side route a stopped execution's Shift created after the guard took
 * over is removed again at once.
 */
export async function openSideRouteFor(
  state: ReleaseState,
  router: Router,
  deps: Pick<ReleaseDeps, 'locks' | 'events'>,
): Promise<void> {
  const side = sideRouteOf(state.profile, state.snapshot, state.cast);
  if (!side || !router.openSideRoute || !router.closeSideRoute) return;
  const { openSideRoute, closeSideRoute } = router;
  await fencedWrite(
    fenceOf(state),
    deps,
    `opening the side route ${side.name}`,
    () => openSideRoute.call(router, side, writeKey(state, `side-route:${side.name}`)),
    async () => {
      await closeSideRoute.call(router, side.name);
      return `${side.name} was removed again`;
    },
  );
  await deps.events.emit({
    type: 'side_route.opened',
    ...about(state),
    route: side.name,
    headers: side.headers.map((h) => h.name),
    target: side.target.name,
  });
}

/**
 * Removes the side route of this name, if the release has one: every ending (Finish, Rollback, the
 * guard) calls it before letting go of the route, so a release never leaves its side route behind.
 * Under a fence, only while the route is still held at it (the guard removes it otherwise); a removal
 * that finds itself fenced out afterwards is not undone (the guard wants it gone too), but the task
 * ends FencedOut all the same.
 */
export async function closeSideRoute(
  name: string | undefined,
  router: Router,
  release: { releaseId: string; service: string; version: string },
  deps: Pick<ReleaseDeps, 'locks' | 'events'>,
  fence?: Fence,
): Promise<void> {
  if (name === undefined || !router.closeSideRoute) return;
  const doing = `removing the side route ${name}`;
  const fencedOut = (outcome: string) =>
    new FencedOutError(
      `${fence?.executionId} no longer holds ${fence?.routeKey} at fence ${fence?.fence} (the guard took the route over after the execution ended, or another release holds it), so ${doing} ${outcome}`,
    );
  // A route held by no one is one this release already let go of (a retried ending step): its own
  // side route may still go. Held by someone else, a side route of this name may be theirs.
  if (fence && !(await mayEnd(fence, deps))) throw fencedOut('was not done');
  const removed = await router.closeSideRoute(name);
  await deps.events.emit({ type: 'side_route.closed', ...release, route: name, removed });
  if (fence && !(await mayEnd(fence, deps)))
    throw fencedOut('was done, and left so, since the guard removes it too');
}

/** The name of the side route this release opens, if any. */
export function sideRouteNameOf(state: ReleaseState): string | undefined {
  return sideRouteOf(state.profile, state.snapshot, state.cast)?.name;
}
