import { CodeDeployClient, type DeploymentStatus, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import type { ActiveDeployments } from './router.ts';

/**
 * The statuses of a deployment that has not ended (API reference: ListDeployments includeOnlyStatuses;
 * the others are Succeeded, Failed and Stopped). Ready and Baking are a blue/green deployment's wait
 * before rerouting and after it, while CodeDeploy still holds the deployment group.
 */
export const UNFINISHED_STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Ready',
  'Baking',
];

/**
 * ListDeployments of one deployment group, every page (nextToken), only the deployments not ended.
 * Only Prepare and `stepshift doctor` import this module, so the other functions' code holds no
 * CodeDeploy client (adapters/prepare-router-port.ts).
 */
export function activeDeploymentsOver(aws: AwsClientSource): ActiveDeployments {
  const client = aws.client(CodeDeployClient);
  return async ({ application, deploymentGroup }) => {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListDeploymentsCommand({
          applicationName: application,
          deploymentGroupName: deploymentGroup,
          includeOnlyStatuses: [...UNFINISHED_STATUSES],
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      ids.push(...(page.deployments ?? []));
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
    return ids;
  };
}
