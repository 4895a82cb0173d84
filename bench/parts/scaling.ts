// Wall time of rehearsals of 1, 5, 10, 25 and 50 steps, and the line through them: a rehearsal's cost
// should grow with the number of steps and nothing faster.
import { canaryWith, timed } from '../rehearsal-speed.ts';
import { linearFit, median, round } from '../stats.ts';

export const STEP_COUNTS = [1, 5, 10, 25, 50] as const;

/** n strictly increasing whole weights between 1 and 99, spread evenly. */
export function evenSteps(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.max(1, Math.floor(((i + 1) * 99) / (n + 1))));
}

export async function measureScaling(runs = 3) {
  const rows: { steps: number; medianMs: number }[] = [];
  for (const steps of STEP_COUNTS) {
    const scenario = await canaryWith(`${steps} steps of 1 minute`, {
      type: 'canary',
      steps: evenSteps(steps),
      interval: '1m',
    });
    rows.push({ steps, medianMs: round(median(await timed(scenario, runs))) });
  }
  const fit = linearFit(rows.map((r) => ({ x: r.steps, y: r.medianMs })));
  return {
    runs,
    rows,
    msPerStep: round(fit.slope, 2),
    interceptMs: round(fit.intercept),
    r2: round(fit.r2, 4),
  };
}
