import { routingSteps } from '../codedeploy-configs.ts';
import { InvalidRequestError } from '../errors.ts';
import { customConfigOf } from '../plan.ts';
import type { ReleaseDeps, TrafficRouting } from '../ports.ts';
import type { ReleaseProfile } from '../profile/profile.ts';

/**
 * Reads the custom CodeDeploy configuration a strategy names (GetDeploymentConfig), so that the plan
 * can be made from its traffic routing; undefined for every other strategy, which plans offline.
 * `field` names the strategy's config where the reader wrote it (the profile or a request override).
 * @throws InvalidRequestError naming the field when the configuration does not exist, routes no
 * traffic, or cannot be walked in steps.
 */
export async function resolveStrategy(
  profile: ReleaseProfile,
  field: string,
  deps: Pick<ReleaseDeps, 'deploymentConfigs'>,
): Promise<TrafficRouting | undefined> {
  const name = customConfigOf(profile);
  if (name === undefined || profile.strategy.type !== 'codedeploy') return undefined;
  const lookup = await deps.deploymentConfigs.trafficRouting(name);
  if (lookup.found === 'nothing') {
    throw new InvalidRequestError([
      `${field}: no CodeDeploy deployment configuration is named "${name}" in this account and region; create it, or use a predefined one such as "CodeDeployDefault.ECSCanary10Percent5Minutes"`,
    ]);
  }
  if (lookup.found === 'no-traffic-routing') {
    throw new InvalidRequestError([
      `${field}: "${name}" is a ${lookup.computePlatform} configuration (minimum healthy hosts), which shifts no traffic; name an ECS or Lambda configuration, one with a traffic routing (TimeBasedCanary, TimeBasedLinear or AllAtOnce)`,
    ]);
  }
  const steps = routingSteps(lookup.routing, profile.strategy.bake);
  if (typeof steps === 'string') throw new InvalidRequestError([`${field}: "${name}" ${steps}`]);
  return lookup.routing;
}
