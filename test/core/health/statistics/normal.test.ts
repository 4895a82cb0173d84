import { describe, expect, it } from 'vitest';
import { normalCdf, normalSf } from '#core/health/statistics/normal.ts';

// Reference values: R's pnorm(), which evaluates the same Cody (1969) approximations, printed by
// R 4.2.2 with digits = 17; the first ones are also in every normal table (Abramowitz & Stegun,
// Handbook of Mathematical Functions, table 26.1).
const R_PNORM: readonly [number, number][] = [
  [0, 0.5],
  [1.96, 0.97500210485177963],
  [-1, 0.15865525393145705],
  [0.5, 0.69146246127401301],
  [2.5, 0.99379033467422384],
  [-3, 1.3498980316300946e-3],
  [-5, 2.8665157187919391e-7],
  [-6, 9.8658764503769809e-10],
  [-10, 7.6198530241605269e-24],
  [-20, 2.7536241186062337e-89],
];

describe('normalCdf and normalSf', () => {
  it.each(R_PNORM)('Φ(%d) = %d, in each of the three ranges of the approximation', (x, expected) => {
    // Act
    const lower = normalCdf(x);
    const upperOfMirror = normalSf(-x);

    // Assess: relative agreement to about 15 digits, also deep in the tail
    expect(Math.abs(lower - expected) / expected).toBeLessThan(1e-14);
    expect(Math.abs(upperOfMirror - expected) / expected).toBeLessThan(1e-14);
  });

  it('keeps the two tails complementary and ends them at 0 and 1', () => {
    // Act & Assess
    for (const x of [-7, -2.2, -0.3, 0, 0.66291, 1, 3.9, 5.657, 6]) {
      expect(normalCdf(x) + normalSf(x)).toBeCloseTo(1, 15);
    }
    expect(normalCdf(-60)).toBe(0);
    expect(normalSf(60)).toBe(0);
    expect(normalCdf(60)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalSf(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
