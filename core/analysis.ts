import type { AlarmReading } from './ports.ts';
import type { Analysis } from './profile.ts';

/** One health signal's reading in one check, with the verdict and the words to show an operator. */
export interface Signal {
  readonly name: string;
  readonly kind: 'alarm';
  readonly value: string;
  readonly verdict: 'pass' | 'fail' | 'ignored';
  readonly detail: string;
}

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

/**
 * Judges the profile's alarms: ALARM fails, OK passes, INSUFFICIENT_DATA follows the profile's policy,
 * and an alarm that has disappeared fails (a deleted alarm must not read as healthy).
 */
export function judgeAlarms(analysis: Analysis, readings: readonly AlarmReading[]): Signal[] {
  return analysis.alarms.map((name): Signal => {
    const reading = readings.find((r) => r.name === name);
    const signal = { name, kind: 'alarm' as const };
    if (!reading)
      return { ...signal, value: 'MISSING', verdict: 'fail', detail: 'the alarm no longer exists' };
    switch (reading.state) {
      case 'OK':
        return { ...signal, value: 'OK', verdict: 'pass', detail: evidence(reading) };
      case 'ALARM':
        return { ...signal, value: 'ALARM', verdict: 'fail', detail: evidence(reading) };
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

/** The sentence an operator reads when failed signals halt a release. */
export function haltReason(
  failed: readonly Signal[],
  step: number,
  weight: number,
  failedChecks: number,
): string {
  const what = failed.map((s) => `${s.name} is ${s.value} (${s.detail})`).join('; ');
  return `${what}, at step ${step + 1} with ${weight}% on the new version; ${failedChecks} failed check${failedChecks === 1 ? '' : 's'} reached the threshold`;
}
