import { describe, expect, it } from 'vitest';
import { type AlarmRule, alarmStates } from '#core/assess/alarm-model.ts';

const rule = (m: number, n: number): AlarmRule => ({
  threshold: 1,
  comparison: 'GreaterThanThreshold',
  periodSeconds: 60,
  evaluationPeriods: n,
  datapointsToAlarm: m,
});
/** A metric that breaches from t=90 on. */
const bad = (_start: number, end: number) => (end > 90 ? 5 : 0);

describe('alarmStates', () => {
  it('goes into ALARM at the end of the first breaching period, periods aligned to the origin', () => {
    expect(alarmStates(rule(1, 1), bad, 600)).toEqual([
      { at: 0, state: 'OK' },
      { at: 120, state: 'ALARM' },
    ]);
    // Periods that end at 10, 70, 130, ...: the period [70, 130) holds the first breach.
    expect(alarmStates(rule(1, 1), bad, 600, -50)[1]).toEqual({ at: 130, state: 'ALARM' });
  });

  it('needs M breaching datapoints of the last N', () => {
    expect(alarmStates(rule(2, 3), bad, 600)[1]).toEqual({ at: 180, state: 'ALARM' });
    expect(alarmStates(rule(3, 3), bad, 600)[1]).toEqual({ at: 240, state: 'ALARM' });
  });

  it('goes back to OK when the breaches leave the window, and a period with no data does not breach', () => {
    const spike = (_s: number, end: number) => (end === 120 ? 5 : undefined);
    expect(alarmStates(rule(1, 2), spike, 600)).toEqual([
      { at: 0, state: 'OK' },
      { at: 120, state: 'ALARM' },
      { at: 240, state: 'OK' },
    ]);
  });
});
