import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { customConfigOf } from '#core/plan.ts';
import type {
  AlbRouterConfig,
  AppMeshRouterConfig,
  LatticeRouterConfig,
  ReleaseProfile,
} from '#core/profile.ts';
import { sideRouteNames } from '#core/side-route.ts';
import type { DeployedFunction } from '#functions/index.ts';
import { hookSecretGrants } from './hook-secret-permissions.ts';

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

type AppMeshProfile = ReleaseProfile & { router: AppMeshRouterConfig };
type LatticeProfile = ReleaseProfile & { router: LatticeRouterConfig };
type AlbProfile = ReleaseProfile & { router: AlbRouterConfig };

/** The route a profile shifts: the only route its functions may read or write. */
function routeArn(profile: AppMeshProfile): ArnPair {
  const { meshName, virtualRouterName, routeName, meshOwner } = profile.router;
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualRouter/${virtualRouterName}/route/${routeName}`);
}

/**
 * The side routes a blue/green or A/B release of the profile's service may create and delete beside its
 * route, by exact name (stepshift-<service>-test, stepshift-<service>-cohort). Granted for every App Mesh
 * profile, because a request may override its strategy with either.
 */
function sideRouteArns(profile: AppMeshProfile): ArnPair[] {
  const { meshName, virtualRouterName, meshOwner } = profile.router;
  return Object.values(sideRouteNames(profile.service)).map((name) =>
    appMeshArn(meshOwner, `mesh/${meshName}/virtualRouter/${virtualRouterName}/route/${name}`),
  );
}

/**
 * The profile's versions' virtual nodes: the part of targets.canary before {version}, then a wildcard,
 * because the version is only known when a release starts.
 */
function versionNodesArn(profile: AppMeshProfile): ArnPair {
  const { meshName, meshOwner } = profile.router;
  const prefix = profile.targets.canary.slice(0, profile.targets.canary.indexOf('{version}'));
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualNode/${prefix}*`);
}

/**
 * A Lattice resource's ARN from the profile's identifiers: an identifier that is an ARN names its
 * account and region, an id is this stack's. The Service Authorization Reference's formats:
 * service/<svc id>/listener/<listener id>/rule/<rule id>, and targetgroup/<target group id>.
 */
function latticeArn(router: LatticeRouterConfig, resource: string): ArnPair {
  const given = [router.ruleIdentifier, router.listenerIdentifier, router.serviceIdentifier].find((i) =>
    i?.startsWith('arn:'),
  );
  const [, partition, , region, account] = given?.split(':') ?? [];
  return {
    arn: `arn:${partition ?? Aws.PARTITION}:vpc-lattice:${region ?? Aws.REGION}:${account ?? Aws.ACCOUNT_ID}:${resource}`,
    finding: `arn:${partition ?? '<AWS::Partition>'}:vpc-lattice:${region ?? '<AWS::Region>'}:${account ?? '<AWS::AccountId>'}:${resource}`,
  };
}

const lastPart = (identifier: string) => identifier.split('/').pop() as string;

/** The listener, or the rule, whose forward action a Lattice profile shifts. */
function latticeRouteArn(profile: LatticeProfile): ArnPair {
  const { serviceIdentifier, listenerIdentifier, ruleIdentifier } = profile.router;
  const listener = `service/${lastPart(serviceIdentifier)}/listener/${lastPart(listenerIdentifier)}`;
  return latticeArn(
    profile.router,
    ruleIdentifier === undefined ? listener : `${listener}/rule/${lastPart(ruleIdentifier)}`,
  );
}

const VERSION_NODES_REASON =
  "The new version's virtual node is named by the profile's targets.canary template, and the version is only known when a release starts, so the node is granted by the template's prefix. The prefix keeps the grant to this service's nodes in this mesh.";

const LATTICE_TARGET_GROUPS_REASON =
  "VPC Lattice target group ARNs end in the group's id, which AWS assigns when the group is created; stepshift names target groups by the profile's targets.canary template, and the version is only known when a release starts. vpc-lattice:ListTargets only reads the registered targets' health, to check the new version is deployed before any traffic moves.";

const LATTICE_SIDE_RULES_REASON =
  "VPC Lattice rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so vpc-lattice:DeleteRule is granted on the rules of the profile's listener: stepshift finds its side rule (stepshift-<service>-test or -cohort) by name with ListRules and deletes that rule alone. The grant stays on the one listener the profile releases through.";

const LIST_TARGET_GROUPS_REASON =
  'vpc-lattice:ListTargetGroups supports no resource-level permissions (Service Authorization Reference for Amazon VPC Lattice): it maps the target group names the profile uses to the ids the forward action holds. It only lists.';

const ELB_DESCRIBE_REASON =
  'elasticloadbalancing:DescribeRules, DescribeListeners, DescribeTargetGroups, DescribeTargetHealth and DescribeTags support no resource-level permissions (Service Authorization Reference for Elastic Load Balancing V2), so they are granted on "*". They only read; the writes (ModifyRule, ModifyListener) are granted on the profile\'s rule or listener alone.';

const ALB_SIDE_RULES_REASON =
  "ELB rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so elasticloadbalancing:AddTags (only as part of CreateRule) and DeleteRule are granted on the rules of the profile's listener (listener-rule/app/<lb>/<id>/<listener id>/*): stepshift tags its side rule stepshift:side-route=<name>, finds it by that tag and deletes that rule alone.";

const SIDE_DESCRIBES = ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags'];

const ALARMS_REASON =
  'cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory return composite alarms only when the permission is scoped to "*" (CloudWatch API reference for both actions). Profiles name metric and composite alarms alike and requests may override them, so scoping to alarm ARNs would make a composite alarm read as missing and fail the release. Both actions only read alarm state and history.';

const METRICS_REASON =
  'cloudwatch:GetMetricData supports no resource-level permissions (Service Authorization Reference for Amazon CloudWatch), so it is granted on "*". Analyze reads the metric checks of profiles and of requests that override them; the action only reads metric data.';

const XRAY_REASON =
  'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference for AWS X-Ray), so Lambda grants them on "*".';

/**
 * Prepare reads the custom CodeDeploy configurations the profiles name (GetDeploymentConfig), each by
 * its own ARN: the Service Authorization Reference's deploymentconfig resource,
 * arn:<partition>:codedeploy:<region>:<account>:deploymentconfig:<name>. Predefined configurations
 * are resolved offline and need no grant; with no custom configuration there is no statement at all.
 */
function deploymentConfigAccess(profiles: readonly ReleaseProfile[]): iam.PolicyStatement[] {
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

/**
 * What one router type's profiles need: to read the route, to write it, to find the new version, and
 * (App Mesh) to open and close side routes.
 */
interface RouteAccess {
  readonly read: iam.PolicyStatement[];
  readonly write: iam.PolicyStatement[];
  readonly findTarget: iam.PolicyStatement[];
  readonly findSide: iam.PolicyStatement[];
  readonly openSide: iam.PolicyStatement[];
  readonly closeSide: iam.PolicyStatement[];
  readonly readWildcards: Wildcard[];
  readonly writeWildcards: Wildcard[];
  readonly findWildcards: Wildcard[];
  /** Resources of closeSide that end in a wildcard (a Lattice rule's id is AWS's, not stepshift's). */
  readonly closeWildcards: Wildcard[];
  /** Resources of openSide that end in a wildcard (ALB: the rule it tags as it creates it). */
  readonly openWildcards: Wildcard[];
}

const arns = (pairs: readonly ArnPair[]) => unique(pairs).map((p) => p.arn);

/**
 * App Mesh: UpdateRoute is also granted on the version nodes: the Service Authorization Reference lists
 * virtualNode among the resource types App Mesh may authorize a route write against (the nodes of its
 * weightedTargets), besides the route itself.
 */
function appMeshAccess(profiles: readonly AppMeshProfile[]): RouteAccess {
  const routes = profiles.map(routeArn);
  const nodes = unique(profiles.map(versionNodesArn));
  const nodeWildcards = nodes.map((n) => ({ finding: n.finding, reason: VERSION_NODES_REASON }));
  const sides = profiles.flatMap(sideRouteArns);
  return {
    read: [
      new iam.PolicyStatement({
        sid: 'ReadProfiledRoutes',
        actions: ['appmesh:DescribeRoute'],
        resources: arns(routes),
      }),
    ],
    findSide: [
      // Prepare looks for a side route a release left behind, which it refuses to release beside.
      new iam.PolicyStatement({
        sid: 'FindSideRoutes',
        actions: ['appmesh:DescribeRoute'],
        resources: arns(sides),
      }),
    ],
    openSide: [
      new iam.PolicyStatement({
        sid: 'OpenSideRoutes',
        actions: ['appmesh:CreateRoute', 'appmesh:DescribeRoute'],
        resources: arns(sides),
      }),
      new iam.PolicyStatement({
        sid: 'SideRoutesToVersionNodes',
        actions: ['appmesh:CreateRoute'],
        resources: arns(nodes),
      }),
    ],
    closeSide: [
      new iam.PolicyStatement({
        sid: 'CloseSideRoutes',
        actions: ['appmesh:DeleteRoute'],
        resources: arns(sides),
      }),
    ],
    write: [
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
    findTarget: [
      new iam.PolicyStatement({
        sid: 'FindVersionNodes',
        actions: ['appmesh:DescribeVirtualNode'],
        resources: arns(nodes),
      }),
    ],
    readWildcards: [],
    writeWildcards: nodeWildcards,
    findWildcards: nodeWildcards,
    closeWildcards: [],
    openWildcards: [],
  };
}

/** VPC Lattice: Get/Update on the named rule (or listener), target groups by name through a listing. */
function latticeAccess(profiles: readonly LatticeProfile[]): RouteAccess {
  const rules = profiles.filter((p) => p.router.ruleIdentifier !== undefined).map(latticeRouteArn);
  const listeners = profiles.filter((p) => p.router.ruleIdentifier === undefined).map(latticeRouteArn);
  const groups = unique(profiles.map((p) => latticeArn(p.router, 'targetgroup/*')));
  // Side rules sit on the listener of a profile that names a rule: a listener's default action has no
  // priority to go ahead of, so Prepare refuses blue/green and A/B there and nothing is granted.
  const sideListeners = unique(
    profiles
      .filter((p) => p.router.ruleIdentifier !== undefined)
      .map((p) =>
        latticeArn(
          p.router,
          `service/${lastPart(p.router.serviceIdentifier)}/listener/${lastPart(p.router.listenerIdentifier)}`,
        ),
      ),
  );
  const sideRules = sideListeners.map((l) => ({
    arn: `${l.arn}/rule/*`,
    finding: `${l.finding}/rule/*`,
  }));
  const onListeners = (sid: string, actions: string[]) =>
    sideListeners.length ? [new iam.PolicyStatement({ sid, actions, resources: arns(sideListeners) })] : [];
  const statements = (sid: string, ruleActions: string[], listenerActions: string[]) => [
    ...(rules.length
      ? [new iam.PolicyStatement({ sid: `${sid}Rules`, actions: ruleActions, resources: arns(rules) })]
      : []),
    ...(listeners.length
      ? [
          new iam.PolicyStatement({
            sid: `${sid}Listeners`,
            actions: listenerActions,
            resources: arns(listeners),
          }),
        ]
      : []),
    new iam.PolicyStatement({
      sid: `${sid}TargetGroupNames`,
      actions: ['vpc-lattice:ListTargetGroups'],
      resources: ['*'],
    }),
  ];
  const listing = { finding: '*', reason: LIST_TARGET_GROUPS_REASON };
  return {
    read: statements('ReadLattice', ['vpc-lattice:GetRule'], ['vpc-lattice:GetListener']),
    write: statements(
      'ShiftLattice',
      ['vpc-lattice:GetRule', 'vpc-lattice:UpdateRule'],
      ['vpc-lattice:GetListener', 'vpc-lattice:UpdateListener'],
    ),
    findTarget: [
      new iam.PolicyStatement({
        sid: 'CheckLatticeTargets',
        actions: ['vpc-lattice:ListTargets'],
        resources: arns(groups),
      }),
    ],
    // Prepare looks for a side rule a release left behind; Shift creates one (a retry whose CreateRule
    // conflicted lists the rules to find it); the endings list the rules to find its id and delete it.
    findSide: onListeners('FindLatticeSideRules', ['vpc-lattice:ListRules']),
    openSide: onListeners('OpenLatticeSideRules', ['vpc-lattice:CreateRule', 'vpc-lattice:ListRules']),
    closeSide: [
      ...onListeners('FindLatticeSideRulesToClose', ['vpc-lattice:ListRules']),
      ...(sideRules.length
        ? [
            new iam.PolicyStatement({
              sid: 'CloseLatticeSideRules',
              actions: ['vpc-lattice:DeleteRule'],
              resources: arns(sideRules),
            }),
          ]
        : []),
    ],
    closeWildcards: sideRules.map((r) => ({ finding: r.finding, reason: LATTICE_SIDE_RULES_REASON })),
    openWildcards: [],
    readWildcards: [listing],
    writeWildcards: [listing],
    findWildcards: groups.map((g) => ({ finding: g.finding, reason: LATTICE_TARGET_GROUPS_REASON })),
  };
}

/** ALB: the describes on "*" (they have no resource-level permissions), the writes on the named rule or listener. */
function albAccess(profiles: readonly AlbProfile[]): RouteAccess {
  const rules = unique(
    profiles.flatMap((p) => (p.router.ruleArn ? [{ arn: p.router.ruleArn, finding: p.router.ruleArn }] : [])),
  );
  const listeners = unique(
    profiles.flatMap((p) =>
      p.router.ruleArn ? [] : [{ arn: p.router.listenerArn, finding: p.router.listenerArn }],
    ),
  );
  const describe = (sid: string, actions: string[]) =>
    new iam.PolicyStatement({ sid, actions, resources: ['*'] });
  // Side rules sit on the listener of a profile that names a rule (default actions are refused).
  const sideListeners = unique(
    profiles.flatMap((p) =>
      p.router.ruleArn ? [{ arn: p.router.listenerArn, finding: p.router.listenerArn }] : [],
    ),
  );
  const sideRules = sideListeners.map((l) => {
    const rules = `${l.arn.replace(':listener/', ':listener-rule/')}/*`;
    return { arn: rules, finding: rules };
  });
  const sideRuleWildcards = sideRules.map((r) => ({
    finding: r.finding,
    reason: `${ALB_SIDE_RULES_REASON} ${ELB_DESCRIBE_REASON}`,
  }));
  const describing = { finding: '*', reason: ELB_DESCRIBE_REASON };
  return {
    read: [
      describe('ReadAlbRoutes', [
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeListeners',
      ]),
    ],
    write: [
      describe('ReadAlbRoutesToShift', [
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeTargetGroups',
      ]),
      ...(rules.length
        ? [
            new iam.PolicyStatement({
              sid: 'ShiftAlbRules',
              actions: ['elasticloadbalancing:ModifyRule'],
              resources: arns(rules),
            }),
          ]
        : []),
      ...(listeners.length
        ? [
            new iam.PolicyStatement({
              sid: 'ShiftAlbListeners',
              actions: ['elasticloadbalancing:ModifyListener'],
              resources: arns(listeners),
            }),
          ]
        : []),
    ],
    findTarget: [
      describe('CheckAlbTargets', [
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ]),
    ],
    // Side rules are found by their tag (DescribeRules, DescribeTags: no resource-level permissions);
    // Shift creates one on the listener, tagged (AddTags on the rule it makes); the endings delete it.
    findSide: sideListeners.length ? [describe('FindAlbSideRules', SIDE_DESCRIBES)] : [],
    openSide: sideListeners.length
      ? [
          describe('FindAlbSideRulesToOpen', SIDE_DESCRIBES),
          new iam.PolicyStatement({
            sid: 'OpenAlbSideRules',
            actions: ['elasticloadbalancing:CreateRule'],
            resources: arns(sideListeners),
          }),
          new iam.PolicyStatement({
            sid: 'TagAlbSideRules',
            actions: ['elasticloadbalancing:AddTags'],
            resources: arns(sideRules),
            conditions: { StringEquals: { 'elasticloadbalancing:CreateAction': 'CreateRule' } },
          }),
        ]
      : [],
    closeSide: sideListeners.length
      ? [
          describe('FindAlbSideRulesToClose', SIDE_DESCRIBES),
          new iam.PolicyStatement({
            sid: 'CloseAlbSideRules',
            actions: ['elasticloadbalancing:DeleteRule'],
            resources: arns(sideRules),
          }),
        ]
      : [],
    readWildcards: [describing],
    writeWildcards: [describing],
    findWildcards: [describing],
    openWildcards: sideRuleWildcards,
    closeWildcards: sideRuleWildcards,
  };
}

const ECS_SERVICES_REASON =
  "The new version's ECS service is named by the profile's targets.ecsService template, and the version is only known when a release starts, so DescribeServices is granted on the template's prefix in the named cluster.";

/** ecs:DescribeServices on the new versions' services, for profiles that name one (readiness). */
function ecsServicesOf(profiles: readonly ReleaseProfile[]): FunctionPermissions {
  const services = unique(
    profiles.flatMap((p) => {
      const ecs = p.targets.ecsService;
      if (!ecs) return [];
      const prefix = ecs.service.slice(0, ecs.service.indexOf('{version}'));
      const resource = `service/${ecs.cluster}/${prefix}*`;
      return [
        {
          arn: `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`,
          finding: `arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:${resource}`,
        },
      ];
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
    wildcards: services.map((s) => ({ finding: s.finding, reason: ECS_SERVICES_REASON })),
  };
}

const HOOK_FUNCTIONS_REASON =
  'A hook may name a version or alias of its function (function:<name>:<qualifier>); the grant covers the named functions and their qualifiers only.';

/**
 * lambda:InvokeFunction on the profiles' Lambda hooks, for the functions that run hooks of these
 * phases: Shift (preRollout, confirmTrafficIncrease), Analyze (rollout, confirmPromotion), Finish
 * (postRollout), Rollback (rollback).
 */
function hookFunctionsOf(
  profiles: readonly ReleaseProfile[],
  phases: readonly string[],
): FunctionPermissions {
  const names = [
    ...new Set(
      profiles.flatMap((p) =>
        (p.hooks ?? []).flatMap((h) =>
          h.type === 'lambda' && phases.includes(h.phase) ? [h.functionName] : [],
        ),
      ),
    ),
  ];
  if (names.length === 0) return { statements: [], wildcards: [] };
  const arnOf = (name: string) =>
    name.startsWith('arn:')
      ? name
      : `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${name}`;
  const findingOf = (name: string) =>
    name.startsWith('arn:')
      ? name
      : `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${name}`;
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'RunHooks',
        actions: ['lambda:InvokeFunction'],
        resources: names.flatMap((n) => [arnOf(n), `${arnOf(n)}:*`]),
      }),
    ],
    wildcards: names.map((n) => ({ finding: `${findingOf(n)}:*`, reason: HOOK_FUNCTIONS_REASON })),
  };
}

/** Statements and wildcards of several grants together. */
function joined(...parts: FunctionPermissions[]): FunctionPermissions {
  return {
    statements: parts.flatMap((p) => p.statements),
    wildcards: parts.flatMap((p) => p.wildcards),
  };
}

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
 */
export function permissionsFor(
  profiles: readonly ReleaseProfile[],
): Record<DeployedFunction, FunctionPermissions> {
  const appMesh = profiles.filter((p): p is AppMeshProfile => p.router.type === 'appmesh');
  const lattice = profiles.filter((p): p is LatticeProfile => p.router.type === 'vpc-lattice');
  const alb = profiles.filter((p): p is AlbProfile => p.router.type === 'alb');
  const access = [
    ...(appMesh.length ? [appMeshAccess(appMesh)] : []),
    ...(lattice.length ? [latticeAccess(lattice)] : []),
    ...(alb.length ? [albAccess(alb)] : []),
  ];
  const all = <K extends keyof RouteAccess>(key: K): RouteAccess[K] =>
    access.flatMap((a) => a[key] as unknown[]) as RouteAccess[K];

  const ecsReadiness = ecsServicesOf(profiles);
  const readAlarms = (actions: string[]) =>
    new iam.PolicyStatement({ sid: 'ReadAlarms', actions, resources: ['*'] });
  const writeRoute = (): FunctionPermissions => ({
    statements: all('write'),
    wildcards: [...all('writeWildcards'), { finding: '*', reason: XRAY_REASON }],
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
        ...ecsReadiness.wildcards,
        { finding: '*', reason: `${XRAY_REASON} ${ALARMS_REASON}` },
      ],
    },
    Shift: joined(
      {
        statements: [...all('write'), ...all('openSide')],
        wildcards: [...writeRoute().wildcards, ...all('openWildcards')],
      },
      hookFunctionsOf(profiles, ['preRollout', 'confirmTrafficIncrease']),
    ),
    Bake: { statements: [], wildcards: [{ finding: '*', reason: XRAY_REASON }] },
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
        wildcards: [
          ...all('readWildcards'),
          { finding: '*', reason: `${XRAY_REASON} ${ALARMS_REASON} ${METRICS_REASON}` },
        ],
      },
      hookFunctionsOf(profiles, ['rollout', 'confirmPromotion']),
    ),
    Promote: writeRoute(),
    Finish: joined(
      {
        statements: all('closeSide'),
        wildcards: [...all('closeWildcards'), { finding: '*', reason: XRAY_REASON }],
      },
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
    Alarm: { statements: [], wildcards: [{ finding: '*', reason: XRAY_REASON }] },
  };
  for (const [fn, grant] of hookSecretGrants(profiles)) permissions[fn] = joined(permissions[fn], grant);
  // One acknowledgement per finding: reasons for the same resource are said together.
  for (const p of Object.values(permissions)) {
    (p as { wildcards: readonly Wildcard[] }).wildcards = merged(p.wildcards);
  }
  return permissions;
}

function merged(wildcards: readonly Wildcard[]): Wildcard[] {
  const reasons = new Map<string, string[]>();
  for (const w of wildcards) {
    const known = reasons.get(w.finding) ?? [];
    if (!known.includes(w.reason)) known.push(w.reason);
    reasons.set(w.finding, known);
  }
  return [...reasons].map(([finding, said]) => ({ finding, reason: said.join(' ') }));
}

function unique(pairs: readonly ArnPair[]): ArnPair[] {
  return [...new Map(pairs.map((p) => [p.finding, p])).values()];
}
