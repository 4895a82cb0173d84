import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { scenarioWith } from '../../support/scenarios.ts';

type AlarmStates = { at: string; state: string; value?: number }[];

/**
 * The polling path: no alarm event reaches the alarm function (world.alarmEvents "lost"), so only the
 * checks, reading state and history, notice the alarm. The event path is tested in examples.test.ts.
 */
function withAlarm(states: AlarmStates, extra: (s: Record<string, unknown>) => void = () => {}) {
  return scenarioWith((s) => {
    const alarm = (s.world as unknown as { alarms: { name: string; states: AlarmStates }[] }).alarms.find(
      (a) => a.name === 'orders-5xx',
    );
    alarm!.states = states;
    Object.assign(s.world as object, { alarmEvents: 'lost' });
    extra(s as unknown as Record<string, unknown>);
  });
}

const checks = (report: Awaited<ReturnType<typeof rehearse>>) =>
  report.timeline.filter((e) => e.event === 'analysis.completed').map((e) => e.detail.passed);

describe('alarm history between checks, through the real state machine', () => {
  it('fails the check after an alarm that fired and recovered since the last one', async () => {
    const report = await rehearse(
      withAlarm([
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '6m', state: 'ALARM', value: 4.7 },
        { at: '7m', state: 'OK', value: 0.2 },
      ]),
    );
    expect(checks(report)).toEqual([true, false]);
    expect(report.outcome).toBe('rolled_back');
  });

  it('counts one ALARM episode once, even when the next check reads it again from history', async () => {
    // The check starting at 6m00s sees ALARM (entered at that instant); the alarm recovers at 6m30s.
    // The next check reads the history since 6m00s, which holds the same episode: it must not count again.
    const report = await rehearse(
      withAlarm(
        [
          { at: '0s', state: 'OK', value: 0.2 },
          { at: '360s', state: 'ALARM', value: 4.7 },
          { at: '390s', state: 'OK', value: 0.3 },
        ],
        (s) => {
          Object.assign(s.world as object, { callLatency: '10000ms' });
          Object.assign(s.profile as object, { analysis: { alarms: ['orders-5xx'], failureThreshold: 2 } });
        },
      ),
    );
    expect(checks(report)).toEqual([false, true, true]);
    expect(report.outcome).toBe('promoted');
  });

  it('reads no history for alarms that did not change state, new datapoints or not', async () => {
    const report = await rehearse(
      withAlarm([
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '4m', state: 'OK', value: 0.4 },
        { at: '9m', state: 'OK', value: 0.1 },
      ]),
    );
    expect(report.calls.filter((c) => c.operation === 'DescribeAlarmHistory')).toEqual([]);
    expect(report.outcome).toBe('promoted');
  });
});
