// Measures how long a rehearsal takes in wall time: a canary of 4 steps of 5 minutes must rehearse
// in under a second. Prints the plan's state transitions and price next to the measured time.
import { performance } from 'node:perf_hooks';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';

const BUDGET_MS = 1000;
const RUNS = 20;

const base = await loadScenario(new URL('../examples/canary-healthy.json', import.meta.url).pathname);
const scenario = {
  ...base,
  name: 'benchmark: 4 steps of 5 minutes',
  profile: {
    ...(base.profile as object),
    strategy: { type: 'canary', steps: [5, 25, 50, 75], interval: '5m' },
  },
};

const importAndFirst = performance.now();
const first = await rehearse(scenario);
const firstMs = performance.now() - importAndFirst;
if (first.outcome !== 'promoted')
  throw new Error(`benchmark scenario ended ${first.outcome}: ${first.error?.message}`);

/** Wall times of RUNS rehearsals of a scenario, sorted. */
async function timed(s: typeof scenario): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await rehearse(s);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const times = await timed(scenario);
const median = times[Math.floor(RUNS / 2)] as number;
const worst = times[RUNS - 1] as number;
// The README's "a two-hour release rehearses in milliseconds": four 30-minute steps.
const twoHours = await timed({
  ...scenario,
  name: 'two hours: 4 steps of 30 minutes',
  profile: {
    ...(scenario.profile as object),
    strategy: { type: 'canary', steps: [10, 25, 50, 75], interval: '30m' },
  },
});

console.log(`${scenario.name}`);
console.log(
  `  virtual time rehearsed: ${first.durationSeconds}s (${(first.durationSeconds / 60).toFixed(1)} min)`,
);
console.log(
  `  plan: ${first.plan?.stateTransitions} state transitions, ~${first.plan?.historyEvents} history events (estimated), $${first.plan?.priceUsd.toFixed(6)} per release`,
);
console.log(`  measured: ${first.stateTransitions} states entered, ${first.calls.length} AWS calls`);
console.log(
  `  wall time: first run ${firstMs.toFixed(1)} ms (cold), median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms over ${RUNS} runs`,
);
console.log(
  `  a two-hour release (4 steps of 30 minutes): median ${(twoHours[Math.floor(RUNS / 2)] as number).toFixed(1)} ms over ${RUNS} runs`,
);
if (Math.max(worst, firstMs) >= BUDGET_MS) {
  console.error(`  FAIL: slowest run ${Math.max(worst, firstMs).toFixed(1)} ms is not under ${BUDGET_MS} ms`);
  process.exit(1);
}
console.log(`  under ${BUDGET_MS} ms: yes`);
