import { formatDuration } from '../duration.ts';
import type { AlarmChange, AlarmReading } from '../ports.ts';

import type { Signal } from '../shapes.ts';

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

/**
 * What the alarm measured against what it tolerates, "4.7 against > 1", when CloudWatch says; else its
 * StateReason; else just the kind of alarm.
 */
function evidence(reading: AlarmReading): string {
  const m = reading.measurement;
  if (m?.value !== undefined) {
    return `${m.value}, alarm when ${OPERATORS[m.comparison] ?? m.comparison} ${m.threshold}`;
  }
  if (reading.reason) return reading.reason;
  return `${reading.type} alarm`;
}

/** What of a profile's analysis judging its alarms reads: which alarms, and what no data counts as. */
export interface AlarmPolicy {
  readonly alarms: readonly string[];
  readonly insufficientData: 'ignore' | 'fail';
}

export interface AlarmContext {
  /** State changes since the last check, for alarms that changed but are not in ALARM now. */
  readonly between?: ReadonlyMap<string, readonly AlarmChange[]>;
  /** The time of this check, to say how long ago something happened. */
  readonly now?: Date;
}

function ago(at: Date | undefined, now: Date | undefined): string {
  if (!at || !now) return '';
  return formatDuration(Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)));
}

/**
 * Judges the profile's alarms: ALARM fails, OK passes, INSUFFICIENT_DATA follows the profile's policy,
 * and an alarm that has disappeared fails (a deleted alarm must not read as healthy). An alarm that
 * went into ALARM after the last check and recovered before this one fails too: its history says so.
 */
export function judgeAlarms(
  analysis: AlarmPolicy,
  readings: readonly AlarmReading[],
  context: AlarmContext = {},
): Signal[] {
  return analysis.alarms.map((name): Signal => {
    const reading = readings.find((r) => r.name === name);
    const signal = { name, kind: 'alarm' as const };
    if (!reading)
      return { ...signal, value: 'MISSING', verdict: 'fail', detail: 'the alarm no longer exists' };
    const fired = context.between?.get(name)?.find((c) => c.state === 'ALARM');
    if (reading.state !== 'ALARM' && fired) {
      return {
        ...signal,
        value: reading.state,
        verdict: 'fail',
        detail: `ALARM ${ago(fired.at, context.now)} ago; ${reading.state} now`,
        betweenChecks: true,
      };
    }
    switch (reading.state) {
      case 'OK':
        return { ...signal, value: 'OK', verdict: 'pass', detail: evidence(reading) };
      case 'ALARM': {
        const since = ago(reading.changedAt, context.now);
        return {
          ...signal,
          value: 'ALARM',
          verdict: 'fail',
          detail: `${evidence(reading)}${since ? `; in ALARM for ${since}` : ''}`,
        };
      }
      default:
        // INSUFFICIENT_DATA, CloudWatch's only other state: the profile decides.
        return {
          ...signal,
          value: 'INSUFFICIENT_DATA',
          ...(analysis.insufficientData === 'fail'
            ? { verdict: 'fail', detail: 'no data, and insufficientData is "fail"' }
            : { verdict: 'ignored', detail: 'no data; ignored (insufficientData is "ignore")' }),
        };
    }
  });
}
