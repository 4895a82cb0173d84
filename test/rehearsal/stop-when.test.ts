import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFreeze } from '#core/assess/cell.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { parseScenario } from '#rehearsal/script/scenario.ts';

const file = new URL('../../examples/on-failure-freeze.json', import.meta.url);
const document = JSON.parse(readFileSync(file, 'utf8')) as { world: Record<string, unknown> };

describe('rehearse with stopWhen', () => {
  it('stops the execution at the first entry it names, and the guard restores the route and frees the lock', async () => {
    // No one resumes: without stopWhen the frozen release would hold until its history ran short.
    const scenario = parseScenario(
      { ...document, world: { ...document.world, operator: [] }, expect: undefined },
      'on-failure-freeze.json',
    );
    const report = await rehearse(scenario, { stopWhen: isFreeze });
    expect(report.outcome).toBe('stopped');
    const freeze = report.timeline.find(isFreeze);
    expect(freeze?.at).toBeGreaterThanOrEqual(7 * 60);
    expect(report.timeline.find((e) => e.event === 'operator.stop-execution')?.at).toBe(freeze?.at);
    expect(report.durationSeconds).toBeLessThan(10 * 60);
    expect(report.finalRoutes[0]?.targets.filter((t) => t.weight > 0)).toEqual([
      expect.objectContaining({ name: 'orders-v1', weight: 100 }),
    ]);
    expect(report.heldLocks).toEqual([]);
  });
});
