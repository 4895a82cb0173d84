// `npm run bench`: every comparison in one run. A table on the terminal, or with --json one document
// with the keys rehearsal, functions, cli, cost, blastRadius, concurrency, scaling and historyReads, so runs can be
// compared across commits. `--only cost,scaling` runs some parts (the others are left out of the
// document). Expects `npm run synth` first (the functions' part reads cdk.out/).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measureBlastRadius } from './parts/blast-radius.ts';
import { measureConcurrency } from './parts/concurrency.ts';
import { measureCost } from './parts/cost.ts';
import { measureHistoryReads } from './parts/history-reads.ts';
import { measureCli, measureFunctions } from './parts/processes.ts';
import { measureScaling } from './parts/scaling.ts';
import { printers } from './print.ts';
import { measureRehearsal } from './rehearsal-speed.ts';
import { round } from './stats.ts';

const PARTS = {
  rehearsal: () => measureRehearsal(),
  functions: async () => measureFunctions(),
  cli: async () => measureCli(),
  cost: () => measureCost(),
  blastRadius: () => measureBlastRadius(),
  concurrency: () => measureConcurrency(),
  scaling: () => measureScaling(),
  historyReads: () => measureHistoryReads(),
} satisfies Record<string, () => Promise<unknown>>;
type Part = keyof typeof PARTS;

const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' } } });
const names = Object.keys(PARTS) as Part[];
const only = values.only?.split(',').map((s) => s.trim()) ?? names;
const unknown = only.filter((n) => !names.includes(n as Part));
if (unknown.length > 0) {
  console.error(`no such part: ${unknown.join(', ')}; the parts are ${names.join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const document: Record<string, unknown> = {};
const seconds: Record<string, number> = {};
for (const name of names.filter((n) => only.includes(n))) {
  const start = performance.now();
  // A part that cannot run (no cdk.out/ for the functions, say) is reported, and the others still run.
  let result: unknown;
  try {
    result = await PARTS[name]();
  } catch (error) {
    result = { error: (error as Error).message };
  }
  seconds[name] = round((performance.now() - start) / 1000);
  document[name] = result;
  if (values.json) continue;
  if ('error' in (result as object))
    console.log(`\n${name}: could not be measured: ${(result as { error: string }).error}`);
  else printers[name](result as never);
}
const meta = { wallSeconds: round((performance.now() - started) / 1000), partSeconds: seconds };
if (values.json) console.log(JSON.stringify({ ...document, bench: meta }, null, 2));
else
  console.log(
    `\nbench: ${meta.wallSeconds} s (${Object.entries(seconds)
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')})`,
  );
