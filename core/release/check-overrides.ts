import { InvalidRequestError } from '../errors.ts';
import { overrideProblems } from '../overrides.ts';
import { type Plan, planRelease } from '../plan.ts';
import type { ReleaseDeps } from '../ports.ts';
import { profileSchemaFor, type ReleaseProfile } from '../profile/profile.ts';
import type { ReleaseRequest } from '../profile/request.ts';

import { originOf, type RequestCandidate } from '../triggers/candidate.ts';
import { resolveStrategy } from './resolve-strategy.ts';

/**
 * Refuses a request whose overrides would loosen the profile's gates (core/overrides.ts), before
 * anything is read from or written to the route. The profile's own plan is made only when the request
 * replaces the strategy, reading a custom CodeDeploy configuration of the profile's if it names one.
 * @throws InvalidRequestError naming each override that is not allowed, and the setting that allows it.
 */
export async function refuseWeakerOverrides(
  own: ReleaseProfile,
  request: ReleaseRequest,
  overridden: Plan,
  candidate: RequestCandidate,
  deps: Pick<ReleaseDeps, 'profiles' | 'deploymentConfigs' | 'routerKinds'>,
): Promise<void> {
  const overrides = request.overrides;
  if (!overrides) return;
  const comparePlans = overrides.strategy !== undefined && !own.allowOverrides?.includes('strategy');
  const plans = comparePlans
    ? {
        own: planRelease(own, await resolveStrategy(own, 'profile.strategy.config', deps)),
        overridden,
      }
    : undefined;
  const schema = profileSchemaFor(deps.routerKinds);
  const profileAlarms = new Set(
    (await deps.profiles.all()).flatMap((raw) => schema.safeParse(raw).data?.analysis.alarms ?? []),
  );
  const problems = overrideProblems(own, overrides, {
    field: (path) => originOf(candidate, path),
    profileAlarms,
    ...(plans ? { plans } : {}),
  });
  if (problems.length) throw new InvalidRequestError(problems);
}
