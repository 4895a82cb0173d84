/**
 * The router conformance suite (conformance.ts) in rehearsal: each adapter on real SDK clients
 * over the simulated AWS's transport, one attempt per call, so what the suite asserts of the mocks
 * holds of the simulator that rehearsals run against too.
 */
import { AppMeshClient, type RouteSpec } from '@aws-sdk/client-app-mesh';
import { type Action, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
import { expect } from 'vitest';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld, type WorldInput } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';
import { createAlbRouter } from '#routers/alb/router.ts';
import { createAppMeshRouter } from '#routers/appmesh/router.ts';
import { createLambdaRouter } from '#routers/lambda/router.ts';
import { finalRoutesOf } from '#routers/simulators.ts';
import { createVpcLatticeRouter } from '#routers/vpc-lattice/router.ts';
import { type Harness, routerConformance } from './conformance.ts';
import { MESH, richSpec } from './route-fixtures.ts';

const SERVICE = 'svc-0123456789abcdef0';
const LISTENER = 'listener-0123456789abcdef0';
const RULE = 'rule-0123456789abcdef0';
const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shop/0123456789abcdef/fedcba9876543210';
const RULE_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff';

/**
 * The same routers in rehearsal: real SDK clients over the simulated AWS's transport, one attempt per
 * call. A person's edit is the route's scripted edit (App Mesh: editRoute), due one minute in.
 */
/** ALB rule actions that sign people in, and a rewrite, ahead of the forward (see Harness.signingIn). */
const SIGN_IN: Record<
  'repeatable' | 'secret',
  { actions: Record<string, unknown>[]; transforms: Record<string, unknown>[] }
> = {
  repeatable: {
    actions: [
      {
        Type: 'authenticate-cognito',
        Order: 1,
        AuthenticateCognitoConfig: {
          UserPoolArn: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_abcdefghi',
          UserPoolClientId: 'orders-web',
          UserPoolDomain: 'shop',
          OnUnauthenticatedRequest: 'authenticate',
        },
      },
      {
        Type: 'jwt-validation',
        Order: 2,
        JwtValidationConfig: {
          JwksEndpoint: 'https://idp.example.com/jwks',
          Issuer: 'https://idp.example.com',
        },
      },
    ],
    transforms: [
      {
        Type: 'url-rewrite',
        UrlRewriteConfig: { Rewrites: [{ Regex: '^/orders/(.*)$', Replace: '/$1' }] },
      },
    ],
  },
  secret: {
    actions: [
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
    ],
    transforms: [],
  },
};

type SigningHarness = Harness & { signIn(which: 'route' | 'side'): unknown[] };

function rehearsed(
  kind: 'appmesh' | 'lattice' | 'alb',
  signIn?: keyof typeof SIGN_IN,
): Harness | SigningHarness {
  const faults: WorldInput['faults'] = [];
  const input: WorldInput = {
    appmesh: {
      routes: [{ ...MESH, spec: richSpec('httpRoute') as Record<string, unknown> }],
      virtualNodes: ['orders-v0', 'orders-v1', 'orders-v2'].map((n) => ({
        meshName: 'shop',
        virtualNodeName: n,
      })),
    },
    lattice: {
      routes: [
        {
          serviceIdentifier: SERVICE,
          listenerIdentifier: LISTENER,
          ruleIdentifier: RULE,
          match: { httpMatch: { method: 'GET', pathMatch: { match: { prefix: '/orders' } } } },
          priority: 10,
          action: {
            forward: {
              targetGroups: [
                { targetGroupIdentifier: 'orders-v1', weight: 100 },
                { targetGroupIdentifier: 'orders-v0', weight: 0 },
              ],
            },
          },
          edits: [{ at: '1m', weights: { 'orders-v1': 70, 'orders-v0': 0 } }],
        },
      ],
      targetGroups: [
        { name: 'orders-v0', targets: [] },
        { name: 'orders-v1', targets: [{ id: '10.0.1.10', status: 'HEALTHY' }] },
        { name: 'orders-v2', targets: [{ id: '10.0.2.10', status: 'UNUSED' }] },
      ],
    },
    alb: {
      routes: [
        {
          listenerArn: LISTENER_ARN,
          ruleArn: RULE_ARN,
          priority: '10',
          conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } }],
          actions: [
            ...structuredClone(signIn ? SIGN_IN[signIn].actions : []),
            {
              Type: 'forward',
              Order: signIn ? SIGN_IN[signIn].actions.length + 1 : 1,
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: 'orders-v1', Weight: 100 },
                  { TargetGroupArn: 'orders-v0', Weight: 0 },
                ],
                TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
              },
            },
          ],
          transforms: structuredClone(signIn ? SIGN_IN[signIn].transforms : []),
          edits: [{ at: '1m', weights: { 'orders-v1': 70, 'orders-v0': 0 } }],
        },
      ],
      targetGroups: [
        { name: 'orders-v0', targets: [] },
        { name: 'orders-v1', targets: [{ id: '10.0.1.10', state: 'healthy' }] },
        { name: 'orders-v2', targets: [{ id: '10.0.2.10', state: 'unused', reason: 'Target.NotInUse' }] },
      ],
    },
    faults,
  };
  const clock = new VirtualClock();
  // The world is read when each call arrives, so faults pushed later apply to later calls.
  const world = parseWorld(input);
  const sim = new SimulatedAws(world, clock);
  const config = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  };
  const router =
    kind === 'appmesh'
      ? createAppMeshRouter(new AppMeshClient(config), { type: 'appmesh', ...MESH })
      : kind === 'lattice'
        ? createVpcLatticeRouter(new VPCLatticeClient(config), {
            type: 'vpc-lattice',
            serviceIdentifier: SERVICE,
            listenerIdentifier: LISTENER,
            ruleIdentifier: RULE,
          })
        : createAlbRouter(new ElasticLoadBalancingV2Client(config), {
            type: 'alb',
            listenerArn: LISTENER_ARN,
            ruleArn: RULE_ARN,
          });
  const WRITES = ['UpdateRoute', 'UpdateRule', 'ModifyRule'];
  const READS = { appmesh: 'DescribeRoute', lattice: 'GetRule', alb: 'DescribeRules' } as const;
  return {
    name: `${kind} in rehearsal`,
    router,
    otherFields: () => {
      if (kind === 'appmesh') {
        const spec = structuredClone(sim.routers.appmesh.model.routes()[0]?.spec) as RouteSpec;
        delete (spec.httpRoute!.action as { weightedTargets?: unknown }).weightedTargets;
        return spec;
      }
      const fields = structuredClone(
        finalRoutesOf(sim.routers).filter((r) => r.router === (kind === 'lattice' ? 'vpc-lattice' : 'alb'))[0]
          ?.fields,
      ) as Record<string, unknown>;
      if (kind === 'lattice') delete fields.action;
      else for (const a of fields.actions as Action[]) delete a.ForwardConfig?.TargetGroups;
      return fields;
    },
    editStableWeight: (weight) => {
      if (kind === 'appmesh') {
        const spec = structuredClone(sim.routers.appmesh.model.routes()[0]?.spec) as RouteSpec;
        spec.httpRoute!.action!.weightedTargets![0]!.weight = weight;
        sim.routers.appmesh.model.editRoute(MESH, spec as Record<string, unknown>, clock.seconds);
      } else {
        expect(weight, 'the scripted edit sets orders-v1 to 70').toBe(70);
        clock.advance(60);
      }
    },
    failReads: (failure) => {
      (world.faults as unknown[]).push(
        kind === 'appmesh'
          ? {
              operation: READS.appmesh,
              from: 0,
              error: failure === 'not-found' ? 'NotFoundException' : 'TooManyRequestsException',
            }
          : kind === 'lattice'
            ? {
                operation: READS.lattice,
                from: 0,
                error: failure === 'not-found' ? 'ResourceNotFoundException' : 'ThrottlingException',
              }
            : {
                operation: READS.alb,
                from: 0,
                error: failure === 'not-found' ? 'RuleNotFound' : 'Throttling',
              },
      );
    },
    writes: () => sim.calls.filter((c) => WRITES.includes(c.operation) && !c.error).length,
    // What the release rule (or the side rule) does before it forwards, and where the forward sits.
    signIn: (which: 'route' | 'side') => {
      const rule = finalRoutesOf(sim.routers).find(
        (r) => r.router === 'alb' && (which === 'route') === (r.route === RULE_ARN),
      );
      const fields = (rule?.fields ?? {}) as { actions?: Action[]; Transforms?: unknown[] };
      return [
        ...(fields.actions ?? []).filter((a) => a.Type !== 'forward'),
        (fields.actions ?? []).find((a) => a.Type === 'forward')?.Order,
        ...(fields.Transforms ?? []),
      ].filter((x) => x !== undefined);
    },
    ...{
      sides: {
        // App Mesh and Lattice side routes are keyed by name; ALB's by the ARN CreateRule gave it.
        names: () =>
          kind === 'appmesh'
            ? sim.routers.appmesh.model
                .routes()
                .map((r) => r.routeName)
                .filter((n) => n !== MESH.routeName)
            : kind === 'lattice'
              ? finalRoutesOf(sim.routers)
                  .filter((r) => r.router === 'vpc-lattice')
                  .map((r) => r.route)
                  .filter((k) => k !== RULE)
              : finalRoutesOf(sim.routers)
                  .filter((r) => r.router === 'alb' && r.route !== RULE_ARN)
                  .map(() => 'stepshift-orders-test'),
        // App Mesh matches at most 10 headers a route; Lattice and ALB no regular expression.
        refusedHeaders:
          kind === 'appmesh'
            ? Array.from({ length: 11 }, (_, i) => ({ name: `x-h${i}`, match: { exact: 'b' } }))
            : [{ name: 'x-cohort', match: { regex: '^b-[0-9]+$' } }],
        // Only ALB rules sign people in; a Lattice rule has no such action (routers/vpc-lattice/side-route.ts).
        ...(kind === 'alb'
          ? {
              signingIn: (how: keyof typeof SIGN_IN) => rehearsed('alb', how) as SigningHarness,
            }
          : {}),
      },
    },
  };
}

/** A Lambda alias in rehearsal: the simulated Lambda holds it, assigns its RevisionId and enforces it. */
function rehearsedLambda(): Harness {
  const faults: WorldInput['faults'] = [];
  const role = 'arn:aws:iam::123456789012:role/orders';
  const world = parseWorld({
    lambda: {
      functions: [
        {
          functionName: 'orders-api',
          versions: ['1', '2', '3'].map((version) => ({ version, role })),
          aliases: [
            {
              Name: 'live',
              FunctionVersion: '1',
              RoutingConfig: { AdditionalVersionWeights: {} },
              Description: 'production',
            },
          ],
        },
      ],
    },
    faults,
  });
  const clock = new VirtualClock();
  const sim = new SimulatedAws(world, clock);
  const client = new LambdaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  });
  const alias = () =>
    finalRoutesOf(sim.routers).find((r) => r.router === 'lambda')?.fields as Record<string, unknown>;
  return {
    name: 'lambda in rehearsal',
    names: { stable: '1', canary: '2', missing: '9', nth: (i) => String(i + 1) },
    router: createLambdaRouter(client, { type: 'lambda', functionName: 'orders-api', alias: 'live' }),
    otherFields: () => {
      const { AliasArn, Name, Description } = alias();
      return { AliasArn, Name, Description };
    },
    // A person's UpdateAlias from the console, without a RevisionId.
    editStableWeight: (weight) => {
      sim.routers.lambda.model.updateAlias(
        {
          FunctionName: 'orders-api',
          Name: 'live',
          RoutingConfig: { AdditionalVersionWeights: { '2': (100 - weight) / 100 } },
        },
        'us-east-1',
      );
    },
    failReads: (failure) => {
      (world.faults as unknown[]).push({
        operation: 'GetAlias',
        from: 0,
        error: failure === 'not-found' ? 'ResourceNotFoundException' : 'TooManyRequestsException',
      });
    },
    writes: () => sim.calls.filter((c) => c.operation === 'UpdateAlias' && !c.error).length,
  };
}

routerConformance({
  appmesh: [['App Mesh, in rehearsal', () => rehearsed('appmesh')]],
  'vpc-lattice': [['VPC Lattice, in rehearsal', () => rehearsed('lattice')]],
  alb: [['ALB, in rehearsal', () => rehearsed('alb')]],
  lambda: [['Lambda, in rehearsal', rehearsedLambda]],
});
