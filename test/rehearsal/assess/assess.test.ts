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

/** A bigger degradation of a row is never missed, caught later or let serve more than a smaller one. */
function expectMonotone(cells: readonly AssessCell[]): void {
  for (const row of rows(cells)) {
    for (let i = 1; i < row.length; i++) {
      const [smaller, bigger] = [row[i - 1] as AssessCell, row[i] as AssessCell];
      if (smaller.detected) {
        expect(bigger.detected).toBe(true);
        expect(bigger.secondsToRollback as number).toBeLessThanOrEqual(smaller.secondsToRollback as number);
        expect(bigger.badRequests).toBeLessThanOrEqual(smaller.badRequests);
      }
    }
  }
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
    expectMonotone(report.cells);
    // The example watches an error alarm only: ×10 is caught from every onset, latency never is.
    expect(report.cells.filter((c) => c.degradation === '×10').every((c) => c.detected)).toBe(true);
    expect(report.cells.some((c) => c.kind === 'latency' && c.detected)).toBe(false);
    expect(report.unwatched).toEqual(['latency']);
  }, 120_000);

  // At ±10% the example's ×10 breaches its alarm at once, whatever the noise, so one seed cannot tell
  // shared noise from noise drawn anew for each degradation. At ±100% a row's cells are caught at
  // minutes the noise decides, and noise drawn anew per degradation broke the order for seed 2 (and for
  // seed 3 under a second way of drawing it; seed 4 held under both), so the seeds are checked together.
  it.each([2, 3, 4])(
    'is monotone for seed %i at ±100% noise, where the noise decides when a cell is caught',
    async (seed) => {
      const report = await assess(example('canary-healthy.json'), 'canary-healthy.json', {
        rps: 100,
        seed,
        runs: 0,
        sigma: 1,
        onsets: ['last-step'],
      });
      expect(report.cells.filter((c) => c.detected).length).toBeGreaterThan(1);
      expectMonotone(report.cells);
    },
    60_000,
  );

  it('ends a frozen cell at the freeze: caught, traffic kept, no time to rollback, requests counted until then', async () => {
    const report = await assess(example('on-failure-freeze.json'), 'on-failure-freeze.json', {
      rps: 100,
      seed: 1,
      runs: 0,
      sigma: 0.1,
      onsets: ['start'],
    });
    const byChange = Object.fromEntries(report.cells.map((c) => [`${c.kind} ${c.degradation}`, c]));
    for (const change of ['error-rate ×5', 'error-rate ×10']) {
      const cell = byChange[change] as AssessCell;
      expect(cell).toMatchObject({ detected: true, secondsToRollback: null, stepReached: 1 });
      const frozenAt = cell.frozenAt as number;
      expect(frozenAt).toBeGreaterThan(cell.onsetSeconds);
      // At most the whole rate from the onset to the freeze: the hold after it is a person's to end.
      expect(cell.badRequests).toBeGreaterThan(0);
      expect(cell.badRequests).toBeLessThanOrEqual(100 * (frozenAt - cell.onsetSeconds));
    }
    // What the alarm does not catch promotes as before, and is not frozen.
    expect(byChange['error-rate ×2']).toMatchObject({
      outcome: 'promoted',
      frozenAt: null,
      badRequests: 25_576,
    });
    expect(byChange['latency +100%']).toMatchObject({ outcome: 'promoted', frozenAt: null, stepReached: 3 });
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

  it('refuses a scenario whose healthy release freezes, saying so, without waiting out the hold', async () => {
    // The composite alarm, which assess leaves as scripted, is in ALARM from the start: the first check freezes.
    const scenario = example('on-failure-freeze.json') as { world: { alarms: { name: string }[] } };
    const alarms = scenario.world.alarms.map((a) =>
      a.name === 'orders-health' ? { ...a, states: [{ at: '0s', state: 'ALARM' }] } : a,
    );
    await expect(
      assess({ ...scenario, world: { ...scenario.world, alarms } }, 'frozen.json', {
        rps: 1,
        seed: 1,
        runs: 0,
        sigma: 0,
      }),
    ).rejects.toThrow(/freezes at \S+ \(.*orders-health.*\) with a healthy new version and no noise/);
  });
});
