import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant } from '../../support/invariant.ts';

const dir = new URL('../../../examples/', import.meta.url).pathname;

/** An example with these faults added to its world. */
async function withFaults(file: string, faults: unknown[]): Promise<Scenario> {
  const scenario = await loadScenario(`${dir}${file}`);
  const world = scenario.world as unknown as { faults: unknown[] };
  return { ...scenario, world: { ...scenario.world, faults: [...world.faults, ...faults] } } as Scenario;
}

describe('the side route when states are retried', () => {
  it('is created once when Shift crashes after CreateRoute and is retried: the same clientToken changes nothing', async () => {
    const scenario = await withFaults('blue-green-promotes.json', [
      { state: 'Shift traffic', call: 1, fault: 'crash', when: 'after' },
    ]);
    const report = await rehearse(scenario);
    const creates = report.calls.filter((c) => c.operation === 'CreateRoute');
    expect(creates).toHaveLength(2);
    expect(new Set(creates.map((c) => c.input.clientToken)).size).toBe(1);
    expect(creates.map((c) => c.error)).toEqual([undefined, undefined]);
    expect(report.outcome).toBe('promoted');
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('is still removed when DeleteRoute fails at Finish at first: Finish is retried', async () => {
    const scenario = await withFaults('ab-promotes.json', [
      { operation: 'DeleteRoute', call: 1, count: 4, error: 'InternalServerErrorException' },
    ]);
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(report.calls.filter((c) => c.operation === 'DeleteRoute').at(-1)?.error).toBeUndefined();
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('is still removed when DeleteRoute is denied at first during Rollback, after production is back', async () => {
    const scenario = await withFaults('blue-green-rollback.json', [
      { operation: 'DeleteRoute', call: 1, count: 2, error: 'AccessDeniedException' },
    ]);
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    const deletes = report.calls.filter((c) => c.operation === 'DeleteRoute');
    expect(deletes.map((c) => c.error?.name)).toEqual([
      'AccessDeniedException',
      'AccessDeniedException',
      undefined,
    ]);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });
});
