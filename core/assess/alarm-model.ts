/**
 * A CloudWatch metric alarm's evaluation, modelled: at the end of each period the alarm looks at the
 * last `evaluationPeriods` datapoints and is in ALARM when at least `datapointsToAlarm` of them
 * breach the threshold, OK otherwise ("M out of N": the CloudWatch User Guide, "Alarm evaluation";
 * PutMetricAlarm's Period, EvaluationPeriods and DatapointsToAlarm). A period with no datapoint does
 * not breach (TreatMissingData "missing" keeps the state; here it counts as not breaching, which only
 * makes the alarm slower). Periods end on multiples of the period after `origin`, as CloudWatch
 * aligns a metric's periods to the clock rather than to the release.
 */

export type Comparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export interface AlarmRule {
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export function breaches(value: number, rule: Pick<AlarmRule, 'threshold' | 'comparison'>): boolean {
  switch (rule.comparison) {
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
}

/**
 * The alarm's state changes over [0, until]: `datapoint(start, end)` is the period's datapoint (or
 * undefined for none); the first state is OK at 0, then each change at the period end it happens at.
 */
export function alarmStates(
  rule: AlarmRule,
  datapoint: (start: number, end: number) => number | undefined,
  until: number,
  origin = 0,
): { at: number; state: 'OK' | 'ALARM' }[] {
  const states: { at: number; state: 'OK' | 'ALARM' }[] = [{ at: 0, state: 'OK' }];
  const recent: boolean[] = [];
  const first = origin + rule.periodSeconds * Math.ceil((0 - origin) / rule.periodSeconds + 1e-9);
  for (let end = first; end <= until; end += rule.periodSeconds) {
    const value = datapoint(end - rule.periodSeconds, end);
    recent.push(value !== undefined && breaches(value, rule));
    if (recent.length > rule.evaluationPeriods) recent.shift();
    const state = recent.filter(Boolean).length >= rule.datapointsToAlarm ? 'ALARM' : 'OK';
    if (state !== states[states.length - 1]?.state) states.push({ at: end, state });
  }
  return states;
}
