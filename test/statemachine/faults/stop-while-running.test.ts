import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

/**
 * StopExecution ends an execution at once, but a Lambda function already running goes on to its end:
 * whatever it writes after the stop must not outlive the guard. Each case stops the release while a
 * task is in the middle of something that takes time (a webhook, the SDK's back-off), so that the
 * task's write, if it came, would come after the guard had looked at the route.
 */

const events = (report: RehearsalReport, name: string) => report.timeline.filter((e) => e.event === name);

/** The healthy example's route, stopped at `stopAt` (ms) with these changes. */
function stoppedAt(stopAt: number, change: Parameters<typeof scenarioWith>[0]) {
  return scenarioWith((s) => {
    change(s);
    s.world.operator = [{ at: `${stopAt}ms`, action: 'stop-execution' }];
  });
}

/** The task still running after the stop: the state, and how it ended (its error's name, or "returned"). */
function straggler(report: RehearsalReport) {
  return events(report, 'task.after-stop').map((e) => [e.detail.state, e.detail.ended]);
}

describe('a stop while a task still runs (the Lambda function goes on after StopExecution)', () => {
  it('during a slow preRollout webhook in Shift: the stop counts at its time, and Shift never writes its first step', async () => {
    // The webhook's first call times out after 30 s; its retry passes. The person stops at 10 s.
    const scenario = stoppedAt(10_000, (s) => {
      s.profile.hooks = [
        {
          name: 'smoke',
          phase: 'preRollout',
          type: 'webhook',
          url: 'https://checks.example.com/smoke',
          timeout: '30s',
          retries: 1,
        },
      ];
      (s.world as Record<string, unknown>).hooks = {
        smoke: [
          { at: '0s', result: 'timeout' },
          { at: '20s', result: 'pass' },
        ],
      };
    });

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('stopped');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
    expect(events(report, 'operator.stop-execution').map((e) => e.at)).toEqual([10]);
    expect(straggler(report)).toEqual([['Shift traffic', 'FencedOut']]);
  });

  it('during UpdateRoute retries in Shift: the retried write finds the route fenced', async () => {
    // App Mesh throttles every UpdateRoute for the first 2 s; the SDK backs off and tries again, and
    // its fourth try lands after the guard looked at the route.
    const scenario = stoppedAt(1_000, (s) => {
      s.world.faults = [
        { operation: 'UpdateRoute', from: '0s', until: '2s', error: 'TooManyRequestsException' },
      ];
    });

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('stopped');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
    expect(events(report, 'operator.stop-execution').map((e) => e.at)).toEqual([1]);
    // Its write landed after the guard took over: it read the lock again, put the snapshot back.
    expect(straggler(report)).toEqual([['Shift traffic', 'FencedOut']]);
  });

  it('during Promote: a stopped release does not end promoted', async () => {
    // The healthy release promotes after its last check, at 15 minutes (Promote's first UpdateRoute at
    // 902.25 s); UpdateRoute is throttled until 903 s, so the stop lands in the SDK's back-off and
    // Promote's write lands after the guard.
    const scenario = stoppedAt(902_400, (s) => {
      s.world.faults = [
        { operation: 'UpdateRoute', from: '900s', until: '903s', error: 'TooManyRequestsException' },
      ];
    });

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('stopped');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
    expect(straggler(report)).toEqual([['Promote the new version', 'FencedOut']]);
  });

  it('while the side route is being created: no side route is left behind', async () => {
    // Blue/green opens its test route at its first step; CreateRoute is throttled for the first 2 s,
    // so the SDK's fourth try creates it after the guard looked.
    const scenario = stoppedAt(1_000, (s) => {
      s.profile.strategy = {
        type: 'blue-green',
        testHeader: { name: 'x-stepshift-preview', value: 'true' },
        bake: '10m',
      };
      s.world.faults = [
        { operation: 'CreateRoute', from: '0s', until: '2s', error: 'TooManyRequestsException' },
      ];
    });

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('stopped');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
    // It created the side route after the guard took over, read the lock again, removed it again.
    expect(straggler(report)).toEqual([['Shift traffic', 'FencedOut']]);
  });
});
