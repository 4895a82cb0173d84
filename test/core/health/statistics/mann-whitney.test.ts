import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXACT_LIMIT, mannWhitneyU } from '#core/health/statistics/mann-whitney.ts';

// The published examples reproduced here, each with the source of its numbers:
//
// SciPy: the Examples section of scipy.stats.mannwhitneyu, after Shier (2004),
//   https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.mannwhitneyu.html
//   (the same text is the docstring of scipy/stats/_mannwhitneyu.py). SciPy prints full doubles.
// R: the Examples section of ?wilcox.test (stats package), with the output R prints for them (4
//   significant digits of the p-value):
//   https://stat.ethz.ch/R-manual/R-devel/library/stats/html/wilcox.test.html
//   on R's airquality data set, https://stat.ethz.ch/R-manual/R-devel/library/datasets/html/airquality.html
//   and, beyond those examples, the familiar wilcox.test(extra ~ group, data = sleep) on
//   https://stat.ethz.ch/R-manual/R-devel/library/datasets/html/sleep.html.
//   The 17-digit values beside them were printed by R 4.2.2 (print(p.value, digits = 17)) and agree
//   with the printed 4 digits; they pin the computation far below what R shows.

/** The p-value as R prints it in a test's summary: 4 significant digits. */
const asPrintedByR = (p: number): string => p.toPrecision(4);

describe('mannWhitneyU against SciPy documentation (ages at diagnosis, Shier 2004)', () => {
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];

  it('exact two-sided: U1 = 17, p = 0.1111111111111111', () => {
    // Act
    const result = mannWhitneyU(males, females, 'two-sided');

    // Assess: small samples without ties take the exact distribution, as SciPy's method="exact"
    expect(result.method).toBe('exact');
    expect(result.u).toBe(17);
    expect(result.pValue).toBeCloseTo(0.1111111111111111, 15);
    expect(result.z).toBeUndefined();
  });

  it('normal approximation with continuity correction: p = 0.11134688653314041', () => {
    // Act
    const result = mannWhitneyU(males, females, 'two-sided', { method: 'normal' });

    // Assess
    expect(result.method).toBe('normal');
    expect(result.u).toBe(17);
    expect(result.pValue).toBeCloseTo(0.11134688653314041, 15);
  });

  it('normal approximation without continuity correction: p = 0.0864107329737', () => {
    // Act
    const result = mannWhitneyU(males, females, 'two-sided', { method: 'normal', continuity: false });

    // Assess: SciPy prints 0.0864107329737 (13 digits)
    expect(result.pValue).toBeCloseTo(0.0864107329737, 13);
  });

  it('one-sided, females stochastically less than males: U = 3, p = 0.05555555555555555', () => {
    // Act
    const result = mannWhitneyU(females, males, 'less');

    // Assess
    expect(result.method).toBe('exact');
    expect(result.u).toBe(3);
    expect(result.pValue).toBeCloseTo(0.05555555555555555, 15);
  });
});

describe('mannWhitneyU against R ?wilcox.test', () => {
  // Hollander & Wolfe (1973), 69f: permeability constants of the human chorioamnion at term (x) and
  // between 12 and 26 weeks of gestational age (y).
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];

  it('wilcox.test(x, y, alternative = "g"): W = 35, p-value = 0.1272 (exact, one-sided)', () => {
    // Act
    const result = mannWhitneyU(x, y, 'greater');

    // Assess: R takes the exact distribution below 50 values a side without ties, and so do we
    expect(result.method).toBe('exact');
    expect(result.u).toBe(35);
    expect(asPrintedByR(result.pValue)).toBe('0.1272');
    expect(result.pValue).toBeCloseTo(0.1272061272061272, 14);
  });

  it('wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE): W = 35, p-value = 0.1103', () => {
    // Act
    const result = mannWhitneyU(x, y, 'greater', { method: 'normal', continuity: false });

    // Assess
    expect(result.u).toBe(35);
    expect(asPrintedByR(result.pValue)).toBe('0.1103');
    expect(result.pValue).toBeCloseTo(0.1103356809599234, 14);
  });

  it('wilcox.test(Ozone ~ Month, data = airquality, subset = Month %in% c(5, 8)): W = 127.5, p-value = 0.0001208 (ties)', () => {
    // Prepare: airquality$Ozone for May and August, NAs dropped as the formula interface does
    const may = [
      41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37,
    ];
    const august = [
      39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84,
      85,
    ];

    // Act
    const result = mannWhitneyU(may, august, 'two-sided');

    // Assess: ties, so the normal approximation with tie and continuity corrections
    expect(result.method).toBe('normal');
    expect(result.u).toBe(127.5);
    expect(asPrintedByR(result.pValue)).toBe('0.0001208');
    expect(result.pValue).toBeCloseTo(0.00012080783076877442, 17);
  });

  it('wilcox.test(extra ~ group, data = sleep): W = 25.5, p-value = 0.06933 (ties)', () => {
    // Prepare: R's sleep data set, extra hours of sleep under drug 1 and drug 2
    const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0, 2];
    const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    // Act
    const result = mannWhitneyU(drug1, drug2, 'two-sided');

    // Assess
    expect(result.method).toBe('normal');
    expect(result.u).toBe(25.5);
    expect(asPrintedByR(result.pValue)).toBe('0.06933');
    expect(result.pValue).toBeCloseTo(0.069327575433626581, 15);
  });
});

describe('mannWhitneyU', () => {
  it('gives complete separation of 3 and 4 values the smallest exact p: 2 / C(7, 3)', () => {
    // Act
    const result = mannWhitneyU([1.1, 2.2, 3.3], [4.4, 5.5, 6.6, 7.7], 'two-sided');

    // Assess
    expect(result.u).toBe(0);
    expect(result.pValue).toBeCloseTo(2 / 35, 15);
  });

  it('switches to the normal approximation at EXACT_LIMIT values a side, as R does', () => {
    // Prepare
    const below = Array.from({ length: EXACT_LIMIT - 1 }, (_, i) => i);
    const at = Array.from({ length: EXACT_LIMIT }, (_, i) => i);
    const other = [0.5, 10.5, 20.5];

    // Act
    const exact = mannWhitneyU(below, other, 'two-sided');
    const normal = mannWhitneyU(at, other, 'two-sided');

    // Assess
    expect(exact.method).toBe('exact');
    expect(normal.method).toBe('normal');
  });

  it('agrees with the normal approximation on larger samples without ties', () => {
    // Prepare: 40 even and 45 odd numbers, the odd ones shifted up a little
    const a = Array.from({ length: 40 }, (_, i) => 2 * i);
    const b = Array.from({ length: 45 }, (_, i) => 2 * i + 7);

    // Act
    const exact = mannWhitneyU(a, b, 'less');
    const normal = mannWhitneyU(a, b, 'less', { method: 'normal' });

    // Assess
    expect(exact.method).toBe('exact');
    expect(Math.abs(exact.pValue - normal.pValue)).toBeLessThan(0.002);
  });

  it('finds nothing when every value is the same', () => {
    // Act
    const result = mannWhitneyU([5, 5, 5], [5, 5, 5, 5], 'greater');

    // Assess
    expect(result).toEqual({ u: 6, z: 0, pValue: 1, method: 'normal' });
  });

  it('refuses empty samples, NaN, and an exact test it cannot do', () => {
    // Act & Assess
    expect(() => mannWhitneyU([], [1], 'two-sided')).toThrow(/canary sample is empty/);
    expect(() => mannWhitneyU([1, Number.NaN], [1], 'two-sided')).toThrow(/canary\[1\] is NaN/);
    expect(() => mannWhitneyU([1, 2], [2, 3], 'two-sided', { method: 'exact' })).toThrow(/without ties/);
  });

  it('answers the same question the same way from either side (property)', () => {
    // Small integers tie often (normal approximation); wide unique ones rarely do (exact distribution).
    const sample = fc.oneof(
      fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }),
      fc.uniqueArray(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 1, maxLength: 30 }),
    );
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        // Act
        const greater = mannWhitneyU(a, b, 'greater');
        const less = mannWhitneyU(a, b, 'less');
        const swapped = mannWhitneyU(b, a, 'less');
        const twoSided = mannWhitneyU(a, b, 'two-sided');

        // Assess: U1 + U2 = m n; "a greater" is "b less"; two-sided doubles the smaller tail
        expect(swapped.u).toBe(a.length * b.length - greater.u);
        expect(swapped.pValue).toBeCloseTo(greater.pValue, 12);
        expect(twoSided.pValue).toBeCloseTo(Math.min(1, 2 * Math.min(greater.pValue, less.pValue)), 12);
        for (const p of [greater.pValue, less.pValue, twoSided.pValue]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        // Both tails together cover everything, with P(U = u) counted twice.
        expect(greater.pValue + less.pValue).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
    );
  });
});
