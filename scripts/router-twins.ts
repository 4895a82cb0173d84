import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Twin } from '#routers/sim/router-simulator.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';

/**
 * The twins of every App Mesh example (examples/*.json) on the other routers: the same release but for
 * the profile's router block, the world's router and the names the router gives targets, so that a
 * twin rehearses what a team gets after moving the service (docs/migration.md). Generated, so a changed
 * example changes its twins: `npm run twins` writes them, and a test fails when one is stale.
 *
 * Each router's folder says how (routers/<name>/sim/twin.ts): which examples it has a twin of (a Lambda
 * alias cannot run blue/green or A/B), its router and world blocks, its names for App Mesh's targets,
 * operations and errors. A side-route example's second App Mesh route (orders-admin), which no release
 * drives, is left out of the twins: a twin has one route.
 */

const EXAMPLES = new URL('../examples/', import.meta.url);
/** The routers an App Mesh example has a twin on, by their world key ("lattice", "alb", "lambda"), and how. */
const TWINS: Readonly<Record<string, Twin>> = Object.fromEntries(
  Object.values(ROUTER_SIMULATORS).flatMap((s) => ('twin' in s && s.twin ? [[s.worldKey, s.twin]] : [])),
);
const TWIN_ROUTERS = Object.keys(TWINS);
export type TwinRouter = string;

type Json = Record<string, unknown>;
type Weights = Record<string, number>;

/** How a router writes the twins of the App Mesh examples, by its world key. */
export function twinFor(router: TwinRouter): Twin {
  const twin = TWINS[router];
  if (!twin) throw new Error(`no router with twins has the world key ${router}`);
  return twin;
}

/** The weights of an App Mesh RouteSpec, virtual node -> weight. */
function weightsOf(spec: Json): Weights {
  const kind = Object.values(spec).find((v) => typeof v === 'object' && v !== null && 'action' in v) as {
    action: { weightedTargets: { virtualNode: string; weight: number }[] };
  };
  return Object.fromEntries(kind.action.weightedTargets.map((t) => [t.virtualNode, t.weight]));
}

function fault(twin: Twin, f: Json): Json {
  const operation = twin.operations[f.operation as string];
  if (operation === undefined) return f;
  const error = twin.errors[f.error as string];
  if (error === undefined) throw new Error(`no ${twin.title} twin for the App Mesh error ${String(f.error)}`);
  return { ...f, operation, error };
}

/** The twin of one App Mesh example on this router. */
export function twinOf(file: string, original: Json, router: TwinRouter): Json {
  const twin = twinFor(router);
  const { appmesh, ...world } = original.world as Json & {
    appmesh: { routes: { spec: Json }[]; virtualNodes: { virtualNodeName: string }[] };
  };
  // The route the profile releases; the others (a side-route example's orders-admin) are left out.
  const released = ((original.profile as Json).router as Json).routeName;
  const routes = (appmesh.routes as (Json & { spec: Json })[]).filter(
    (r) => appmesh.routes.length === 1 || r.routeName === released,
  );
  if (routes.length !== 1) throw new Error(`${file}: a twin is made from an example with one route`);
  const faults = (world.faults as Json[] | undefined) ?? [];
  const mapped = faults
    .filter((f) => twin.operations[f.operation as string] !== undefined)
    .map((f) => `${f.operation} is ${twin.operations[f.operation as string]}`);
  const { example, notes } = twin.write({
    example: {
      ...original,
      world: { ...world, ...(world.faults ? { faults: faults.map((f) => fault(twin, f)) } : {}) },
    },
    weights: weightsOf(routes[0]!.spec),
    virtualNodes: appmesh.virtualNodes.map((n) => n.virtualNodeName),
    edits: ((world.operator as Json[] | undefined) ?? [])
      .filter((a) => a.action === 'edit-route')
      .map((a) => ({ at: a.at, weights: weightsOf(a.spec as Json) })),
  });
  const described = [
    ...(mapped.length
      ? [`Its faults name ${twin.title}'s own calls: ${[...new Set(mapped)].join(', ')}.`]
      : []),
    ...notes,
  ];
  return {
    ...example,
    name: `${original.name} (${twin.title})`,
    description: [`The ${twin.title} twin of examples/${file}.`, original.description, ...described].join(
      ' ',
    ),
  };
}

/** Whether an example has a twin on this router. */
export function hasTwins(example: Json, router: TwinRouter): boolean {
  return twinFor(router).skip(example) === undefined;
}

/** The App Mesh examples (examples/*.json), each with its parsed text. */
function examples(): { file: string; original: Json }[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, original: JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Json }));
}

/** Every App Mesh example's twins, as each is written. */
export function twins(): { router: TwinRouter; path: URL; text: string }[] {
  return examples().flatMap(({ file, original }) =>
    TWIN_ROUTERS.filter((router) => hasTwins(original, router)).map((router) => ({
      router,
      path: new URL(`${twinFor(router).folder}/${file}`, EXAMPLES),
      text: `${JSON.stringify(twinOf(file, original, router), null, 2)}\n`,
    })),
  );
}

/** The examples a router has no twin of, each with the reason its twin gives. */
export function skippedTwins(): { router: TwinRouter; file: string; reason: string }[] {
  return examples().flatMap(({ file, original }) =>
    TWIN_ROUTERS.flatMap((router) => {
      const reason = twinFor(router).skip(original);
      return reason === undefined ? [] : [{ router, file, reason }];
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = twins();
  for (const twin of written) writeFileSync(twin.path, twin.text);
  // Formatted as the linter wants every folder written, whichever router it is.
  const folders = [...new Set(written.map((t) => new URL('.', t.path).pathname))];
  execFileSync(
    fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)),
    ['format', '--write', ...folders],
    {
      stdio: 'ignore',
    },
  );
  console.log(`wrote ${written.length} twins`);
  for (const { router, file, reason } of skippedTwins())
    console.log(`no ${router} twin of ${file}: ${reason}`);
}
