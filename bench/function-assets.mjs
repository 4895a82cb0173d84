// The functions' code as `npm run synth` leaves it in cdk.out/: for each function of the Stepshift
// stack, the bytes of its asset (all its code, source maps apart), the bytes Lambda loads when it
// starts the function (index.mjs and the chunks it imports statically; each router's chunk, RE2's
// engine and the ports imported on first use load later), and how long a fresh node takes to load it,
// against the goal (600 KB loaded at start, 150 ms to load) and the figures measured before the
// functions were made lean (function-assets.before.json).
//
// Load time is measured in pairs, median of 11: a fresh node loading the function (whole process),
// and a fresh node doing nothing just before it, round after round over every target, so that a slow
// moment of the machine falls on all alike (with 5 pairs per function in a row, one run's figures
// swung by tens of milliseconds from the next, the floor rows' too). The goal is read against the
// difference, the time the function's code adds to node's own start, which no function can shorten;
// the whole-process time is printed beside it. Two reference rows, built as the functions are, show
// the floor: a handler that imports nothing, and one that only builds the DynamoDB and EventBridge
// clients.
//
// `--json` prints one JSON document instead of the table (bench/parts/processes.ts reads it).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { functionBuildOptions } from '../scripts/function-build.mjs';
import { median, wallMs } from './process-time.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
// The stack's cloud assembly and the runs per figure; a test points them at a small one of its own.
const OUT = process.env.STEPSHIFT_CDK_OUT ?? join(ROOT, 'cdk.out');
const RUNS = Number(process.env.STEPSHIFT_BENCH_RUNS ?? 11);
const GOAL_BYTES = 600 * 1024;
const GOAL_MS = 150;
const json = process.argv.includes('--json');

const template = join(OUT, 'Stepshift.template.json');
if (!existsSync(template)) {
  console.error('no cdk.out/Stepshift.template.json: run `npm run synth` first');
  process.exit(2);
}
const resources = Object.values(JSON.parse(readFileSync(template, 'utf8')).Resources);
const before = JSON.parse(readFileSync(new URL('function-assets.before.json', import.meta.url), 'utf8'));

/** Files under a folder, with their sizes. */
function files(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .map((f) => ({ f, bytes: statSync(f).size }));
}

/** The bytes of an ES module and every chunk it imports statically (not through import()). */
function loadedAtStart(dir, entry) {
  const seen = new Set();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.m?js)"/g)) pending.push(m[1]);
  }
  return [...seen].reduce((n, file) => n + statSync(join(dir, file)).size, 0);
}

/**
 * Each target's load in RUNS rounds; in each round every target in turn is timed as a pair (node
 * alone, then node loading it), so that a slow moment of the machine falls on every target alike rather
 * than on one target's runs. Medians of each and of the pairs' differences.
 */
function loadTimes(entries) {
  const check = '(m) => { if (typeof (m.handler ?? m.default?.handler) !== "function") process.exit(3); }';
  const pairs = entries.map(() => ({ alone: [], whole: [] }));
  for (let round = 0; round < RUNS; round++) {
    entries.forEach((entry, i) => {
      pairs[i].alone.push(wallMs(['-e', '0']));
      pairs[i].whole.push(wallMs(['-e', `import(${JSON.stringify(entry)}).then(${check})`]));
    });
  }
  return pairs.map(({ alone, whole }) => ({
    nodeAloneMs: Math.round(median(alone)),
    wholeMs: Math.round(median(whole)),
    loadMs: Math.round(median(whole.map((w, i) => w - alone[i]))),
  }));
}

/** A function's folder, copied outside the repository as Lambda sees it: its bytes, and its entry. */
function sized(name, dir) {
  const all = files(dir);
  const code = all.filter(({ f }) => !f.endsWith('.map')).reduce((n, { bytes }) => n + bytes, 0);
  const maps = all.filter(({ f }) => f.endsWith('.map')).reduce((n, { bytes }) => n + bytes, 0);
  // No package.json above the copy says "type": "module": index.mjs is ESM by its own extension.
  const copy = mkdtempSync(join(tmpdir(), `stepshift-${name}-`));
  cpSync(dir, copy, { recursive: true });
  const entry = join(copy, 'index.mjs');
  if (!existsSync(entry)) throw new Error(`${dir} has no index.mjs`);
  const atStart = loadedAtStart(copy, 'index.mjs');
  return { entry, row: { name, codeBytes: code, atStartBytes: atStart, mapsBytes: maps } };
}

/** The floor: handlers built as the functions are, one importing nothing, one building two SDK clients. */
async function floor() {
  const dir = mkdtempSync(join(tmpdir(), 'stepshift-floor-'));
  const handlers = {
    'empty handler': 'export const handler = async () => 1;',
    'two SDK clients': [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
      'const clients = [new DynamoDBClient({}), new EventBridgeClient({})];',
      'export const handler = async () => clients.length;',
    ].join('\n'),
  };
  const rows = [];
  for (const [name, contents] of Object.entries(handlers)) {
    const out = join(dir, name.replace(/\W/g, '-'));
    const { entryPoints, outdir, splitting, ...options } = functionBuildOptions('floor');
    await build({
      ...options,
      stdin: { contents, resolveDir: ROOT, loader: 'js' },
      outfile: join(out, 'index.mjs'),
      sourcemap: false,
    });
    rows.push(sized(name, out));
  }
  return rows;
}

const deployed = [];
for (const resource of resources) {
  if (resource.Type !== 'AWS::Lambda::Function') continue;
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (!assetPath) continue;
  const name = /(\w+)Function\//.exec(resource.Metadata['aws:cdk:path'])?.[1] ?? assetPath;
  deployed.push(sized(name, join(OUT, assetPath)));
}
deployed.sort((a, b) => a.row.name.localeCompare(b.row.name));
const floorTargets = await floor();
const times = loadTimes([...deployed, ...floorTargets].map((t) => t.entry));
const functions = deployed.map(({ row }, i) => {
  const measured = { ...row, ...times[i] };
  return { ...measured, meetsGoal: measured.atStartBytes <= GOAL_BYTES && measured.loadMs <= GOAL_MS };
});
const reference = floorTargets.map(({ row }, i) => ({ ...row, ...times[deployed.length + i] }));
const result = {
  goal: { atStartBytes: GOAL_BYTES, loadMs: GOAL_MS },
  runs: RUNS,
  functions,
  floor: reference,
  before: before.functions,
  beforeMeasured: before.measured,
};

if (json) {
  console.log(JSON.stringify(result));
} else {
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  console.log(
    `goal per function: ${kb(GOAL_BYTES)} loaded at start, ${GOAL_MS} ms to load beyond node's own start; medians of ${RUNS} pairs`,
  );
  console.log(
    'function            code   at start      maps   load  whole  node |  before: code     maps     load',
  );
  for (const r of [...functions, ...reference]) {
    const b = before.functions[r.name] ?? {};
    const mark = r.meetsGoal === false ? '!' : ' ';
    console.log(
      `${r.name.padEnd(16)} ${kb(r.codeBytes).padStart(8)} ${kb(r.atStartBytes).padStart(10)} ${kb(r.mapsBytes).padStart(9)} ${`${r.loadMs}`.padStart(6)} ${`${r.wholeMs}`.padStart(6)} ${`${r.nodeAloneMs}`.padStart(5)} ${mark}| ${(b.code === undefined ? '' : kb(b.code)).padStart(12)} ${(b.maps === undefined ? '' : kb(b.maps)).padStart(8)} ${(b.loadMs === undefined ? '' : `${b.loadMs} ms`).padStart(8)}`,
    );
  }
  console.log('(load, whole and node in ms; the last two rows are the floor, not functions)');
  console.log(`before: ${before.measured}`);
  console.log(
    functions.every((r) => r.meetsGoal)
      ? 'every function meets the goal'
      : 'functions marked ! miss the goal',
  );
}
