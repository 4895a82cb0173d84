import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { scenarioWith } from '../support/scenarios.ts';

const healthy = () => scenarioWith(() => {});

describe('lifecycle events on the bus', () => {
  it('a promoted release tells its start, each shift, the promotion and the finish, in order', async () => {
    // Act
    const report = await rehearse(healthy());

    // Assess
    expect(report.events.map((e) => e.detailType)).toEqual([
      'Release Started',
      'Traffic Shifted',
      'Traffic Shifted',
      'Traffic Shifted',
      'Release Promoted',
      'Release Finished',
    ]);
    expect(new Set(report.events.map((e) => `${e.source} ${e.eventBusName}`))).toEqual(
      new Set(['stepshift stepshift']),
    );
    for (const event of report.events) {
      expect(event.detail).toMatchObject({ releaseId: 'rehearsal', service: 'orders', version: 'v2' });
      expect(event.detail.weights).toEqual(expect.any(Array));
    }
    expect(report.events.at(-1)?.detail.weights).toEqual([{ target: 'orders-v2', weight: 100, port: 8080 }]);
    const shifts = report.events.filter((e) => e.detailType === 'Traffic Shifted');
    expect(shifts.map((e) => e.detail.step)).toEqual([1, 2, 3]);
  });

  it('a rolled-back release ends with "Release Rolled Back" carrying the restored weights and the reason', async () => {
    const scenario = scenarioWith((s) => {
      s.world.alarms = [
        ...((s.world.alarms as unknown[]) ?? []).filter((a) => (a as { name: string }).name !== 'orders-5xx'),
        {
          name: 'orders-5xx',
          type: 'metric',
          threshold: 1,
          comparison: 'GreaterThanThreshold',
          states: [
            { at: '0s', state: 'OK', value: 0.2 },
            { at: '3m', state: 'ALARM', value: 4.7 },
          ],
        },
      ];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    const last = report.events.at(-1);
    expect(last?.detailType).toBe('Release Rolled Back');
    expect(last?.detail).toMatchObject({
      error: 'ReleaseRolledBack',
      weights: [{ target: 'orders-v1', weight: 100 }],
    });
    expect(String(last?.detail.reason)).toContain('orders-5xx is ALARM');
  });

  it('a refused request says "Release Rejected" with the problems, and nothing else', async () => {
    const report = await rehearse(
      scenarioWith((s) => {
        s.request = { service: 'orders' };
      }),
    );
    expect(report.outcome).toBe('rejected');
    expect(report.events.map((e) => e.detailType)).toEqual(['Release Rejected']);
    expect(report.events[0]?.detail.problems).toEqual([expect.stringContaining('request.version')]);
  });

  it('a bus that refuses every event does not change the release: it promotes and the timeline says what was lost', async () => {
    const scenario = scenarioWith((s) => {
      s.world.faults = [{ operation: 'PutEvents', from: '0s', error: 'AccessDeniedException' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(report.events).toEqual([]);
    expect(report.timeline.filter((e) => e.event === 'event.undelivered')).toHaveLength(6);
    expect(report.finalRoutes).toEqual((await rehearse(healthy())).finalRoutes);
  });
});
