import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The VPC Lattice and ALB twins of every App Mesh example (examples/<router>/<file>): the same release
 * but for the profile's router block and the world's router, so that a twin rehearses what a team
 * gets after moving the service (docs/migration.md). Generated, so a changed example changes its
 * twins: `npm run twins` writes them, and a test fails when one is stale.
 *
 * Blue/green and A/B examples send their first traffic through a side route of stepshift's own, which
 * every router builds (Lattice and ALB: a listener rule one priority ahead). Their world's second App
 * Mesh route (orders-admin), which no release drives, is left out of the twins: a twin has one route.
 */

const EXAMPLES = new URL('../examples/', import.meta.url);
export const TWIN_ROUTERS = ['lattice', 'alb'] as const;
export type TwinRouter = (typeof TWIN_ROUTERS)[number];

type Json = Record<string, unknown>;
type Weights = Record<string, number>;

const ROUTER_NAMES: Record<TwinRouter, string> = { lattice: 'VPC Lattice', alb: 'ALB' };

const LATTICE = {
  type: 'vpc-lattice',
  serviceIdentifier: 'svc-0a1b2c3d4e5f60718',
  listenerIdentifier: 'listener-0a1b2c3d4e5f60718',
  ruleIdentifier: 'rule-0a1b2c3d4e5f60718',
};
const ALB_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
const ALB = {
  type: 'alb',
  listenerArn: ALB_LISTENER,
  ruleArn:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff',
};

/** The App Mesh example route's match, as each router writes it. */
function route(router: TwinRouter, weights: Weights, edits: Json[]): Json {
  const extra = edits.length ? { edits } : {};
  if (router === 'lattice') {
    const { type: _, ...ids } = LATTICE;
    return {
      ...ids,
      match: {
        httpMatch: {
          method: 'GET',
          pathMatch: { match: { prefix: '/orders' }, caseSensitive: false },
          headerMatches: [{ name: 'x-tenant', match: { prefix: 'eu-' }, caseSensitive: false }],
        },
      },
      priority: 10,
      action: {
        forward: {
          targetGroups: Object.entries(weights).map(([name, weight]) => ({
            targetGroupIdentifier: name,
            weight,
          })),
        },
      },
      ...extra,
    };
  }
  return {
    listenerArn: ALB.listenerArn,
    ruleArn: ALB.ruleArn,
    priority: '10',
    conditions: [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
      { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-tenant', Values: ['eu-*'] } },
    ],
    actions: [
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: Object.entries(weights).map(([name, weight]) => ({
            TargetGroupArn: name,
            Weight: weight,
          })),
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
        },
      },
    ],
    ...extra,
  };
}

/** One target group per virtual node: the one serving traffic healthy, the others not yet in use. */
function targetGroup(router: TwinRouter, name: string, index: number, serving: boolean): Json {
  const target = { id: `10.0.${index + 1}.10`, port: 8080 };
  if (router === 'lattice') return { name, targets: [{ ...target, status: serving ? 'HEALTHY' : 'UNUSED' }] };
  return {
    name,
    targets: [
      serving ? { ...target, state: 'healthy' } : { ...target, state: 'unused', reason: 'Target.NotInUse' },
    ],
  };
}

/** The weights of an App Mesh RouteSpec, virtual node -> weight. */
function weightsOf(spec: Json): Weights {
  const kind = Object.values(spec).find((v) => typeof v === 'object' && v !== null && 'action' in v) as {
    action: { weightedTargets: { virtualNode: string; weight: number }[] };
  };
  return Object.fromEntries(kind.action.weightedTargets.map((t) => [t.virtualNode, t.weight]));
}

/** App Mesh operations and errors, as the twin's router names them. */
const OPERATIONS: Record<TwinRouter, Record<string, string>> = {
  lattice: { DescribeRoute: 'GetRule', UpdateRoute: 'UpdateRule', DescribeVirtualNode: 'ListTargetGroups' },
  alb: {
    DescribeRoute: 'DescribeRules',
    UpdateRoute: 'ModifyRule',
    DescribeVirtualNode: 'DescribeTargetGroups',
  },
};
const ERRORS: Record<TwinRouter, Record<string, string>> = {
  lattice: {
    TooManyRequestsException: 'ThrottlingException',
    AccessDeniedException: 'AccessDeniedException',
    InternalServerErrorException: 'InternalServerException',
  },
  alb: {
    TooManyRequestsException: 'Throttling',
    AccessDeniedException: 'AccessDenied',
    InternalServerErrorException: 'InternalFailure',
  },
};

function fault(router: TwinRouter, f: Json): Json {
  const operation = OPERATIONS[router][f.operation as string];
  if (operation === undefined) return f;
  const error = ERRORS[router][f.error as string];
  if (error === undefined) throw new Error(`no ${router} twin for the App Mesh error ${String(f.error)}`);
  return { ...f, operation, error };
}

/** The twin of one App Mesh example on this router. */
export function twinOf(file: string, original: Json, router: TwinRouter): Json {
  const { appmesh, ...world } = original.world as Json & {
    appmesh: { routes: { spec: Json }[]; virtualNodes: { virtualNodeName: string }[] };
  };
  // The route the profile releases; the others (a side-route example's orders-admin) are left out.
  const released = ((original.profile as Json).router as Json).routeName;
  const routes = (appmesh.routes as (Json & { spec: Json })[]).filter(
    (r) => appmesh.routes.length === 1 || r.routeName === released,
  );
  if (routes.length !== 1) throw new Error(`${file}: a twin is made from an example with one route`);
  const weights = weightsOf(routes[0]!.spec);
  const operator = ((world.operator as Json[] | undefined) ?? []).filter((a) => a.action !== 'edit-route');
  const edits = ((world.operator as Json[] | undefined) ?? [])
    .filter((a) => a.action === 'edit-route')
    .map((a) => ({ at: a.at, weights: weightsOf(a.spec as Json) }));
  const targetGroups = appmesh.virtualNodes.map((n, i) =>
    targetGroup(router, n.virtualNodeName, i, (weights[n.virtualNodeName] ?? 0) > 0),
  );
  const profile = original.profile as Json;
  const mapped = ((world.faults as Json[] | undefined) ?? [])
    .filter((f) => OPERATIONS[router][f.operation as string] !== undefined)
    .map((f) => `${f.operation} is ${OPERATIONS[router][f.operation as string]}`);
  const notes = [
    ...(mapped.length
      ? [`Its faults name ${ROUTER_NAMES[router]}'s own calls: ${[...new Set(mapped)].join(', ')}.`]
      : []),
    ...(edits.length
      ? ['The person\'s edit is scripted as the route\'s "edits" (edit-route takes an App Mesh RouteSpec).']
      : []),
  ];
  return {
    ...original,
    name: `${original.name} (${ROUTER_NAMES[router]})`,
    description: [
      `The ${ROUTER_NAMES[router]} twin of examples/${file}.`,
      original.description,
      ...notes,
    ].join(' '),
    profile: { ...profile, router: router === 'lattice' ? LATTICE : ALB },
    world: {
      [router]: { routes: [route(router, weights, edits)], targetGroups },
      ...world,
      ...(world.faults ? { faults: (world.faults as Json[]).map((f) => fault(router, f)) } : {}),
      ...(world.operator ? { operator } : {}),
    },
  };
}

/** Whether an example has a twin on this router: every one does, now that both build side routes. */
export function hasTwins(_example: Json, _router: TwinRouter): boolean {
  return true;
}

/** Every App Mesh example (examples/*.json), and the text of each twin it has. */
export function twins(): { path: URL; text: string }[] {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
  return files.flatMap((file) => {
    const original = JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Json;
    return TWIN_ROUTERS.filter((router) => hasTwins(original, router)).map((router) => ({
      path: new URL(`${router}/${file}`, EXAMPLES),
      text: `${JSON.stringify(twinOf(file, original, router), null, 2)}\n`,
    }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const twin of twins()) writeFileSync(twin.path, twin.text);
  console.log(`wrote ${twins().length} twins`);
}
