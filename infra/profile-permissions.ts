import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile.ts';
import type { DeployedFunction } from '#functions/index.ts';

export type { DeployedFunction };

/**
 * A wildcard in a resource the construct grants, with the reason a reviewer would accept. The
 * construct acknowledges each one to cdk-nag (AwsSolutions-IAM5) on the role it is granted to.
 */
export interface Wildcard {
  /** The resource as cdk-nag's IAM5 rule spells it: pseudo parameters as <AWS::Name>. */
  readonly finding: string;
  readonly reason: string;
}

export interface FunctionPermissions {
  readonly statements: readonly iam.PolicyStatement[];
  readonly wildcards: readonly Wildcard[];
}

/** An ARN both as CloudFormation resolves it and as cdk-nag names it in a finding. */
interface ArnPair {
  readonly arn: string;
  readonly finding: string;
}

function appMeshArn(account: string | undefined, resource: string): ArnPair {
  return {
    arn: `arn:${Aws.PARTITION}:appmesh:${Aws.REGION}:${account ?? Aws.ACCOUNT_ID}:${resource}`,
    finding: `arn:<AWS::Partition>:appmesh:<AWS::Region>:${account ?? '<AWS::AccountId>'}:${resource}`,
  };
}

/** The route a profile shifts: the only route its functions may read or write. */
function routeArn(profile: ReleaseProfile): ArnPair {
  const { meshName, virtualRouterName, routeName, meshOwner } = profile.router;
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualRouter/${virtualRouterName}/route/${routeName}`);
}

/**
 * The profile's versions' virtual nodes: the part of targets.canary before {version}, then a wildcard,
 * because the version is only known when a release starts.
 */
function versionNodesArn(profile: ReleaseProfile): ArnPair {
  const { meshName, meshOwner } = profile.router;
  const prefix = profile.targets.canary.slice(0, profile.targets.canary.indexOf('{version}'));
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualNode/${prefix}*`);
}

const VERSION_NODES_REASON =
  "The new version's virtual node is named by the profile's targets.canary template, and the version is only known when a release starts, so the node is granted by the template's prefix. The prefix keeps the grant to this service's nodes in this mesh.";

const ALARMS_REASON =
  'cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory return composite alarms only when the permission is scoped to "*" (CloudWatch API reference for both actions). Profiles name metric and composite alarms alike and requests may override them, so scoping to alarm ARNs would make a composite alarm read as missing and fail the release. Both actions only read alarm state and history.';

const METRICS_REASON =
  'cloudwatch:GetMetricData supports no resource-level permissions (Service Authorization Reference for Amazon CloudWatch), so it is granted on "*". Analyze reads the metric checks of profiles and of requests that override them; the action only reads metric data.';

const XRAY_REASON =
  'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference for AWS X-Ray), so Lambda grants them on "*".';

/**
 * The AWS permissions each function needs for these profiles, from what each state's code calls
 * (core/release/*.ts):
 * - Prepare reads the route (the snapshot), checks that the new version's virtual node exists, and
 *   checks that the alarms exist.
 * - Shift, Promote and Rollback read the route and write its weights (UpdateRoute).
 * - Analyze reads the route (to catch a person's edit during the bake), the alarms, the state
 *   history of those that changed, and the metric checks' data (GetMetricData).
 * - Bake, Finish and the alarm function call no AWS API but EventBridge, stepshift's table and (Bake
 *   and the alarm function) Step Functions' task callbacks, which the construct grants.
 * - The guard reads the route and writes the snapshot back after an execution ended without doing so.
 *
 * UpdateRoute is also granted on the version nodes: the Service Authorization Reference lists
 * virtualNode among the resource types App Mesh may authorize a route write against (the nodes of its
 * weightedTargets), besides the route itself.
 */
export function permissionsFor(
  profiles: readonly ReleaseProfile[],
): Record<DeployedFunction, FunctionPermissions> {
  const routes = profiles.map(routeArn);
  const nodes = unique(profiles.map(versionNodesArn));
  const nodeWildcards = nodes.map((n) => ({ finding: n.finding, reason: VERSION_NODES_REASON }));
  const arns = (pairs: readonly ArnPair[]) => unique(pairs).map((p) => p.arn);

  const readAlarms = (actions: string[]) =>
    new iam.PolicyStatement({ sid: 'ReadAlarms', actions, resources: ['*'] });
  const writeRoute = (): FunctionPermissions => ({
    statements: [
      new iam.PolicyStatement({
        sid: 'ShiftProfiledRoutes',
        actions: ['appmesh:DescribeRoute', 'appmesh:UpdateRoute'],
        resources: arns(routes),
      }),
      new iam.PolicyStatement({
        sid: 'RouteToVersionNodes',
        actions: ['appmesh:UpdateRoute'],
        resources: arns(nodes),
      }),
    ],
    wildcards: [...nodeWildcards, { finding: '*', reason: XRAY_REASON }],
  });

  return {
    Prepare: {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadProfiledRoutes',
          actions: ['appmesh:DescribeRoute'],
          resources: arns(routes),
        }),
        new iam.PolicyStatement({
          sid: 'FindVersionNodes',
          actions: ['appmesh:DescribeVirtualNode'],
          resources: arns(nodes),
        }),
        readAlarms(['cloudwatch:DescribeAlarms']),
      ],
      wildcards: [...nodeWildcards, { finding: '*', reason: `${XRAY_REASON} ${ALARMS_REASON}` }],
    },
    Shift: writeRoute(),
    Bake: { statements: [], wildcards: [{ finding: '*', reason: XRAY_REASON }] },
    Analyze: {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadProfiledRoutes',
          actions: ['appmesh:DescribeRoute'],
          resources: arns(routes),
        }),
        readAlarms(['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory']),
        new iam.PolicyStatement({
          sid: 'ReadMetrics',
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
      ],
      wildcards: [{ finding: '*', reason: `${XRAY_REASON} ${ALARMS_REASON} ${METRICS_REASON}` }],
    },
    Promote: writeRoute(),
    Finish: { statements: [], wildcards: [{ finding: '*', reason: XRAY_REASON }] },
    Rollback: writeRoute(),
    Guard: writeRoute(),
    Alarm: { statements: [], wildcards: [{ finding: '*', reason: XRAY_REASON }] },
  };
}

function unique(pairs: readonly ArnPair[]): ArnPair[] {
  return [...new Map(pairs.map((p) => [p.finding, p])).values()];
}
