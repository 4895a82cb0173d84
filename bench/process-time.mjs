// Whole-process timings for the bench's scripts that node runs as they are (function-assets.mjs,
// cli-startup.mjs); bench/stats.ts is the TypeScript parts' own.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall milliseconds of one fresh node process with these arguments; throws when it fails. */
export function wallMs(args, options = {}) {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { ...options, stdio: 'ignore' });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
  return ms;
}

/** The middle value (the upper of the two middles for an even count; the runs are odd). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
