import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { customConfigOf } from '#core/plan.ts';
import type { ReleaseProfile } from '#core/profile/profile.ts';

import { stackArn, unique } from '#routers/iam/arns.ts';
import type { FunctionPermissions } from './function-permissions.ts';
import { ECS_SERVICES_REASON, VERSION_ECS_SERVICES } from './wildcards.ts';

/**
 * ecs:DescribeServices on the new versions' services, for profiles that name one (readiness): the part
 * of the service template before {version} (3 or more ECS name characters), in the one named cluster.
 */
export function ecsServicesOf(profiles: readonly ReleaseProfile[]): FunctionPermissions {
  const services = unique(
    profiles.flatMap((p) => {
      const ecs = p.targets.ecsService;
      if (!ecs) return [];
      const prefix = ecs.service.slice(0, ecs.service.indexOf('{version}'));
      return [stackArn('ecs', `service/${ecs.cluster}/${prefix}*`)];
    }),
  );
  if (services.length === 0) return { statements: [], wildcards: [] };
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'CheckNewVersionServices',
        actions: ['ecs:DescribeServices'],
        resources: services.map((s) => s.arn),
      }),
    ],
    wildcards: services.map((s) => ({
      shape: VERSION_ECS_SERVICES,
      finding: s.finding,
      why: ECS_SERVICES_REASON,
    })),
  };
}

/**
 * Prepare reads the custom CodeDeploy configurations the profiles name (GetDeploymentConfig), each by
 * its own ARN: the Service Authorization Reference's deploymentconfig resource,
 * arn:<partition>:codedeploy:<region>:<account>:deploymentconfig:<name>. Predefined configurations
 * are resolved offline and need no grant; with no custom configuration there is no statement at all.
 */
export function deploymentConfigAccess(profiles: readonly ReleaseProfile[]): iam.PolicyStatement[] {
  const names = [...new Set(profiles.map(customConfigOf).filter((n): n is string => n !== undefined))];
  if (names.length === 0) return [];
  return [
    new iam.PolicyStatement({
      sid: 'ReadCustomDeploymentConfigs',
      actions: ['codedeploy:GetDeploymentConfig'],
      resources: names.map(
        (name) => `arn:${Aws.PARTITION}:codedeploy:${Aws.REGION}:${Aws.ACCOUNT_ID}:deploymentconfig:${name}`,
      ),
    }),
  ];
}
