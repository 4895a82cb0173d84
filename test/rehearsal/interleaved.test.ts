import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { concurrencyScenario } from '../../bench/parts/concurrency.ts';

describe('interleaved releases of several services in one world', () => {
  it('run side by side on one clock, each to its own outcome, no lock left and no event crossing services', async () => {
    const { scenario, profiles } = await concurrencyScenario(2);
    const report = await rehearse(scenario, { interleave: true, profiles });
    // svc-0's alarm fires at 3m: it rolls back; svc-1 promotes.
    expect([report.outcome, ...report.others.map((o) => o.outcome)]).toEqual(['rolled_back', 'promoted']);
    // Side by side: both end within one release's length (15 minutes), not one after the other.
    const ends = report.timeline
      .filter((e) => e.event.startsWith('execution.'))
      .map((e) => `${e.detail.execution} ${e.event} ${Math.floor(e.at)}`);
    // svc-0 rolls back as its alarm fires at 3m, while svc-1 bakes; svc-1 promotes after its 15 minutes.
    expect(ends).toEqual(['rehearsal execution.failed 180', 'rehearsal-2 execution.succeeded 903']);
    expect(report.heldLocks).toEqual([]);
    expect(report.finalRoutes.map((r) => r.targets.filter((t) => t.weight > 0))).toEqual([
      [{ name: 'svc-0-v1', weight: 100 }],
      [{ name: 'svc-1-v2', weight: 100 }],
    ]);
    const releases = new Map<string, Set<unknown>>();
    for (const e of report.events) {
      const { releaseId, service } = e.detail as { releaseId: string; service: string };
      releases.set(releaseId, (releases.get(releaseId) ?? new Set()).add(service));
    }
    expect([...releases.values()].map((s) => [...s])).toEqual([['svc-0'], ['svc-1']]);
  });

  it('without interleaving, a release started during another runs to its end first, as before', async () => {
    const { scenario, profiles } = await concurrencyScenario(2);
    const report = await rehearse(scenario, { profiles });
    expect([report.outcome, report.others[0]?.outcome]).toEqual(['rolled_back', 'promoted']);
    expect(report.durationSeconds).toBeGreaterThan(15 * 60 + 3 * 60);
  });
});
