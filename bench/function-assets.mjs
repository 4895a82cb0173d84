// The functions' code as `npm run synth` leaves it in cdk.out/: for each function of the Stepshift
// stack, the bytes of its asset (all its code, and source maps apart), the bytes Lambda loads when it
// starts the function (index.mjs and the chunks it imports statically; each router's chunk and the
// ports imported on first use load later, one router per release), and how long a fresh node takes
// to load it (whole process, median of 5, node alone beside it), against the goal (600 KB loaded,
// 150 ms) and the figures measured before the functions were made lean (function-assets.before.json).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const OUT = new URL('../cdk.out/', import.meta.url).pathname;
const RUNS = 5;
const GOAL_BYTES = 600 * 1024;
const GOAL_MS = 150;

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

/** Median wall milliseconds of RUNS fresh node processes running `code`. */
function medianMs(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const nodeAlone = medianMs(['-e', '0']);
const rows = [];
for (const resource of resources) {
  if (resource.Type !== 'AWS::Lambda::Function') continue;
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (!assetPath) continue;
  const name = /(\w+)Function\//.exec(resource.Metadata['aws:cdk:path'])?.[1] ?? assetPath;
  const dir = join(OUT, assetPath);
  const all = files(dir);
  const code = all.filter(({ f }) => !f.endsWith('.map')).reduce((n, { bytes }) => n + bytes, 0);
  const maps = all.filter(({ f }) => f.endsWith('.map')).reduce((n, { bytes }) => n + bytes, 0);
  // Loaded from a copy outside the repository, as Lambda sees it: no package.json above it says
  // "type": "module", so index.js is CommonJS and index.mjs ESM, each by its own extension.
  const copy = mkdtempSync(join(tmpdir(), `stepshift-${name}-`));
  cpSync(dir, copy, { recursive: true });
  const entry = ['index.mjs', 'index.js'].map((f) => join(copy, f)).find(existsSync);
  const atStart = entry ? loadedAtStart(copy, entry.slice(copy.length + 1)) : Number.NaN;
  const check = '(m) => { if (typeof (m.handler ?? m.default?.handler) !== "function") process.exit(3); }';
  const loadMs = entry ? medianMs(['-e', `import(${JSON.stringify(entry)}).then(${check})`]) : Number.NaN;
  rows.push({ name, code, atStart, maps, loadMs });
}

const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(
  `node alone: ${nodeAlone.toFixed(0)} ms (median of ${RUNS}); goal per function: ${kb(GOAL_BYTES)} loaded at start, ${GOAL_MS} ms to load`,
);
console.log('function     code   at start      maps     load     | before: code       maps     load');
let met = true;
for (const r of rows.sort((a, b) => a.name.localeCompare(b.name))) {
  const b = before.functions[r.name] ?? {};
  const ok = r.atStart <= GOAL_BYTES && r.loadMs <= GOAL_MS;
  met &&= ok;
  console.log(
    `${r.name.padEnd(12)} ${kb(r.code).padStart(8)} ${kb(r.atStart).padStart(10)} ${kb(r.maps).padStart(9)} ${`${r.loadMs.toFixed(0)} ms`.padStart(8)} ${ok ? ' ' : '!'}| ${(b.code === undefined ? '' : kb(b.code)).padStart(15)} ${(b.maps === undefined ? '' : kb(b.maps)).padStart(9)} ${(b.loadMs === undefined ? '' : `${b.loadMs} ms`).padStart(8)}`,
  );
}
console.log(`before: ${before.measured}`);
console.log(met ? 'every function meets the goal' : 'functions marked ! miss the goal');
