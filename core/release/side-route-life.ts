import type { ReleaseDeps, Router } from '../ports.ts';
import { sideRouteOf } from '../side-route.ts';
import { about, type ReleaseState } from './state.ts';
import { writeKey } from './traffic.ts';

/**
 * Opens the release's side route (blue/green's test route, A/B's cohort route) at its step at 0, before
 * any production weight moves. A retried Shift opens it again with the same key, which changes nothing.
 */
export async function openSideRouteFor(
  state: ReleaseState,
  router: Router,
  deps: ReleaseDeps,
): Promise<void> {
  const side = sideRouteOf(state.profile, state.snapshot, state.cast);
  if (!side || !router.openSideRoute) return;
  await router.openSideRoute(side, writeKey(state, `side-route:${side.name}`));
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
 */
export async function closeSideRoute(
  name: string | undefined,
  router: Router,
  release: { releaseId: string; service: string; version: string },
  deps: ReleaseDeps,
): Promise<void> {
  if (name === undefined || !router.closeSideRoute) return;
  const removed = await router.closeSideRoute(name);
  await deps.events.emit({ type: 'side_route.closed', ...release, route: name, removed });
}

/** The name of the side route this release opens, if any. */
export function sideRouteNameOf(state: ReleaseState): string | undefined {
  return sideRouteOf(state.profile, state.snapshot, state.cast)?.name;
}
