import {
  CodeDeployClient,
  type DeploymentConfigInfo,
  GetDeploymentConfigCommand,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';

import { DeploymentConfigsUnavailableError } from '#core/errors.ts';
import type { DeploymentConfigs, TrafficRouting } from '#core/ports.ts';
import { awsErrorName, unavailableAs } from './aws-errors.ts';
import type { AwsClientSource } from './client-source.ts';

/** GetDeploymentConfig's answers for a name that names no configuration. */
const NOT_FOUND = new Set(['DeploymentConfigDoesNotExistException', 'InvalidDeploymentConfigNameException']);

/**
 * CodeDeploy's deployment configurations (GetDeploymentConfig). A configuration without a
 * trafficRoutingConfig (EC2/on-premises: minimum healthy hosts) is reported as such, with its platform.
 */
export function createCodeDeployConfigs(client: CodeDeployClient): DeploymentConfigs {
  return {
    async trafficRouting(name) {
      let info: DeploymentConfigInfo | undefined;
      try {
        info = (await client.send(new GetDeploymentConfigCommand({ deploymentConfigName: name })))
          .deploymentConfigInfo;
      } catch (error) {
        if (NOT_FOUND.has(awsErrorName(error))) return { found: 'nothing' };
        throw unavailableAs(`GetDeploymentConfig of ${name}`, error, DeploymentConfigsUnavailableError);
      }
      if (!info) return { found: 'nothing' };
      const routing = info.trafficRoutingConfig && routingOf(info.trafficRoutingConfig);
      return routing
        ? { found: 'traffic-routing', routing }
        : { found: 'no-traffic-routing', computePlatform: info.computePlatform ?? 'Server' };
    },
  };
}

/** CodeDeploy's TrafficRoutingConfig in core's terms; undefined when its type is missing or unknown. */
function routingOf(config: TrafficRoutingConfig): TrafficRouting | undefined {
  switch (config.type) {
    case 'AllAtOnce':
      return { type: 'AllAtOnce' };
    case 'TimeBasedCanary':
      return {
        type: 'TimeBasedCanary',
        percentage: config.timeBasedCanary?.canaryPercentage ?? Number.NaN,
        intervalMinutes: config.timeBasedCanary?.canaryInterval ?? Number.NaN,
      };
    case 'TimeBasedLinear':
      return {
        type: 'TimeBasedLinear',
        percentage: config.timeBasedLinear?.linearPercentage ?? Number.NaN,
        intervalMinutes: config.timeBasedLinear?.linearInterval ?? Number.NaN,
      };
    default:
      return undefined;
  }
}

/** The port over the functions' SDK clients; port-builders.ts imports this module on first use. */
export function codeDeployConfigsOver(aws: AwsClientSource): DeploymentConfigs {
  return createCodeDeployConfigs(aws.client(CodeDeployClient));
}
