import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant } from '../../support/invariant.ts';
import { type healthyScenarioInput, scenarioWith } from '../../support/scenarios.ts';

/**
 * stepshift's own controls, through the real state machine: the operator commands (abort, promote,
 * pause, resume, run as the CLI runs them) and the profile's onFailure policy. The healthy example
 * shifts 10%, 25%, 50% at 0, 5 and 10 minutes, one check per step, and promotes at 15.
 */

type Input = ReturnType<typeof healthyScenarioInput>;

function scenario(change: (s: Input) => void) {
  return scenarioWith((s) => change(s));
}

/** orders-5xx goes through these states (its first is where it starts). */
function alarm5xx(s: Input, states: { at: string; state: string; value?: number }[]) {
  const alarms = (s.world as unknown as { alarms: { name: string; states: unknown[] }[] }).alarms;
  alarms.find((a) => a.name === 'orders-5xx')!.states = states;
}

const events = (report: RehearsalReport, name: string) => report.timeline.filter((e) => e.event === name);
const at = (report: RehearsalReport, name: string) => events(report, name).map((e) => Math.floor(e.at));
const shifts = (report: RehearsalReport) =>
  events(report, 'traffic.shifted').map((e) => [Math.floor(e.at), e.weights['orders-v2']]);

describe('stepshift abort', () => {
  it('rolls back at once from the middle of a bake, with who and why in the reason', async () => {
    const s = scenario((x) => {
      x.world.operator = [{ at: '7m', action: 'abort', reason: 'p99 latency looks wrong' }];
    });
    const report = await rehearse(s);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toMatch(
      /^ReleaseAborted: aborted by operator at 2026-01-01T00:07:00\.000Z: p99 latency looks wrong$/,
    );
    expect(events(report, 'bake.ended').map((e) => e.detail)).toEqual([
      { by: 'SendTaskFailure', error: 'ReleaseAborted', secondsLeft: expect.any(Number) },
    ]);
    expect(at(report, 'release.rolled_back')).toEqual([420]);
    expect(events(report, 'operator.abort')[0]?.detail).toMatchObject({ status: 'acted' });
    expectInvariant(s, report);
  });

  it('answers "not running" for a release id nothing runs under, and changes nothing', async () => {
    const s = scenario((x) => {
      x.world.operator = [{ at: '7m', action: 'abort', releaseId: 'payments-v9' }];
    });
    const report = await rehearse(s);
    expect(events(report, 'operator.abort')[0]?.detail).toMatchObject({ status: 'not-running' });
    expect(report.outcome).toBe('promoted');
  });
});

describe('stepshift promote', () => {
  it('skips the rest of the current step: the next step starts at once', async () => {
    const s = scenario((x) => {
      x.world.operator = [{ at: '2m', action: 'promote' }];
    });
    const report = await rehearse(s);
    expect(shifts(report)).toEqual([
      [0, 10],
      [120, 25],
      // 421.0x: each fenced write reads the route's lock before and after (100 ms of calls per step).
      [421, 50],
    ]);
    expect(events(report, 'operator.promoted')).toHaveLength(1);
    expect(report.outcome).toBe('promoted');
    expectInvariant(s, report);
  });

  it('with --full, promotes at once, skipping every remaining step', async () => {
    const s = scenario((x) => {
      x.world.operator = [{ at: '2m', action: 'promote', full: true }];
    });
    const report = await rehearse(s);
    expect(shifts(report)).toEqual([[0, 10]]);
    expect(at(report, 'release.promoted')).toEqual([120]);
    expect(report.outcome).toBe('promoted');
    expectInvariant(s, report);
  });
});

describe('stepshift pause and resume', () => {
  it('holds at the current weight when the step ends, says so once, and goes on when resumed', async () => {
    const s = scenario((x) => {
      x.world.operator = [
        { at: '2m', action: 'pause' },
        { at: '23m', action: 'resume' },
      ];
    });
    const report = await rehearse(s);
    // Step 1 ends at 5m and holds at 10% (checks every 5m) until the resume at 23m ends the wait.
    expect(shifts(report)).toEqual([
      [0, 10],
      [1380, 25],
      // 1681.0x: each fenced write reads the route's lock before and after.
      [1681, 50],
    ]);
    expect(events(report, 'release.held')).toHaveLength(1);
    expect(events(report, 'release.held')[0]?.detail).toMatchObject({ why: 'paused' });
    expect(events(report, 'analysis.completed').length).toBeGreaterThanOrEqual(6);
    expect(events(report, 'release.resumed').map((e) => e.detail)).toEqual([
      expect.objectContaining({ after: 'paused' }),
    ]);
    expect(report.outcome).toBe('promoted');
    expectInvariant(s, report);
  });

  it('still rolls back when an alarm fires during the pause', async () => {
    const s = scenario((x) => {
      x.world.operator = [{ at: '2m', action: 'pause' }];
      alarm5xx(x, [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '9m', state: 'ALARM', value: 4.7 },
      ]);
    });
    const report = await rehearse(s);
    expect(report.outcome).toBe('rolled_back');
    expect(at(report, 'release.rolled_back')).toEqual([540]);
    expect(shifts(report)).toEqual([[0, 10]]);
    expectInvariant(s, report);
  });
});

describe('onFailure', () => {
  it('"gradual" steps back down one step per check, still analysing, then restores the snapshot', async () => {
    const s = scenario((x) => {
      x.profile.onFailure = 'gradual';
      alarm5xx(x, [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '12m', state: 'ALARM', value: 4.7 },
        { at: '13m', state: 'OK', value: 0.3 },
      ]);
    });
    const report = await rehearse(s);
    expect(shifts(report).map(([, weight]) => weight)).toEqual([10, 25, 50, 25, 10]);
    expect(events(report, 'release.retreating').map((e) => e.detail.weight)).toEqual([25, 10]);
    expect(at(report, 'release.retreating')[0]).toBe(720);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toContain('orders-5xx is ALARM (4.7, alarm when > 1');
    expectInvariant(s, report);
  });

  it('"gradual" rolls back at once when a check fails again while stepping back', async () => {
    const s = scenario((x) => {
      x.profile.onFailure = 'gradual';
      alarm5xx(x, [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '12m', state: 'ALARM', value: 4.7 },
      ]);
    });
    const report = await rehearse(s);
    expect(shifts(report).map(([, weight]) => weight)).toEqual([10, 25, 50, 25]);
    expect(report.error?.message).toContain('then, while stepping back,');
    expectInvariant(s, report);
  });

  it('"freeze" holds the weights, tells the team once, and waits for a person: resume goes on', async () => {
    const s = scenario((x) => {
      x.profile.onFailure = 'freeze';
      x.world.operator = [{ at: '50m', action: 'resume' }];
      alarm5xx(x, [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '7m', state: 'ALARM', value: 4.7 },
        { at: '9m', state: 'OK', value: 0.3 },
      ]);
    });
    const report = await rehearse(s);
    expect(events(report, 'release.held').map((e) => [Math.floor(e.at), e.detail.why])).toEqual([
      [420, 'frozen'],
    ]);
    expect(report.events.filter((e) => e.detailType === 'Release Held')).toHaveLength(1);
    // Frozen checks double their interval (5m, 10m, 20m, ...) up to an hour: a person is awaited.
    const frozenBakes = events(report, 'bake.started')
      .filter((e) => e.at > 420 && e.at < 3000)
      .map((e) => e.detail.seconds);
    expect(frozenBakes).toEqual([300, 600, 1200, 2400]);
    expect(shifts(report).map(([, weight]) => weight)).toEqual([10, 25, 50]);
    expect(at(report, 'traffic.shifted')[2]).toBe(3000);
    expect(report.outcome).toBe('promoted');
    expectInvariant(s, report);
  });

  it('"freeze" then abort rolls back', async () => {
    const s = scenario((x) => {
      x.profile.onFailure = 'freeze';
      x.world.operator = [{ at: '30m', action: 'abort' }];
      alarm5xx(x, [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '7m', state: 'ALARM', value: 4.7 },
      ]);
    });
    const report = await rehearse(s);
    expect(at(report, 'release.rolled_back')).toEqual([1800]);
    expect(report.error?.message).toContain('ReleaseAborted');
    expectInvariant(s, report);
  });
});
