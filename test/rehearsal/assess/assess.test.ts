import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AssessCell, assess } from '#rehearsal/assess/assess.ts';

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8')) as unknown;

/** For each kind and onset, the cells from the smallest degradation to the largest. */
function rows(cells: readonly AssessCell[]): AssessCell[][] {
  const byRow = new Map<string, AssessCell[]>();
  for (const c of cells) byRow.set(`${c.kind} ${c.onset}`, [...(byRow.get(`${c.kind} ${c.onset}`) ?? []), c]);
  return [...byRow.values()];
}

describe('assess', () => {
  it('is monotone: a bigger degradation is never missed or caught later than a smaller one', async () => {
    const report = await assess(example('canary-healthy.json'), 'canary-healthy.json', {
      rps: 100,
      seed: 3,
      runs: 0,
      sigma: 0.1,
    });
    expect(report.cells).toHaveLength(18);
    for (const row of rows(report.cells)) {
      for (let i = 1; i < row.length; i++) {
        const [smaller, bigger] = [row[i - 1] as AssessCell, row[i] as AssessCell];
        if (smaller.detected) {
          expect(bigger.detected).toBe(true);
          expect(bigger.secondsToRollback as number).toBeLessThanOrEqual(smaller.secondsToRollback as number);
          expect(bigger.badRequests).toBeLessThanOrEqual(smaller.badRequests);
        }
      }
    }
    // The example watches an error alarm only: ×10 is caught from every onset, latency never is.
    expect(report.cells.filter((c) => c.degradation === '×10').every((c) => c.detected)).toBe(true);
    expect(report.cells.some((c) => c.kind === 'latency' && c.detected)).toBe(false);
    expect(report.unwatched).toEqual(['latency']);
  }, 120_000);

  it('refuses a file that is not a scenario, and a scenario whose healthy release does not promote', async () => {
    await expect(
      assess({ service: 'orders' }, 'profile.json', { rps: 1, seed: 1, runs: 0, sigma: 0 }),
    ).rejects.toThrow('is not a scenario');
    const rejected = example('approval-rejected.json');
    await expect(
      assess(rejected, 'approval-rejected.json', { rps: 1, seed: 1, runs: 0, sigma: 0 }),
    ).rejects.toThrow('with a healthy new version');
  });
});
