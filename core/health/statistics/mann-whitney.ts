import { normalCdf, normalSf } from './normal.ts';

/**
 * The alternative hypothesis, about the first sample (the canary) against the second (the baseline):
 * 'greater' means the canary's values tend to be larger.
 */
export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U of the first sample: the pairs (canary, baseline) where the canary's value is larger, ties 1/2. */
  readonly u: number;
  /** The standardized statistic, with the tie and continuity corrections; only for the normal method. */
  readonly z?: number;
  readonly pValue: number;
  readonly method: 'exact' | 'normal';
}

export interface MannWhitneyOptions {
  /**
   * 'auto' (the default) takes the exact distribution when there are no ties and both samples have
   * fewer than EXACT_LIMIT values, the rule of R's wilcox.test, and the normal approximation otherwise.
   */
  readonly method?: 'auto' | 'exact' | 'normal';
  /** The continuity correction of the normal approximation (default true, as in R and SciPy). */
  readonly continuity?: boolean;
}

/** Samples this small (both of them) and free of ties get the exact distribution of U. */
export const EXACT_LIMIT = 50;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of two independent samples, as R's `wilcox.test`
 * and SciPy's `mannwhitneyu` compute it: U of the first sample; an exact p-value for small samples
 * without ties; otherwise the normal approximation with the tie correction of the variance and a
 * continuity correction of 1/2 towards the mean.
 *
 * @example
 * // SciPy's documentation example: U = 17, exact two-sided p = 0.1111111111111111
 * mannWhitneyU([19, 22, 16, 29, 24], [20, 11, 17, 12], 'two-sided')
 * // { u: 17, pValue: 0.1111111111111111, method: 'exact' }
 * @throws RangeError when a sample is empty or holds NaN, or 'exact' is asked for where it cannot be had.
 */
export function mannWhitneyU(
  canary: readonly number[],
  baseline: readonly number[],
  alternative: Alternative,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  check(canary, 'canary');
  check(baseline, 'baseline');
  const m = canary.length;
  const n = baseline.length;
  const { u, tieTerm } = rankSum(canary, baseline);
  const small = m < EXACT_LIMIT && n < EXACT_LIMIT;
  const method = options.method ?? 'auto';
  if (method === 'exact' && (tieTerm > 0 || !small)) {
    throw new RangeError(
      `mannWhitneyU: the exact distribution needs samples without ties and both below ${EXACT_LIMIT} values`,
    );
  }
  if (method === 'exact' || (method === 'auto' && tieTerm === 0 && small)) {
    return { u, pValue: exactPValue(u, m, n, alternative), method: 'exact' };
  }
  return { u, ...normalPValue(u, m, n, tieTerm, alternative, options.continuity ?? true), method: 'normal' };
}

function check(sample: readonly number[], name: string): void {
  if (sample.length === 0) throw new RangeError(`mannWhitneyU: the ${name} sample is empty`);
  const at = sample.findIndex((v) => Number.isNaN(v));
  if (at >= 0) throw new RangeError(`mannWhitneyU: ${name}[${at}] is NaN, which has no rank`);
}

/** U of the first sample from mid-ranks, and sum(t^3 - t) over the groups of t tied values. */
function rankSum(first: readonly number[], second: readonly number[]): { u: number; tieTerm: number } {
  const all = [
    ...first.map((value) => ({ value, first: true })),
    ...second.map((value) => ({ value, first: false })),
  ];
  all.sort((a, b) => a.value - b.value);
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < all.length; ) {
    let end = start + 1;
    while (end < all.length && all[end]!.value === all[start]!.value) end++;
    const t = end - start;
    // Ranks start + 1 .. end share their mean.
    const midRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (all[i]!.first) rankSumFirst += midRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  const m = first.length;
  return { u: rankSumFirst - (m * (m + 1)) / 2, tieTerm };
}

/**
 * P(U = k) for k = 0..m*n under the null hypothesis. Arranging m first-sample and n second-sample
 * values in a random order, the last one is from the first sample with probability m/(m+n), and then
 * it exceeds all n values of the second: P[m,n](k) = m/(m+n) P[m-1,n](k-n) + n/(m+n) P[m,n-1](k).
 * Working in probabilities, with only additions of positive terms, keeps every digit.
 */
function exactDistribution(m: number, n: number): Float64Array {
  // column[i] holds P[i, j] for the current j (values of the second sample placed so far).
  let column: Float64Array[] = Array.from({ length: m + 1 }, () => Float64Array.of(1));
  for (let j = 1; j <= n; j++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let i = 1; i <= m; i++) {
      const pmf = new Float64Array(i * j + 1);
      const withFirstLast = next[i - 1]!; // P[i-1, j], shifted by j
      const withSecondLast = column[i]!; // P[i, j-1]
      const a = i / (i + j);
      const b = j / (i + j);
      for (let k = 0; k < withSecondLast.length; k++) pmf[k] = b * withSecondLast[k]!;
      for (let k = 0; k < withFirstLast.length; k++) pmf[k + j] = pmf[k + j]! + a * withFirstLast[k]!;
      next.push(pmf);
    }
    column = next;
  }
  return column[m]!;
}

// A release compares series of the same few lengths again and again; a 49 x 49 table takes ~20 ms.
const distributions = new Map<string, Float64Array>();
const CACHED_DISTRIBUTIONS = 64;

function cachedDistribution(m: number, n: number): Float64Array {
  // U has the same distribution for sizes (m, n) and (n, m).
  const key = m <= n ? `${m}x${n}` : `${n}x${m}`;
  let pmf = distributions.get(key);
  if (!pmf) {
    pmf = exactDistribution(Math.min(m, n), Math.max(m, n));
    if (distributions.size >= CACHED_DISTRIBUTIONS) distributions.delete(distributions.keys().next().value!);
    distributions.set(key, pmf);
  }
  return pmf;
}

function exactPValue(u: number, m: number, n: number, alternative: Alternative): number {
  const pmf = cachedDistribution(m, n);
  // U is symmetric about m*n/2, so P(U >= u) = P(U <= m*n - u): always sum from the small end.
  const atMost = (k: number): number => {
    let sum = 0;
    for (let v = 0; v <= k; v++) sum += pmf[v]!;
    return Math.min(1, sum);
  };
  const lower = atMost(u);
  const upper = atMost(m * n - u);
  if (alternative === 'greater') return upper;
  if (alternative === 'less') return lower;
  return Math.min(1, 2 * Math.min(lower, upper));
}

function normalPValue(
  u: number,
  m: number,
  n: number,
  tieTerm: number,
  alternative: Alternative,
  continuity: boolean,
): { z: number; pValue: number } {
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  // Every value equal: nothing tells the samples apart.
  if (!(variance > 0)) return { z: 0, pValue: 1 };
  const distance = u - (m * n) / 2;
  // The correction moves U half a step towards the mean, as the discrete U has mass at U itself.
  const correction = !continuity
    ? 0
    : alternative === 'greater'
      ? 0.5
      : alternative === 'less'
        ? -0.5
        : Math.sign(distance) * 0.5;
  const z = (distance - correction) / Math.sqrt(variance);
  if (alternative === 'greater') return { z, pValue: normalSf(z) };
  if (alternative === 'less') return { z, pValue: normalCdf(z) };
  return { z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
