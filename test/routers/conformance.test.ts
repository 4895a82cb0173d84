/**
 * The router conformance suite (conformance.ts) against the App Mesh, VPC Lattice and ALB
 * adapters over SDK mocks. Each harness keeps its service's route state in memory and answers the
 * adapter's calls from it, so a write is seen by the reads after it, as on AWS.
 */
import {
  AppMeshClient,
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  ListVirtualNodesCommand,
  NotFoundException,
  type RouteSpec,
  TooManyRequestsException,
  UpdateRouteCommand,
} from '@aws-sdk/client-app-mesh';
import {
  type Action,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RuleNotFoundException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ResourceNotFoundException as LambdaNotFound,
  TooManyRequestsException as LambdaThrottled,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import {
  GetListenerCommand,
  GetRuleCommand,
  ListTargetGroupsCommand,
  ListTargetsCommand,
  ResourceNotFoundException,
  type RuleAction,
  ThrottlingException,
  UpdateListenerCommand,
  UpdateRuleCommand,
  VPCLatticeClient,
} from '@aws-sdk/client-vpc-lattice';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAlbRouter } from '#routers/alb/router.ts';
import { createAppMeshRouter } from '#routers/appmesh/router.ts';
import { createLambdaRouter } from '#routers/lambda/router.ts';
import { createVpcLatticeRouter } from '#routers/vpc-lattice/router.ts';
import { type Harness, type HarnessesByRouter, routerConformance } from './conformance.ts';
import { MESH, richSpec } from './route-fixtures.ts';

const _CAST = { stable: 'orders-v1', canary: 'orders-v2' };
const meta = { $metadata: {} };

const appMesh = mockClient(AppMeshClient);
const lattice = mockClient(VPCLatticeClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const lambda = mockClient(LambdaClient);

beforeEach(() => {
  appMesh.reset();
  lattice.reset();
  elb.reset();
  lambda.reset();
});

function appMeshHarness(): Harness {
  let spec: RouteSpec = richSpec('httpRoute');
  let version = 1;
  let writes = 0;
  const data = () => ({
    meshName: MESH.meshName,
    virtualRouterName: MESH.virtualRouterName,
    routeName: MESH.routeName,
    spec: structuredClone(spec),
    metadata: {
      arn: 'arn:aws:appmesh:us-east-1:111122223333:mesh/shop/virtualRouter/orders-router/route/orders',
      version,
      uid: 'u',
      createdAt: new Date(0),
      lastUpdatedAt: new Date(0),
      meshOwner: '111122223333',
      resourceOwner: '111122223333',
    },
    status: { status: 'ACTIVE' as const },
  });
  appMesh.on(DescribeRouteCommand).callsFake(() => ({ route: data() }));
  appMesh.on(UpdateRouteCommand).callsFake((input) => {
    writes++;
    spec = structuredClone(input.spec);
    version++;
    return { route: data() };
  });
  appMesh.on(DescribeVirtualNodeCommand).callsFake((input) => {
    if (input.virtualNodeName === 'orders-v2') return { virtualNode: { meshName: 'shop' } };
    throw new NotFoundException({ message: 'no such node', ...meta });
  });
  const node = (virtualNodeName: string) => ({ meshName: 'shop', virtualNodeName });
  appMesh
    .on(ListVirtualNodesCommand)
    .callsFake((input) =>
      input.nextToken === 'page-2'
        ? { virtualNodes: [node('orders-v2')] }
        : { virtualNodes: [node('orders-v1'), node('orders-v0')], nextToken: 'page-2' },
    );
  const targets = () => spec.httpRoute!.action!.weightedTargets!;
  return {
    name: 'App Mesh',
    router: createAppMeshRouter(new AppMeshClient({ region: 'us-east-1' }), { type: 'appmesh', ...MESH }),
    otherFields: () => {
      const copy = structuredClone(spec);
      delete (copy.httpRoute!.action as { weightedTargets?: unknown }).weightedTargets;
      return copy;
    },
    editStableWeight: (weight) => {
      targets()[0]!.weight = weight;
    },
    failReads: (kind) => {
      appMesh
        .on(DescribeRouteCommand)
        .rejects(
          kind === 'not-found'
            ? new NotFoundException({ message: 'gone', ...meta })
            : new TooManyRequestsException({ message: 'slow down', ...meta }),
        );
    },
    writes: () => writes,
  };
}

const SERVICE = 'svc-0123456789abcdef0';
const LISTENER = 'listener-0123456789abcdef0';
const RULE = 'rule-0123456789abcdef0';
const LATTICE_GROUPS = [
  { name: 'orders-v1', id: 'tg-00000000000000001' },
  { name: 'orders-v0', id: 'tg-00000000000000000' },
  { name: 'orders-v2', id: 'tg-00000000000000002' },
  { name: 'orders-v3', id: 'tg-00000000000000003' },
];

function latticeHarness(withRule: boolean): Harness {
  const match = {
    httpMatch: { method: 'GET', pathMatch: { match: { prefix: '/orders' }, caseSensitive: false } },
  };
  let action: RuleAction = {
    forward: {
      targetGroups: [
        { targetGroupIdentifier: 'tg-00000000000000001', weight: 100 },
        { targetGroupIdentifier: 'tg-00000000000000000', weight: 0 },
      ],
    },
  };
  let writes = 0;
  const rule = () => ({
    arn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${SERVICE}/listener/${LISTENER}/rule/${RULE}`,
    id: RULE,
    name: 'orders',
    isDefault: false,
    match,
    priority: 10,
    action: structuredClone(action),
    lastUpdatedAt: new Date(writes * 1000),
  });
  const listener = () => ({
    arn: `arn:aws:vpc-lattice:us-east-1:111122223333:service/${SERVICE}/listener/${LISTENER}`,
    id: LISTENER,
    name: 'https',
    protocol: 'HTTPS' as const,
    port: 443,
    defaultAction: structuredClone(action),
    lastUpdatedAt: new Date(writes * 1000),
  });
  lattice.on(GetRuleCommand).callsFake(rule);
  lattice.on(GetListenerCommand).callsFake(listener);
  lattice.on(UpdateRuleCommand).callsFake((input) => {
    writes++;
    action = structuredClone(input.action);
    return rule();
  });
  lattice.on(UpdateListenerCommand).callsFake((input) => {
    writes++;
    action = structuredClone(input.defaultAction);
    return listener();
  });
  lattice.on(ListTargetGroupsCommand).callsFake(() => ({
    items: LATTICE_GROUPS.map((g) => ({
      ...g,
      arn: `arn:aws:vpc-lattice:us-east-1:111122223333:targetgroup/${g.id}`,
    })),
  }));
  lattice.on(ListTargetsCommand).callsFake((input) => {
    if (input.targetGroupIdentifier === 'tg-00000000000000002') {
      return { items: [{ id: '10.0.0.1', port: 8080, status: 'UNUSED' }] };
    }
    if (input.targetGroupIdentifier === 'tg-00000000000000003') {
      return { items: [{ id: '10.0.0.2', port: 8080, status: 'UNHEALTHY' }] };
    }
    throw new ResourceNotFoundException({
      message: 'no such group',
      resourceId: '',
      resourceType: '',
      ...meta,
    });
  });
  return {
    name: withRule ? 'VPC Lattice (rule)' : 'VPC Lattice (listener default action)',
    router: createVpcLatticeRouter(new VPCLatticeClient({ region: 'us-east-1' }), {
      type: 'vpc-lattice',
      serviceIdentifier: SERVICE,
      listenerIdentifier: LISTENER,
      ...(withRule ? { ruleIdentifier: RULE } : {}),
    }),
    otherFields: () => {
      const {
        action: _weights,
        lastUpdatedAt: _when,
        ...rest
      } = withRule ? rule() : { ...listener(), action: 0 };
      const { defaultAction: _default, ...fields } = rest as Record<string, unknown>;
      return fields;
    },
    editStableWeight: (weight) => {
      action.forward!.targetGroups![0]!.weight = weight;
    },
    failReads: (kind) => {
      const error =
        kind === 'not-found'
          ? new ResourceNotFoundException({
              message: 'gone',
              resourceId: RULE,
              resourceType: 'RULE',
              ...meta,
            })
          : new ThrottlingException({ message: 'slow down', ...meta });
      lattice.on(GetRuleCommand).rejects(error);
      lattice.on(GetListenerCommand).rejects(error);
    },
    writes: () => writes,
  };
}

const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef/fedcba9876543210';
const RULE_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff';
const tgArn = (name: string) =>
  `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/${name}/${name.endsWith('1') ? 'aaaa' : 'bbbb'}000000000000`;

function albHarness(withRule: boolean): Harness {
  let actions: Action[] = [
    {
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp.example.com',
        AuthorizationEndpoint: 'https://idp.example.com/auth',
        TokenEndpoint: 'https://idp.example.com/token',
        UserInfoEndpoint: 'https://idp.example.com/userinfo',
        ClientId: 'orders',
      },
    },
    {
      Type: 'forward',
      Order: 2,
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: tgArn('orders-v1'), Weight: 100 },
          { TargetGroupArn: tgArn('orders-v0'), Weight: 0 },
        ],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
      },
    },
  ];
  const conditions = [
    { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
    { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-tenant', Values: ['eu-*'] } },
  ];
  let writes = 0;
  const rule = () => ({
    RuleArn: RULE_ARN,
    Priority: '10',
    Conditions: structuredClone(conditions),
    Actions: structuredClone(actions),
    IsDefault: false,
  });
  const listener = () => ({
    ListenerArn: LISTENER_ARN,
    Port: 443,
    Protocol: 'HTTPS' as const,
    DefaultActions: structuredClone(actions),
  });
  const accept = (sent: Action[]) => {
    // ModifyRule refuses an OIDC action that neither carries a secret nor keeps the existing one.
    const oidc = sent.find((a) => a.Type === 'authenticate-oidc')?.AuthenticateOidcConfig;
    if (oidc && !oidc.ClientSecret && !oidc.UseExistingClientSecret) throw new Error('ClientSecret missing');
    writes++;
    actions = structuredClone(sent).map((a) => {
      if (a.AuthenticateOidcConfig) delete a.AuthenticateOidcConfig.UseExistingClientSecret;
      return a;
    });
  };
  elb.on(DescribeRulesCommand).callsFake(() => ({ Rules: [rule()] }));
  elb.on(DescribeListenersCommand).callsFake(() => ({ Listeners: [listener()] }));
  elb.on(ModifyRuleCommand).callsFake((input) => {
    accept(input.Actions);
    return { Rules: [rule()] };
  });
  elb.on(ModifyListenerCommand).callsFake((input) => {
    accept(input.DefaultActions);
    return { Listeners: [listener()] };
  });
  elb.on(DescribeTargetGroupsCommand).callsFake((input) => {
    const group = (name: string) => ({ TargetGroupName: name, TargetGroupArn: tgArn(name) });
    if (input.Names === undefined) {
      return input.Marker === 'page-2'
        ? { TargetGroups: [group('orders-v2')] }
        : { TargetGroups: [group('orders-v1'), group('orders-v0')], NextMarker: 'page-2' };
    }
    const name = input.Names[0] ?? '';
    if (['orders-v2', 'orders-v3', 'orders-v4', 'orders-v5', 'orders-v6'].includes(name)) {
      return { TargetGroups: [{ TargetGroupName: name, TargetGroupArn: tgArn(name) }] };
    }
    throw new TargetGroupNotFoundException({ message: 'One or more target groups not found', ...meta });
  });
  elb
    .on(DescribeTargetHealthCommand)
    .callsFake((input) =>
      input.TargetGroupArn === tgArn('orders-v2')
        ? { TargetHealthDescriptions: [{ TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' } }] }
        : { TargetHealthDescriptions: [{ TargetHealth: { State: 'unhealthy', Reason: 'Target.Timeout' } }] },
    );
  return {
    name: withRule ? 'ALB (rule)' : 'ALB (listener default actions)',
    router: createAlbRouter(new ElasticLoadBalancingV2Client({ region: 'us-east-1' }), {
      type: 'alb',
      listenerArn: LISTENER_ARN,
      ...(withRule ? { ruleArn: RULE_ARN } : {}),
    }),
    otherFields: () => {
      const holder = withRule ? rule() : listener();
      const all = 'Actions' in holder ? holder.Actions : holder.DefaultActions;
      for (const a of all) delete a.ForwardConfig?.TargetGroups;
      return holder;
    },
    editStableWeight: (weight) => {
      actions[1]!.ForwardConfig!.TargetGroups![0]!.Weight = weight;
    },
    failReads: (kind) => {
      const error =
        kind === 'not-found'
          ? new RuleNotFoundException({ message: 'One or more rules not found', ...meta })
          : Object.assign(new Error('Rate exceeded'), {
              name: 'Throttling',
              $metadata: { httpStatusCode: 400 },
            });
      elb.on(DescribeRulesCommand).rejects(error);
      elb.on(DescribeListenersCommand).rejects(error);
    },
    writes: () => writes,
  };
}

/**
 * A Lambda alias over a mock that keeps it as Lambda does: UpdateAlias changes only the fields it
 * carries, refuses a stale RevisionId (PreconditionFailedException) and gives a new one.
 */
function lambdaHarness(): Harness {
  const alias = {
    AliasArn: 'arn:aws:lambda:us-east-1:111122223333:function:orders-api:live',
    Name: 'live',
    FunctionVersion: '1',
    Description: 'production',
    RoutingConfig: { AdditionalVersionWeights: {} as Record<string, number> },
    RevisionId: 'rev-0',
  };
  let writes = 0;
  let revisions = 0;
  const versions = new Set(['1', '2', '3']);
  lambda.on(GetAliasCommand).callsFake(() => structuredClone(alias));
  lambda.on(UpdateAliasCommand).callsFake((input) => {
    if (input.RevisionId !== undefined && input.RevisionId !== alias.RevisionId) {
      throw new PreconditionFailedException({ message: 'The Revision Id provided does not match', ...meta });
    }
    writes++;
    if (input.FunctionVersion !== undefined) alias.FunctionVersion = input.FunctionVersion;
    if (input.RoutingConfig !== undefined)
      alias.RoutingConfig = { AdditionalVersionWeights: { ...input.RoutingConfig.AdditionalVersionWeights } };
    if (input.Description !== undefined) alias.Description = input.Description;
    alias.RevisionId = `rev-${++revisions}`;
    return structuredClone(alias);
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake((input) => {
    if (versions.has(String(input.Qualifier)))
      return { Version: input.Qualifier, Role: 'arn:aws:iam::111122223333:role/orders' };
    throw new LambdaNotFound({ message: 'Function not found', ...meta });
  });
  lambda
    .on(ListVersionsByFunctionCommand)
    .callsFake((input) =>
      input.Marker === 'page-2'
        ? { Versions: [{ Version: '3' }] }
        : { Versions: [{ Version: '$LATEST' }, { Version: '1' }, { Version: '2' }], NextMarker: 'page-2' },
    );
  return {
    name: 'Lambda',
    names: { stable: '1', canary: '2', missing: '9', nth: (i) => String(i + 1) },
    router: createLambdaRouter(new LambdaClient({ region: 'us-east-1' }), {
      type: 'lambda',
      functionName: 'orders-api',
      alias: 'live',
    }),
    otherFields: () => ({ AliasArn: alias.AliasArn, Name: alias.Name, Description: alias.Description }),
    editStableWeight: (weight) => {
      alias.RoutingConfig = { AdditionalVersionWeights: { '2': (100 - weight) / 100 } };
      alias.RevisionId = `rev-${++revisions}`;
    },
    failReads: (kind) => {
      lambda
        .on(GetAliasCommand)
        .rejects(
          kind === 'not-found'
            ? new LambdaNotFound({ message: 'Alias not found', ...meta })
            : new LambdaThrottled({ message: 'Rate exceeded', ...meta }),
        );
    },
    writes: () => writes,
  };
}

const HARNESSES: HarnessesByRouter = {
  appmesh: [['App Mesh', appMeshHarness]],
  'vpc-lattice': [
    ['VPC Lattice (rule)', () => latticeHarness(true)],
    ['VPC Lattice (listener default action)', () => latticeHarness(false)],
  ],
  alb: [
    ['ALB (rule)', () => albHarness(true)],
    ['ALB (listener default actions)', () => albHarness(false)],
  ],
  lambda: [['Lambda (alias)', lambdaHarness]],
};

routerConformance(HARNESSES);

describe('readiness of a new version on Lattice and ALB', () => {
  it('refuses a target group whose only targets are unhealthy', async () => {
    expect(await latticeHarness(true).router.targetExists('orders-v3')).toBe(false);
    expect(await albHarness(true).router.targetExists('orders-v3')).toBe(false);
  });
});

describe('weights a service filled in', () => {
  it('reads a lone Lattice target group without a weight as 100, and a bare ALB TargetGroupArn as weight 1', async () => {
    latticeHarness(true);
    lattice.on(GetRuleCommand).resolves({
      arn: 'arn',
      action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-00000000000000001' }] } },
    });
    const latticeRouter = createVpcLatticeRouter(new VPCLatticeClient({ region: 'us-east-1' }), {
      type: 'vpc-lattice',
      serviceIdentifier: SERVICE,
      listenerIdentifier: LISTENER,
      ruleIdentifier: RULE,
    });
    expect((await latticeRouter.read()).targets).toEqual([{ name: 'orders-v1', weight: 100 }]);

    albHarness(true);
    elb.on(DescribeRulesCommand).resolves({
      Rules: [{ RuleArn: RULE_ARN, Actions: [{ Type: 'forward', TargetGroupArn: tgArn('orders-v1') }] }],
    });
    const albRouter = createAlbRouter(new ElasticLoadBalancingV2Client({ region: 'us-east-1' }), {
      type: 'alb',
      listenerArn: LISTENER_ARN,
      ruleArn: RULE_ARN,
    });
    expect((await albRouter.read()).targets).toEqual([{ name: 'orders-v1', weight: 1 }]);
    await albRouter.write(
      [
        { name: 'orders-v1', weight: 90 },
        { name: 'orders-v2', weight: 10 },
      ],
      'exec:step:0',
    );
    const sent = elb.commandCalls(ModifyRuleCommand)[0]?.args[0].input.Actions?.[0];
    expect(sent?.TargetGroupArn, 'a bare TargetGroupArn cannot stand beside two groups').toBeUndefined();
    expect(sent?.ForwardConfig?.TargetGroups).toHaveLength(2);
  });
});
