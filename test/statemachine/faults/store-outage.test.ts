import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

describe('a DynamoDB outage at Prepare, right after the route was taken', () => {
  it('cannot leave the route locked by an ended execution: lock and snapshot are one write, so the guard finds and frees it', async () => {
    // Every PutItem after the first write and every DeleteItem for the first 12 s answer 500: the
    // release cannot claim its id or open its controls, nor let go of the route it took. (Before, the
    // lock was one PutItem and the snapshot the next: the lock stayed, with no record for the guard.)
    const scenario = scenarioWith((s) => {
      s.world.faults = [
        { operation: 'PutItem', call: 2, count: 40, error: 'InternalServerError' },
        { operation: 'DeleteItem', from: '0s', until: '12s', error: 'InternalServerError' },
      ];
    });

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('failed');
    expect(report.error?.name).toBe('StoreUnavailable');
    expect(report.calls.filter((c) => c.operation === 'UpdateRoute')).toEqual([]);
    expect(report.guard.map((g) => [g.step, g.outcome?.action])).toEqual([
      ['take', 'none'],
      ['let-go', 'none'],
    ]);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });
});
