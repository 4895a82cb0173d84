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

/**
 * Judges the profile's alarms: ALARM fails, OK passes, INSUFFICIENT_DATA follows the profile's policy,
 * and an alarm that has disappeared fails (a deleted alarm must not read as healthy).
 */
export function judgeAlarms(analysis: Analysis, readings: readonly AlarmReading[]): Signal[] {
  return analysis.alarms.map((name): Signal => {
    const reading = readings.find((r) => r.name === name);
    if (!reading) {
      return { name, kind: 'alarm', value: 'MISSING', verdict: 'fail', detail: 'the alarm no longer exists' };
    }
    const because = reading.reason ? `: ${reading.reason}` : '';
    switch (reading.state) {
      case 'OK':
        return {
          name,
          kind: 'alarm',
          value: 'OK',
          verdict: 'pass',
          detail: `${reading.type} alarm OK${because}`,
        };
      case 'ALARM':
        return {
          name,
          kind: 'alarm',
          value: 'ALARM',
          verdict: 'fail',
          detail: `${reading.type} alarm in ALARM${because}`,
        };
      default:
        // INSUFFICIENT_DATA: CloudWatch's only other state.
        return analysis.insufficientData === 'fail'
          ? {
              name,
              kind: 'alarm',
              value: 'INSUFFICIENT_DATA',
              verdict: 'fail',
              detail: `no data, and insufficientData is "fail"${because}`,
            }
          : {
              name,
              kind: 'alarm',
              value: 'INSUFFICIENT_DATA',
              verdict: 'ignored',
              detail: 'no data; ignored (insufficientData is "ignore")',
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
