import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { HealthUnavailableError } from '#core/errors.ts';
import type { EcsServices } from '#core/ports.ts';
import { unavailableAs } from './aws-errors.ts';
import type { AwsClientSource } from './client-source.ts';

/** ECS DescribeServices, for the new version's readiness; a service ECS reports MISSING is undefined. */
export function createEcsServices(client: ECSClient): EcsServices {
  return {
    async describe(cluster, service) {
      try {
        const out = await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
        const found = out.services?.find((s) => s.serviceName === service);
        if (!found) return undefined;
        return {
          status: found.status ?? 'ACTIVE',
          desiredCount: found.desiredCount ?? 0,
          runningCount: found.runningCount ?? 0,
          deployments: found.deployments?.length ?? 0,
        };
      } catch (error) {
        throw unavailableAs(`DescribeServices of ${cluster}/${service}`, error, HealthUnavailableError);
      }
    },
  };
}

/** The port over the functions' SDK clients; port-builders.ts imports this module on first use. */
export function ecsServicesOver(aws: AwsClientSource): EcsServices {
  return createEcsServices(aws.client(ECSClient));
}
