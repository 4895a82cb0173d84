// `stepshift rehearse examples/canary-healthy.json` as a whole process, median of 11: the built CLI
// (bin/stepshift.mjs over dist/cli/, `npm run build`) beside the same sources run through tsx, as the
// command ran before it was bundled, and node alone. The three are timed in turn, round after round,
// so that a slow moment of the machine falls on each alike. Goal: 1 s for the built one. `--json`
// prints one JSON document.
import { spawnSync } from 'node:child_process';
import { median, wallMs } from './process-time.mjs';

const RUNS = 11;
const GOAL_MS = 1000;
const root = new URL('..', import.meta.url).pathname;
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const scenario = 'examples/canary-healthy.json';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
if (build.status !== 0) throw new Error('npm run build failed');
const commands = {
  alone: ['-e', '0'],
  built: ['bin/stepshift.mjs', 'rehearse', scenario],
  tsx: ['node_modules/tsx/dist/cli.mjs', 'cli/main.ts', 'rehearse', scenario],
};
const times = { alone: [], built: [], tsx: [] };
for (let round = 0; round < RUNS; round++) {
  for (const [name, args] of Object.entries(commands)) times[name].push(wallMs(args, { cwd: root, env }));
}
const [alone, built, tsx] = [median(times.alone), median(times.built), median(times.tsx)];
const result = {
  command: `stepshift rehearse ${scenario}`,
  runs: RUNS,
  goalMs: GOAL_MS,
  nodeAloneMs: Math.round(alone),
  builtMs: Math.round(built),
  tsxMs: Math.round(tsx),
};
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  console.log(`${result.command}, whole process, median of ${RUNS} (node alone ${result.nodeAloneMs} ms):`);
  console.log(
    `  built (bin/stepshift.mjs, dist/cli/)   ${`${result.builtMs}`.padStart(6)} ms ${built <= GOAL_MS ? '' : `! goal ${GOAL_MS} ms`}`,
  );
  console.log(`  the same sources through tsx (before) ${`${result.tsxMs}`.padStart(6)} ms`);
}
