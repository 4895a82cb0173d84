import { type ImportEdge, type ImportGraph, SOURCE_DIRS } from './import-graph.ts';

/**
 * The import rules the layers keep (docs/architecture.md, docs/routers.md), each a function from the
 * graph to the sentences that name every file breaking it, what it imports and what to do instead.
 */

const isProjectFile = (to: string) => SOURCE_DIRS.some((d) => to.startsWith(`${d}/`));
const isSdk = (to: string) => to.startsWith('@aws-sdk/') || to.startsWith('@smithy/');
const isCdk = (to: string) => to === 'aws-cdk-lib' || to === 'constructs';
/** The simulated services: rehearsal/services/**, each router's routers/<name>/sim/**, and their kit (routers/sim/). */
const isSimulator = (file: string) =>
  file.startsWith('rehearsal/services/') ||
  file.startsWith('routers/sim/') ||
  /^routers\/[^/]+\/sim\//.test(file);

/** The packages core may use: pure libraries, and hashing. No SDK, no CDK, nothing that reads files or the environment. */
export const CORE_PACKAGES = ['zod', 'canonicalize', 're2js', 'ipaddr.js', 'aws-lambda', 'node:crypto'];

/** The generic helpers of core the simulator may use: text checks for its world schemas and "5m" durations. */
export const SIMULATOR_CORE_HELPERS = ['core/validation.ts', 'core/duration.ts'];

/**
 * What a simulated service may import besides the other simulated services' files: node's own modules,
 * zod for its world schemas, the SDK's types and HTTP shapes, DynamoDB's engine, and core's generic helpers.
 */
export const SIMULATOR_PACKAGES = (to: string) =>
  to.startsWith('node:') || to === 'zod' || isSdk(to) || to === 'dynalite';

/** What a Lambda function runs: its handlers, the adapters, and the router registry and adapters they wire. */
const LAMBDA_ENTRIES = (file: string) =>
  file.startsWith('functions/') ||
  file.startsWith('adapters/') ||
  file === 'routers/registry.ts' ||
  file === 'routers/adapters.ts';

/** Files no SDK or CDK may reach: what core needs of a router, importable from any layer. */
const PURE_ROUTER_FILE = (file: string) =>
  file === 'routers/registry.ts' ||
  file === 'routers/define-kind.ts' ||
  /^routers\/[^/]+\/kind\.ts$/.test(file);

const at = (e: ImportEdge) => `${e.from}:${e.line} imports ${e.spec}`;

function edgesWhere(graph: ImportGraph, applies: (e: ImportEdge) => boolean): ImportEdge[] {
  return [...graph.values()].flat().filter(applies);
}

/** The files reachable from `entries` through project imports, each with the chain that reaches it. */
function reach(graph: ImportGraph, entries: (file: string) => boolean): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  const queue = [...graph.keys()].filter(entries);
  for (const file of queue) chains.set(file, [file]);
  while (queue.length) {
    const file = queue.shift() as string;
    for (const edge of graph.get(file) ?? []) {
      if (!graph.has(edge.to) || chains.has(edge.to)) continue;
      chains.set(edge.to, [...(chains.get(file) as string[]), edge.to]);
      queue.push(edge.to);
    }
  }
  return chains;
}

type Rule = (graph: ImportGraph) => string[];

const coreStaysInCore: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) => e.from.startsWith('core/') && isProjectFile(e.to) && !e.to.startsWith('core/'),
  ).map(
    (e) =>
      `${at(e)}: core imports only core/; give core what it needs through a port in core/ports.ts (or a router kind), and let the composition roots pass it in`,
  );

/** The ports are a leaf: ports.ts imports only the plain records of shapes.ts, which imports nothing. */
const portsAreALeaf: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) =>
      (e.from === 'core/ports.ts' && isProjectFile(e.to) && e.to !== 'core/shapes.ts') ||
      (e.from === 'core/shapes.ts' && isProjectFile(e.to)),
  ).map(
    (e) =>
      `${at(e)}: core/ports.ts is a leaf that every module may import without a cycle, and imports only core/shapes.ts (which imports nothing); declare the shape it needs in core/shapes.ts`,
  );

const coreUsesPureLibraries: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) => e.from.startsWith('core/') && !isProjectFile(e.to) && !CORE_PACKAGES.includes(e.to),
  ).map(
    (e) =>
      `${at(e)}: core may use only ${CORE_PACKAGES.join(', ')}; an SDK, the CDK, files and the environment belong in adapters/, routers/ or infra/ behind a port`,
  );

const pureRouterFiles: Rule = (graph) => {
  const reached = reach(graph, PURE_ROUTER_FILE);
  return edgesWhere(graph, (e) => reached.has(e.from) && (isSdk(e.to) || isCdk(e.to))).map(
    (e) =>
      `${at(e)}: ${(reached.get(e.from) as string[]).join(' -> ')} is what core and every layer read of a router, so it imports no SDK and no CDK; put SDK calls in routers/<name>/router.ts and IAM in routers/<name>/iam.ts`,
  );
};

const routerAdaptersWithoutCdk: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) =>
      (/^routers\/[^/]+\/(router|side-route)\.ts$/.test(e.from) || e.from === 'routers/adapters.ts') &&
      isCdk(e.to),
  ).map(
    (e) =>
      `${at(e)}: a router's adapter runs in Lambda and imports no CDK; grant IAM in routers/<name>/iam.ts`,
  );

const lambdaBundlesWithoutCdk: Rule = (graph) => {
  const reached = reach(graph, LAMBDA_ENTRIES);
  return edgesWhere(graph, (e) => reached.has(e.from) && isCdk(e.to)).map(
    (e) =>
      `${at(e)}: ${(reached.get(e.from) as string[]).join(' -> ')} is bundled into the Lambda functions, and esbuild cannot drop a CommonJS package it sees imported; move the CDK code to infra/ or routers/<name>/iam.ts`,
  );
};

/**
 * zod's classic API is five times the size of zod/mini and builds every schema's methods as it goes: the
 * functions load zod/mini (and zod's English messages) only. A type-only import counts too, so that one
 * mistyped line cannot bring the classic API back.
 */
const ZOD_FOR_LAMBDA = (spec: string) => spec === 'zod/mini' || spec.startsWith('zod/v4/locales/');

const lambdaLoadsZodMini: Rule = (graph) => {
  const reached = reach(graph, LAMBDA_ENTRIES);
  return edgesWhere(graph, (e) => reached.has(e.from) && e.to === 'zod' && !ZOD_FOR_LAMBDA(e.spec)).map(
    (e) =>
      `${at(e)}: ${(reached.get(e.from) as string[]).join(' -> ')} is bundled into the Lambda functions, which load zod/mini, not zod's classic API; import * as z from 'zod/mini' and write checks as .check(z.minLength(1)), z.optional(schema)`,
  );
};

const simulatorKnowsNoRelease: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) =>
      isSimulator(e.from) &&
      ((e.to.startsWith('core/') && !SIMULATOR_CORE_HELPERS.includes(e.to)) ||
        e.to.startsWith('adapters/') ||
        e.to.startsWith('functions/')),
  ).map(
    (e) =>
      `${at(e)}: the simulator plays AWS and knows nothing of stepshift's release logic; it may use only ${SIMULATOR_CORE_HELPERS.join(' and ')} of core, so keep its own data and shapes beside it`,
  );

const simulatorImportsOnlyItsKit: Rule = (graph) =>
  edgesWhere(
    graph,
    (e) =>
      isSimulator(e.from) &&
      !isSimulator(e.to) &&
      !SIMULATOR_CORE_HELPERS.includes(e.to) &&
      !SIMULATOR_PACKAGES(e.to),
  ).map(
    (e) =>
      `${at(e)}: a simulated service knows AWS and its own state, nothing of profiles, releases, the state machine or the rehearsal around it; it may import node, zod, the SDK's types, dynalite, ${SIMULATOR_CORE_HELPERS.join(' and ')} and the other simulated services (rehearsal/services/, routers/sim/, routers/<name>/sim/); take what it needs as a parameter instead`,
  );

const cliRunsNoSimulator: Rule = (graph) =>
  edgesWhere(graph, (e) => e.from.startsWith('cli/') && isSimulator(e.to)).map(
    (e) =>
      `${at(e)}: the CLI does not reach into the simulator; read a scenario through rehearsal/ (a scenario reader) or run it through rehearsal/rehearse.ts`,
  );

/** Where the AWS SDK may be imported: the adapters, each router's SDK calls, and the simulated AWS's wire. */
const SDK_HOME = (file: string) =>
  file.startsWith('adapters/') ||
  /^routers\/[^/]+\/(router|side-route|deployments)\.ts$/.test(file) ||
  isSimulator(file) ||
  file === 'rehearsal/transport.ts';

const sdkStaysInAdapters: Rule = (graph) =>
  edgesWhere(graph, (e) => isSdk(e.to) && !SDK_HOME(e.from)).map(
    (e) =>
      `${at(e)}: only adapters/ and the routers' SDK files (routers/<name>/router.ts, side-route.ts) call AWS; give this code an adapter that takes an AwsClientSource (as eventBridgeEventSinkOver or releaseSourcesOn do)`,
  );

const isVega = (to: string) => to === 'vega' || to.startsWith('vega-') || to.startsWith('vega/');

/** Vega draws charts for people at a terminal: Lambda, core and the rehearsal never load it. */
const chartsStayInTheCli: Rule = (graph) =>
  edgesWhere(graph, (e) => isVega(e.to) && !e.from.startsWith('cli/chart/')).map(
    (e) =>
      `${at(e)}: only cli/chart/ draws charts (vega and vega-lite are large and are for people at a terminal, not for Lambda, core or the rehearsal); build a ReleaseStory and hand it to cli/chart/`,
  );

/** Strongly connected components of core's own imports with more than one file (Tarjan). */
function coreCycles(graph: ImportGraph): string[][] {
  const files = [...graph.keys()].filter((f) => f.startsWith('core/'));
  const next = (f: string) =>
    [...new Set((graph.get(f) ?? []).map((e) => e.to))].filter((t) => t.startsWith('core/') && graph.has(t));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (f: string) => {
    index.set(f, index.size);
    low.set(f, index.get(f) as number);
    stack.push(f);
    onStack.add(f);
    for (const t of next(f)) {
      if (!index.has(t)) {
        visit(t);
        low.set(f, Math.min(low.get(f) as number, low.get(t) as number));
      } else if (onStack.has(t)) low.set(f, Math.min(low.get(f) as number, index.get(t) as number));
    }
    if (low.get(f) === index.get(f)) {
      const component: string[] = [];
      let t: string;
      do {
        t = stack.pop() as string;
        onStack.delete(t);
        component.push(t);
      } while (t !== f);
      if (component.length > 1 || next(f).includes(f)) found.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

const noCycleInCore: Rule = (graph) =>
  coreCycles(graph).map(
    (files) =>
      `core/ has an import cycle through ${files.join(', ')}: move the type they share into core/shapes.ts or core/ports.ts (leaves), or the function into the file that uses it`,
  );

export const RULES = {
  coreStaysInCore,
  portsAreALeaf,
  coreUsesPureLibraries,
  pureRouterFiles,
  routerAdaptersWithoutCdk,
  lambdaBundlesWithoutCdk,
  lambdaLoadsZodMini,
  simulatorKnowsNoRelease,
  simulatorImportsOnlyItsKit,
  cliRunsNoSimulator,
  sdkStaysInAdapters,
  chartsStayInTheCli,
  noCycleInCore,
} satisfies Record<string, Rule>;

/** Every broken rule's sentences. */
export function checkImports(graph: ImportGraph): string[] {
  return Object.values(RULES).flatMap((rule) => rule(graph));
}
