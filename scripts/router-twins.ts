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
const TWIN_ROUTERS = ['lattice', 'alb'] as const;
export type TwinRouter = (typeof TWIN_ROUTERS)[number];

type Json = Record<string, unknown>;
type Weights = Record<string, number>;

/** What a twin of an App Mesh example needs of its router: the profile's block and the world's shapes. */
interface Twin {
  /** The router's name in a twin's title and description. */
  readonly title: string;
  /** The profile's router block. */
  readonly router: Json;
  /** The App Mesh example route's match, as this router writes it, with these weights. */
  route(weights: Weights, edits: Json[]): Json;
  /** One target group per virtual node: the one serving traffic healthy, the others not yet in use. */
  targetGroup(name: string, index: number, serving: boolean): Json;
  /** App Mesh operations and errors, as this router names them. */
  readonly operations: Record<string, string>;
  readonly errors: Record<string, string>;
}

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

const target = (index: number) => ({ id: `10.0.${index + 1}.10`, port: 8080 });
const editsOf = (edits: Json[]): Json => (edits.length ? { edits } : {});

const TWINS: Record<TwinRouter, Twin> = {
  lattice: {
    title: 'VPC Lattice',
    router: LATTICE,
    route: (weights, edits) => {
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
        ...editsOf(edits),
      };
    },
    targetGroup: (name, index, serving) => ({
      name,
      targets: [{ ...target(index), status: serving ? 'HEALTHY' : 'UNUSED' }],
    }),
    operations: {
      DescribeRoute: 'GetRule',
      UpdateRoute: 'UpdateRule',
      DescribeVirtualNode: 'ListTargetGroups',
    },
    errors: {
      TooManyRequestsException: 'ThrottlingException',
      AccessDeniedException: 'AccessDeniedException',
      InternalServerErrorException: 'InternalServerException',
    },
  },
  alb: {
    title: 'ALB',
    router: ALB,
    route: (weights, edits) => ({
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
      ...editsOf(edits),
    }),
    targetGroup: (name, index, serving) => ({
      name,
      targets: [
        serving
          ? { ...target(index), state: 'healthy' }
          : { ...target(index), state: 'unused', reason: 'Target.NotInUse' },
      ],
    }),
    operations: {
      DescribeRoute: 'DescribeRules',
      UpdateRoute: 'ModifyRule',
      DescribeVirtualNode: 'DescribeTargetGroups',
    },
    errors: {
      TooManyRequestsException: 'Throttling',
      AccessDeniedException: 'AccessDenied',
      InternalServerErrorException: 'InternalFailure',
    },
  },
};

/** The weights of an App Mesh RouteSpec, virtual node -> weight. */
function weightsOf(spec: Json): Weights {
  const kind = Object.values(spec).find((v) => typeof v === 'object' && v !== null && 'action' in v) as {
    action: { weightedTargets: { virtualNode: string; weight: number }[] };
  };
  return Object.fromEntries(kind.action.weightedTargets.map((t) => [t.virtualNode, t.weight]));
}

function fault(router: TwinRouter, f: Json): Json {
  const operation = TWINS[router].operations[f.operation as string];
  if (operation === undefined) return f;
  const error = TWINS[router].errors[f.error as string];
  if (error === undefined) throw new Error(`no ${router} twin for the App Mesh error ${String(f.error)}`);
  return { ...f, operation, error };
}

/** The twin of one App Mesh example on this router. */
function twinOf(file: string, original: Json, router: TwinRouter): Json {
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
    TWINS[router].targetGroup(n.virtualNodeName, i, (weights[n.virtualNodeName] ?? 0) > 0),
  );
  const profile = original.profile as Json;
  const mapped = ((world.faults as Json[] | undefined) ?? [])
    .filter((f) => TWINS[router].operations[f.operation as string] !== undefined)
    .map((f) => `${f.operation} is ${TWINS[router].operations[f.operation as string]}`);
  const notes = [
    ...(mapped.length
      ? [`Its faults name ${TWINS[router].title}'s own calls: ${[...new Set(mapped)].join(', ')}.`]
      : []),
    ...(edits.length
      ? ['The person\'s edit is scripted as the route\'s "edits" (edit-route takes an App Mesh RouteSpec).']
      : []),
  ];
  return {
    ...original,
    name: `${original.name} (${TWINS[router].title})`,
    description: [
      `The ${TWINS[router].title} twin of examples/${file}.`,
      original.description,
      ...notes,
    ].join(' '),
    profile: { ...profile, router: TWINS[router].router },
    world: {
      [router]: { routes: [TWINS[router].route(weights, edits)], targetGroups },
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
