import type { ReleaseProfile } from './profile/profile.ts';
import type { Cast, SideRoute, Target } from './shapes.ts';
import { weightsForStep } from './targets.ts';

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
