import type { ComparisonVerdict } from '../shapes.ts';
import { mannWhitneyU } from './statistics/mann-whitney.ts';
import { median } from './statistics/median.ts';

/** Which way the metric must not move: latency and errors are 'increase-is-bad', throughput the other. */
export type Direction = 'increase-is-bad' | 'decrease-is-bad';

export interface Comparison {
  /** The canary's series over the analysis window, one value per period. */
  readonly canary: readonly number[];
  /** The stable version's series over the same window. */
  readonly baseline: readonly number[];
  readonly direction: Direction;
  /** How sure the test must be before a difference counts, above 0.5 and below 1: 0.95 is usual. */
  readonly confidence: number;
  /** How much worse the canary's median may be, relative to the baseline's: 0.1 allows 10%. */
  readonly tolerance: number;
  /** Fewer values than this on either side and nothing is judged. */
  readonly minSamples: number;
  /** What is compared, named in the reason: "p99 latency". */
  readonly metric?: string;
  /** The values' unit, written after them in the reason: "ms". */
  readonly unit?: string;
}

export interface Judgement {
  readonly verdict: ComparisonVerdict;
  /** 100 when nothing suggests the canary is worse (identical series score 100), lower as it looks worse; null when inconclusive. */
  readonly score: number | null;
  /** The one-sided Mann-Whitney p-value in the bad direction; null when inconclusive. */
  readonly pValue: number | null;
  /** Null only when that side has no values at all. */
  readonly canaryMedian: number | null;
  readonly baselineMedian: number | null;
  /**
   * (canary median - baseline median) / |baseline median|: 0.65 is 65% higher. 0 when both medians are
   * 0; null when only the baseline's is 0, where no ratio exists (any move away from 0 then counts as
   * beyond the tolerance in its direction).
   */
  readonly relativeChange: number | null;
  /** One sentence for the release's timeline. */
  readonly reason: string;
}

/**
 * Judges a canary's metric series against the baseline's the way automated canary analysis does
 * (Kayenta / Netflix ACA): a one-sided Mann-Whitney U test in the bad direction at the given confidence
 * (normal approximation), and the relative change of the medians against the tolerance.
 *
 * - inconclusive: either side has fewer than minSamples values;
 * - fail: the canary is significantly worse (p < 1 - confidence) and its median is worse by more than
 *   the tolerance;
 * - marginal: only one of the two holds;
 * - pass: neither (a canary that is better, significantly or not, passes).
 *
 * The score follows ACA's convention, 100 for a canary indistinguishable from the baseline and lower for
 * worse, and stays inside its verdict's band, so that scores order comparisons as verdicts do:
 *
 * - s = clamp((0.5 - p) / (0.5 - alpha), 0, 1), the strength of evidence that the canary is worse:
 *   0 when p >= 0.5 (no sign of it), 1 once p reaches alpha = 1 - confidence;
 * - e = clamp(worse / tolerance, 0, 1), the share of the tolerance used up, where worse is the
 *   relative change signed so that positive is the bad direction (e = 1 for any worsening when the
 *   tolerance is 0 or the baseline median is 0);
 * - pass: 100 - 40 (s + e) / 2, in [60, 100]; identical series score 100, and so does a canary that is
 *   only better;
 * - marginal: 60 - 30 x, in [30, 60], x being e when the change is significant but within the
 *   tolerance, and s when it exceeds the tolerance without being significant;
 * - fail: 30 (1 - clamp(worse / tolerance - 1, 0, 1)), in [0, 30]: 30 just past the tolerance,
 *   0 at twice the tolerance or more (and always 0 for a tolerance of 0 or a zero baseline).
 *
 * The bands meet only at their edges: a p-value of exactly alpha, a change of exactly the tolerance.
 *
 * @example
 * judgeComparison({
 *   canary: [412, 405, 430, 398, 415], baseline: [250, 245, 262, 255, 240],
 *   direction: 'increase-is-bad', confidence: 0.95, tolerance: 0.1, minSamples: 5,
 *   metric: 'p99 latency', unit: 'ms',
 * }).reason
 * // "canary p99 latency 412 ms vs baseline 250 ms (+65%, p=0.0061 < 0.05): fail, higher beyond the 10% tolerance"
 * @throws RangeError when a value is NaN or infinite, or a setting is out of its range.
 */
export function judgeComparison(comparison: Comparison): Judgement {
  const { canary, baseline, direction, confidence, tolerance, minSamples } = comparison;
  validate(comparison);
  const subject = comparison.metric ? `canary ${comparison.metric}` : 'canary';
  const canaryMedian = canary.length > 0 ? median(canary) : null;
  const baselineMedian = baseline.length > 0 ? median(baseline) : null;

  if (
    canaryMedian === null ||
    baselineMedian === null ||
    canary.length < minSamples ||
    baseline.length < minSamples
  ) {
    return {
      verdict: 'inconclusive',
      score: null,
      pValue: null,
      canaryMedian,
      baselineMedian,
      relativeChange: null,
      reason:
        `${subject}: ${canary.length} canary and ${baseline.length} baseline value(s), ` +
        `fewer than the ${minSamples} needed on each side: inconclusive`,
    };
  }

  // Rounded so that confidence 0.95 means p < 0.05, not p < 0.050000000000000044.
  const alpha = Number((1 - confidence).toPrecision(12));
  const increaseIsBad = direction === 'increase-is-bad';
  // Always the normal approximation (tie and continuity corrections), as Kayenta's Mann-Whitney does: with
  // the exact distribution for tie-free small samples, a canary getting worse could break a tie, switch
  // methods and come out with a larger p-value, a better verdict.
  const { pValue } = mannWhitneyU(canary, baseline, increaseIsBad ? 'greater' : 'less', { method: 'normal' });
  const relativeChange = relative(canaryMedian, baselineMedian);
  // Positive is the bad direction; a move away from a zero baseline is infinitely far, in its own direction.
  const worse =
    relativeChange === null
      ? Math.sign(canaryMedian) * (increaseIsBad ? 1 : -1) * Number.POSITIVE_INFINITY
      : increaseIsBad
        ? relativeChange
        : -relativeChange;

  const significant = pValue < alpha;
  const exceeds = worse > tolerance;
  const s = clamp01((0.5 - pValue) / (0.5 - alpha));
  const e = tolerance > 0 ? clamp01(worse / tolerance) : worse > 0 ? 1 : 0;

  let verdict: ComparisonVerdict;
  let score: number;
  if (significant && exceeds) {
    verdict = 'fail';
    score = 30 * (1 - (tolerance > 0 ? clamp01(worse / tolerance - 1) : 1));
  } else if (significant || exceeds) {
    verdict = 'marginal';
    score = 60 - 30 * (significant ? e : s);
  } else {
    verdict = 'pass';
    score = 100 - 40 * ((s + e) / 2);
  }

  const unit = comparison.unit ? ` ${comparison.unit}` : '';
  const worseWord = increaseIsBad ? 'higher' : 'lower';
  const allowed = `the ${formatNumber(tolerance * 100)}% tolerance`;
  const why =
    verdict === 'fail'
      ? `, ${worseWord} beyond ${allowed}`
      : verdict === 'marginal'
        ? significant
          ? `, significantly ${worseWord} but within ${allowed}`
          : `, ${worseWord} beyond ${allowed} but not significant`
        : '';
  const reason =
    `${subject} ${formatNumber(canaryMedian)}${unit} vs baseline ${formatNumber(baselineMedian)}${unit} ` +
    `(${formatChange(relativeChange, canaryMedian)}, p=${formatP(pValue, alpha)} ${significant ? '<' : '>='} ${alpha}): ` +
    `${verdict}${why}`;

  return { verdict, score, pValue, canaryMedian, baselineMedian, relativeChange, reason };
}

function validate(comparison: Comparison): void {
  const { direction, confidence, tolerance, minSamples } = comparison;
  for (const side of ['canary', 'baseline'] as const) {
    const values = comparison[side];
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) {
      throw new RangeError(
        `judgeComparison: ${side}[${at}] is ${values[at]}; every value must be a finite number (drop missing periods instead)`,
      );
    }
  }
  if (direction !== 'increase-is-bad' && direction !== 'decrease-is-bad') {
    throw new RangeError(
      `judgeComparison: direction must be 'increase-is-bad' or 'decrease-is-bad', got ${direction}`,
    );
  }
  // At 0.5 or below, a coin toss would count as evidence.
  if (!(confidence > 0.5 && confidence < 1)) {
    throw new RangeError(
      `judgeComparison: confidence must be above 0.5 and below 1 (0.95 is usual), got ${confidence}`,
    );
  }
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new RangeError(
      `judgeComparison: tolerance must be a finite number >= 0 (0.1 allows 10%), got ${tolerance}`,
    );
  }
  if (!(Number.isInteger(minSamples) && minSamples >= 1)) {
    throw new RangeError(`judgeComparison: minSamples must be a whole number >= 1, got ${minSamples}`);
  }
}

function relative(canary: number, baseline: number): number | null {
  if (baseline === 0) return canary === 0 ? 0 : null;
  return (canary - baseline) / Math.abs(baseline);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** 412, 0.2346, 12346: four significant digits, whole numbers from 1000 up. */
function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(4)));
}

/** +65%, -4.2%, 0%; "up from 0" where the baseline's median is 0. */
function formatChange(relativeChange: number | null, canaryMedian: number): string {
  if (relativeChange === null) return canaryMedian > 0 ? 'up from 0' : 'down from 0';
  const percent = relativeChange * 100;
  const shown = Number(percent.toFixed(Math.abs(percent) >= 10 ? 0 : 1));
  if (shown === 0) return '0%';
  return `${shown > 0 ? '+' : ''}${formatNumber(shown)}%`;
}

/** Two significant digits, more where two would show the p-value on the wrong side of alpha. */
function formatP(p: number, alpha: number): string {
  for (let digits = 2; digits <= 8; digits++) {
    const shown = Number(p.toPrecision(digits));
    if (shown < alpha === p < alpha) return String(shown);
  }
  return String(p);
}
