/** Small statistics for the benchmark's figures: medians of repeated timings, and a line's fit. */

export { median } from '#core/health/statistics/median.ts';

export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  /** The coefficient of determination: 1 when every point is on the line. */
  readonly r2: number;
}

/** Least squares fit of y = slope × x + intercept. */
export function linearFit(points: readonly { x: number; y: number }[]): LinearFit {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const syy = points.reduce((s, p) => s + (p.y - my) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/** Rounds to a number of decimals, for figures a person reads and a JSON document keeps. */
export const round = (value: number, decimals = 1): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
