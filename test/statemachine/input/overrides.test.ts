import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { writesIn } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

type Alarms = { name: string; states: { at: string; state: string }[] }[];

/** The healthy example with orders-5xx in ALARM from the start and this request. */
const alarmingWith = (request: Record<string, unknown>) =>
  scenarioWith((s) => {
    const alarms = s.world.alarms as Alarms;
    (alarms[0] as Alarms[number]).states = [{ at: '0s', state: 'ALARM' }];
    s.request = { service: 'orders', version: 'v2', ...request };
  });

describe("a request's overrides, rehearsed through the state machine", () => {
  it("cannot drop the gates: issue 12's request is refused before any weight moves", async () => {
    // Before: "no signals configured -> passed", and the version in ALARM was promoted.
    const scenario = alarmingWith({
      overrides: { strategy: { type: 'all-at-once', bake: '1s' }, analysis: { alarms: [] } },
    });
    const report = await rehearse(scenario);
    expect(report.outcome, report.error?.message).toBe('rejected');
    expect(report.error?.message).toContain(
      "request.overrides.strategy: puts 100% on the new version at 0s, where the profile's canary strategy puts 10%",
    );
    expect(report.error?.message).toContain(
      `request.overrides.analysis.alarms: leaves out the profile's "orders-5xx", "orders-health"`,
    );
    expect(writesIn(report)).toEqual([]);
  });

  it('may make the release stricter: smaller first steps, and the alarm rolls it back at 5%', async () => {
    const report = await rehearse(
      alarmingWith({
        overrides: {
          strategy: { type: 'canary', steps: [5, 10, 25, 50], interval: '5m' },
          analysis: { failureThreshold: 1, insufficientData: 'fail' },
          onFailure: 'rollback',
        },
      }),
    );
    expect(report.outcome, report.error?.message).toBe('rolled_back');
    expect(report.error?.message).toContain('orders-5xx is ALARM');
    expect(report.error?.message).toContain('at step 1 with 5% on the new version');
  });
});
