import type { HeaderMatch } from './header-match.ts';
import type { ReleaseProfile } from './profile.ts';
import { type Cast, type Target, weightsForStep } from './targets.ts';

/**
 * A route of stepshift's own beside the release's route: the route's match plus `headers`, ahead of it,
 * sending every matching request to `target` (the new version). Blue/green's test route and A/B's
 * cohort route are both one.
 */
export interface SideRoute {
  /** stepshift-<service>-test or stepshift-<service>-cohort: named by stepshift, so IAM can be scoped to it. */
  readonly name: string;
  readonly headers: readonly HeaderMatch[];
  readonly target: Target;
}

/**
 * The tag a Lattice or ALB side rule carries, its value the side route's name: those rules have ids AWS
 * assigns, so IAM scopes their creation and deletion by this tag (infra/permissions/side-rules.ts), and
 * ALB's adapter finds its rule by it.
 */
export const SIDE_ROUTE_TAG = 'stepshift:side-route';

/** The names a service's side routes may have: what IAM grants CreateRoute and DeleteRoute on. */
export function sideRouteNames(service: string): { test: string; cohort: string } {
  return { test: `stepshift-${service}-test`, cohort: `stepshift-${service}-cohort` };
}

/** The side route a release of this profile opens, or undefined for strategies that need none. */
export function sideRouteOf(
  profile: ReleaseProfile,
  snapshot: readonly Target[],
  cast: Cast,
): SideRoute | undefined {
  const { strategy } = profile;
  if (strategy.type !== 'blue-green' && strategy.type !== 'ab') return undefined;
  const names = sideRouteNames(profile.service);
  // The new version as the route would hold it at 100%: on the stable's port, where the route pins one.
  const target = weightsForStep(snapshot, cast, 100).find((t) => t.name === cast.canary) as Target;
  return strategy.type === 'blue-green'
    ? {
        name: names.test,
        headers: [{ name: strategy.testHeader.name, match: { exact: strategy.testHeader.value } }],
        target,
      }
    : { name: names.cohort, headers: strategy.match.headers, target };
}
