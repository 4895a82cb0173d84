import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';

import type { DeployedFunction } from '#functions/index.ts';
import type { RouteAccess } from '#routers/iam/route-access.ts';
import type { Wildcard } from '#routers/iam/wildcards.ts';
import { routeAccessOf } from '#routers/permissions.ts';
import { type FunctionPermissions, joined } from './permissions/function-permissions.ts';
import { hookSecretGrants } from './permissions/hook-secrets.ts';
import { hookFunctionsOf } from './permissions/hooks.ts';
import { deploymentConfigAccess, ecsServicesOf } from './permissions/readiness.ts';
import { ALARMS_WILDCARD, METRICS_WILDCARD, XRAY_WILDCARD as xray } from './permissions/wildcards.ts';

export type { DeployedFunction, FunctionPermissions, Wildcard };

/**
 * The AWS permissions each function needs for these profiles, from what each state's code calls
 * (core/release/*.ts):
 * - Prepare reads the route (the snapshot), checks that the new version's target exists (and, on
 *   Lattice and ALB, has targets ready), that its ECS service is steady when the profile names one,
 *   and looks for a side route a release left behind.
 * - Shift writes the route, opens the side route and invokes its hooks.
 * - Analyze reads the route (to catch a person's edit during the bake), the alarms, the state
 *   history of those that changed, and the metric checks' data (GetMetricData); it invokes the
 *   rollout and confirmPromotion hooks.
 * - Promote writes the route. Finish and Rollback remove the side route and invoke their hooks;
 *   Rollback writes the route too.
 * - Bake and the alarm function call no AWS API but EventBridge, stepshift's table and Step
 *   Functions' task callbacks, which the construct grants.
 * - The guard reads the route, writes the snapshot back after an execution ended without doing so,
 *   and removes the side route.
 * Every resource comes from names the profile schema held to AWS's rules; every wildcard among them has
 * a fixed shape (permissions/wildcards.ts, each router's iam.ts), which the construct checks before
 * acknowledging (routers/iam/wildcards.ts).
 */
export function permissionsFor(
  profiles: readonly ReleaseProfile[],
): Record<DeployedFunction, FunctionPermissions> {
  const access = routeAccessOf(profiles);
  const all = <K extends keyof RouteAccess>(key: K): RouteAccess[K] =>
    access.flatMap((a) => a[key] as unknown[]) as RouteAccess[K];

  const ecsReadiness = ecsServicesOf(profiles);
  const readAlarms = (actions: string[]) =>
    new iam.PolicyStatement({ sid: 'ReadAlarms', actions, resources: ['*'] });
  const writeRoute = (): FunctionPermissions => ({
    statements: all('write'),
    wildcards: [...all('writeWildcards'), xray],
  });

  const permissions: Record<DeployedFunction, FunctionPermissions> = {
    Prepare: {
      statements: [
        ...all('read'),
        ...all('findTarget'),
        ...all('findSide'),
        readAlarms(['cloudwatch:DescribeAlarms']),
        ...ecsReadiness.statements,
        ...deploymentConfigAccess(profiles),
      ],
      wildcards: [
        ...all('readWildcards'),
        ...all('findWildcards'),
        ...all('findSideWildcards'),
        ...ecsReadiness.wildcards,
        xray,
        ALARMS_WILDCARD,
      ],
    },
    Shift: joined(
      {
        statements: [...all('write'), ...all('openSide')],
        wildcards: [...writeRoute().wildcards, ...all('openWildcards')],
      },
      hookFunctionsOf(profiles, ['preRollout', 'confirmTrafficIncrease']),
    ),
    Bake: { statements: [], wildcards: [xray] },
    Analyze: joined(
      {
        statements: [
          ...all('read'),
          readAlarms(['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory']),
          new iam.PolicyStatement({
            sid: 'ReadMetrics',
            actions: ['cloudwatch:GetMetricData'],
            resources: ['*'],
          }),
        ],
        wildcards: [...all('readWildcards'), xray, ALARMS_WILDCARD, METRICS_WILDCARD],
      },
      hookFunctionsOf(profiles, ['rollout', 'confirmPromotion']),
    ),
    Promote: writeRoute(),
    Finish: joined(
      { statements: all('closeSide'), wildcards: [...all('closeWildcards'), xray] },
      hookFunctionsOf(profiles, ['postRollout']),
    ),
    Rollback: joined(
      {
        statements: [...all('write'), ...all('closeSide')],
        wildcards: [...writeRoute().wildcards, ...all('closeWildcards')],
      },
      hookFunctionsOf(profiles, ['rollback']),
    ),
    Guard: {
      statements: [...all('write'), ...all('closeSide')],
      wildcards: [...writeRoute().wildcards, ...all('closeWildcards')],
    },
    Alarm: { statements: [], wildcards: [xray] },
  };
  for (const [fn, grant] of hookSecretGrants(profiles)) permissions[fn] = joined(permissions[fn], grant);
  return permissions;
}
