/**
 * The degradations `stepshift assess` rehearses a profile against: the new version's error rate
 * multiplied, or its latency raised, from one of three moments of the release. Each is applied to
 * every signal of its kind the profile watches (a metric check or a metric alarm), on top of the same
 * seeded noise, so a bigger degradation differs from a smaller one only by its size.
 */

export type SignalKind = 'error-rate' | 'latency';

export interface Degradation {
  readonly kind: SignalKind;
  /** "×5", "+50%": as a person reads it. */
  readonly label: string;
  /** The factor the new version's values are multiplied by while it is bad. */
  readonly factor: number;
}

export const DEGRADATIONS: readonly Degradation[] = [
  { kind: 'error-rate', label: '×2', factor: 2 },
  { kind: 'error-rate', label: '×5', factor: 5 },
  { kind: 'error-rate', label: '×10', factor: 10 },
  { kind: 'latency', label: '+20%', factor: 1.2 },
  { kind: 'latency', label: '+50%', factor: 1.5 },
  { kind: 'latency', label: '+100%', factor: 2 },
];

/** When the new version turns bad: as it first gets traffic, half-way through its first step, or as the last step starts. */
export const ONSETS = ['start', 'mid-step', 'last-step'] as const;
export type Onset = (typeof ONSETS)[number];

/** The onset's time, from the times a healthy release shifted traffic (its steps' starts). */
export function onsetSeconds(onset: Onset, shifts: readonly number[]): number {
  const first = shifts[0] ?? 0;
  if (onset === 'start') return first;
  if (onset === 'mid-step') return first + ((shifts[1] ?? first) - first) / 2;
  return shifts[shifts.length - 1] ?? first;
}

/**
 * Which kind of signal a check or an alarm is, by its unit and name: milliseconds, "latency",
 * "duration", "p99" are latency; "error", "5xx", "fault", "fail" an error rate; anything else is
 * left as the scenario scripts it.
 */
export function kindOf(name: string, unit?: string): SignalKind | undefined {
  if (unit === 'ms' || unit === 's' || /latency|duration|p\d\d|response.?time/i.test(name)) return 'latency';
  if (/error|5xx|4xx|fault|fail/i.test(name)) return 'error-rate';
  return undefined;
}

/**
 * The factor a minute's datapoint carries when the new version is bad from `onset`: the degraded
 * share of the minute [start, start + 60) gets the degradation's factor, the rest 1.
 */
export function factorOver(start: number, onset: number, factor: number, period = 60): number {
  const bad = Math.min(1, Math.max(0, (start + period - onset) / period));
  return 1 + (factor - 1) * bad;
}
