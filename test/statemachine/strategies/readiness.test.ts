import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';

/** targets.ecsService through the real state machine: Prepare's retries wait for the new version. */
const examples = new URL('../../../examples/', import.meta.url).pathname;

describe('readiness before traffic', () => {
  it('takes no route and moves no weight until the ECS service is steady, then releases as usual', async () => {
    const scenario = await loadScenario(`${examples}readiness-waits.json`);
    const report = await rehearse(scenario);
    const waiting = report.timeline.filter((e) => e.event === 'canary.waiting');
    const planned = report.timeline.find((e) => e.event === 'release.planned');
    // Steady at 2m; Prepare looked at 0, 15, 38 and 72 s, then at 123 s (15 s backing off by 1.5).
    expect(waiting.map((e) => Math.floor(e.at))).toEqual([0, 15, 38, 72]);
    expect(Math.floor(planned?.at ?? 0)).toBe(123);
    // Nothing was locked or written while it waited: the first conditional write comes with the plan.
    const firstPut = report.calls.find((c) => c.operation === 'PutItem');
    expect(firstPut?.at).toBeGreaterThanOrEqual(122);
    expect(writesIn(report)[0]?.at).toBeGreaterThan(123);
    expect(report.outcome).toBe('promoted');
    expectInvariant(scenario, report);
  });

  it('ends CanaryNotReady at readinessTimeout with nothing shifted and nothing held', async () => {
    const scenario = await loadScenario(`${examples}readiness-timeout.json`);
    const report = await rehearse(scenario);
    expect(report.error?.name).toBe('CanaryNotReady');
    expect(report.error?.message).toMatch(
      /^ECS service shop\/orders-v2 is not steady: 1 of 3 tasks running, after waiting 5m/,
    );
    expect(writesIn(report)).toEqual([]);
    expect(report.calls.filter((c) => c.operation === 'PutItem')).toEqual([]);
    expect(report.events.map((e) => e.detailType)).toEqual(['Release Not Ready']);
    expectInvariant(scenario, report);
  });
});
