import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Twin } from '#routers/sim/router-simulator.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';

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
/** The routers an App Mesh example has a twin on, by their world key ("lattice", "alb"), and how. */
const TWINS: Readonly<Record<string, Twin>> = Object.fromEntries(
  Object.values(ROUTER_SIMULATORS).flatMap((s) => ('twin' in s && s.twin ? [[s.worldKey, s.twin]] : [])),
);
const TWIN_ROUTERS = Object.keys(TWINS);
export type TwinRouter = string;

type Json = Record<string, unknown>;
type Weights = Record<string, number>;

/** The weights of an App Mesh RouteSpec, virtual node -> weight. */
function weightsOf(spec: Json): Weights {
  const kind = Object.values(spec).find((v) => typeof v === 'object' && v !== null && 'action' in v) as {
    action: { weightedTargets: { virtualNode: string; weight: number }[] };
  };
  return Object.fromEntries(kind.action.weightedTargets.map((t) => [t.virtualNode, t.weight]));
}

function fault(router: TwinRouter, f: Json): Json {
  const operation = (TWINS[router] as Twin).operations[f.operation as string];
  if (operation === undefined) return f;
  const error = (TWINS[router] as Twin).errors[f.error as string];
  if (error === undefined) throw new Error(`no ${router} twin for the App Mesh error ${String(f.error)}`);
  return { ...f, operation, error };
}

/** The twin of one App Mesh example on this router. */
export function twinOf(file: string, original: Json, router: TwinRouter): Json {
  const twin = TWINS[router] as Twin;
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
    twin.targetGroup(n.virtualNodeName, i, (weights[n.virtualNodeName] ?? 0) > 0),
  );
  const profile = original.profile as Json;
  const mapped = ((world.faults as Json[] | undefined) ?? [])
    .filter((f) => twin.operations[f.operation as string] !== undefined)
    .map((f) => `${f.operation} is ${twin.operations[f.operation as string]}`);
  const notes = [
    ...(mapped.length
      ? [`Its faults name ${twin.title}'s own calls: ${[...new Set(mapped)].join(', ')}.`]
      : []),
    ...(edits.length
      ? ['The person\'s edit is scripted as the route\'s "edits" (edit-route takes an App Mesh RouteSpec).']
      : []),
  ];
  return {
    ...original,
    name: `${original.name} (${twin.title})`,
    description: [`The ${twin.title} twin of examples/${file}.`, original.description, ...notes].join(' '),
    profile: { ...profile, router: twin.router },
    world: {
      [router]: { routes: [twin.route(weights, edits)], targetGroups },
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
