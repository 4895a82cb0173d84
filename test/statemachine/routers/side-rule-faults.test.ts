import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { expectTargetGroupInvariant } from '../../support/invariant.ts';

const dir = new URL('../../../examples/', import.meta.url).pathname;

/** A Lattice or ALB twin of an example with these faults added to its world. */
async function withFaults(router: string, file: string, faults: unknown[]): Promise<Scenario> {
  const scenario = await loadScenario(`${dir}${router}/${file}`);
  const world = scenario.world as unknown as { faults: unknown[] };
  return { ...scenario, world: { ...scenario.world, faults: [...world.faults, ...faults] } } as Scenario;
}

const SERVER_ERROR = { lattice: 'InternalServerException', alb: 'InternalFailure' } as const;

describe.each(['lattice', 'alb'] as const)('the %s side rule when states are retried', (router) => {
  it('is created once when Shift crashes after CreateRule and is retried', async () => {
    const scenario = await withFaults(router, 'blue-green-promotes.json', [
      { state: 'Shift traffic', call: 1, fault: 'crash', when: 'after' },
    ]);
    const report = await rehearse(scenario);
    const creates = report.calls.filter((c) => c.operation === 'CreateRule');
    // With stepshift's tag, the one IAM lets CreateRule set and DeleteRule remove.
    expect(router === 'lattice' ? creates[0]?.input.tags : creates[0]?.input.Tags).toEqual(
      router === 'lattice'
        ? { 'stepshift:side-route': 'stepshift-orders-test' }
        : [{ Key: 'stepshift:side-route', Value: 'stepshift-orders-test' }],
    );
    if (router === 'lattice') {
      // The retry sends the same client token, and Lattice answers with the rule it made.
      expect(creates).toHaveLength(2);
      expect(new Set(creates.map((c) => c.input.clientToken)).size).toBe(1);
      expect(creates.map((c) => c.error)).toEqual([undefined, undefined]);
    } else {
      // The retry finds the rule by its tag and creates nothing.
      expect(creates).toHaveLength(1);
    }
    expect(report.outcome).toBe('promoted');
    const snapshot = report.timeline[0]?.weights ?? {};
    expect(expectTargetGroupInvariant(scenario, report, snapshot, 'orders-v2')).toBe('promoted');
  });

  it('is still removed when DeleteRule fails at Finish at first: Finish is retried', async () => {
    const scenario = await withFaults(router, 'ab-promotes.json', [
      { operation: 'DeleteRule', call: 1, count: 4, error: SERVER_ERROR[router] },
    ]);
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    const deletes = report.calls.filter((c) => c.operation === 'DeleteRule');
    expect(deletes.length).toBeGreaterThan(1);
    expect(deletes.at(-1)?.error).toBeUndefined();
    const snapshot = report.timeline[0]?.weights ?? {};
    expect(expectTargetGroupInvariant(scenario, report, snapshot, 'orders-v2')).toBe('promoted');
  });
});
