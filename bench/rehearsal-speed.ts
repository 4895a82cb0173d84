// How long a rehearsal takes in wall time: a canary of 4 steps of 5 minutes must rehearse in under a
// second. Returns the plan's state transitions and price next to the measured time.
import { performance } from 'node:perf_hooks';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { median, round } from './stats.ts';

export const BUDGET_MS = 1000;

/** examples/canary-healthy.json with another strategy: the scenario every speed figure rehearses. */
export async function canaryWith(name: string, strategy: Record<string, unknown>): Promise<Scenario> {
  const base = await loadScenario(new URL('../examples/canary-healthy.json', import.meta.url).pathname);
  return { ...base, name, profile: { ...(base.profile as object), strategy } };
}

/** Wall milliseconds of `runs` rehearsals of a scenario. */
export async function timed(scenario: Scenario, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const report = await rehearse(scenario);
    out.push(performance.now() - start);
    if (report.outcome !== 'promoted')
      throw new Error(
        `benchmark scenario ${scenario.name} ended ${report.outcome}: ${report.error?.message}`,
      );
  }
  return out;
}

export async function measureRehearsal(runs = 20) {
  const scenario = await canaryWith('4 steps of 5 minutes', {
    type: 'canary',
    steps: [5, 25, 50, 75],
    interval: '5m',
  });
  const start = performance.now();
  const first = await rehearse(scenario);
  const firstMs = performance.now() - start;
  const times = await timed(scenario, runs);
  // The README's "a two-hour release rehearses in milliseconds": four 30-minute steps.
  const twoHours = await timed(
    await canaryWith('4 steps of 30 minutes', { type: 'canary', steps: [10, 25, 50, 75], interval: '30m' }),
    runs,
  );
  const worst = Math.max(...times, firstMs);
  return {
    scenario: scenario.name,
    virtualSeconds: first.durationSeconds,
    stateTransitions: first.stateTransitions,
    awsCalls: first.calls.length,
    plan: first.plan,
    runs,
    firstMs: round(firstMs),
    medianMs: round(median(times)),
    worstMs: round(worst),
    twoHourMedianMs: round(median(twoHours)),
    budgetMs: BUDGET_MS,
    underBudget: worst < BUDGET_MS,
  };
}
