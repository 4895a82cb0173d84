import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Comparison, type Judgement, judgeComparison } from '#core/health/judge.ts';
import type { ComparisonVerdict } from '#core/shapes.ts';

const latency = (canary: number[], baseline: number[], overrides: Partial<Comparison> = {}): Comparison => ({
  canary,
  baseline,
  direction: 'increase-is-bad',
  confidence: 0.95,
  tolerance: 0.1,
  minSamples: 5,
  metric: 'p99 latency',
  unit: 'ms',
  ...overrides,
});

const RANK: Record<ComparisonVerdict, number> = { fail: 0, marginal: 1, pass: 2, inconclusive: 3 };

/** Each verdict's score band, so that scores order comparisons as verdicts do (bands meet at their edges). */
function expectScoreInBand(j: Judgement): void {
  if (j.verdict === 'inconclusive') {
    expect(j.score).toBeNull();
    return;
  }
  const score = j.score!;
  if (j.verdict === 'pass') expect(score >= 60 && score <= 100).toBe(true);
  if (j.verdict === 'marginal') expect(score >= 30 && score <= 60).toBe(true);
  if (j.verdict === 'fail') expect(score >= 0 && score <= 30).toBe(true);
}

describe('judgeComparison', () => {
  it('fails a canary that is significantly and intolerably slower, saying so in one sentence', () => {
    // Prepare
    const comparison = latency([412, 405, 430, 398, 415], [250, 245, 262, 255, 240]);

    // Act
    const j = judgeComparison(comparison);

    // Assess: complete separation of 5 and 5 values; the normal approximation, as R's
    // wilcox.test(canary, baseline, alternative = "greater", exact = FALSE) gives it
    expect(j).toEqual({
      verdict: 'fail',
      score: 0,
      pValue: expect.closeTo(0.0060928901776724055, 15),
      canaryMedian: 412,
      baselineMedian: 250,
      relativeChange: 0.648,
      reason:
        'canary p99 latency 412 ms vs baseline 250 ms (+65%, p=0.0061 < 0.05): fail, higher beyond the 10% tolerance',
    });
  });

  it('grades a fail by how far past the tolerance it is: 30 at the tolerance, 0 at twice it', () => {
    // Prepare: 15% slower against a 10% tolerance, no overlap
    const comparison = latency([115, 116, 114, 117, 113], [100, 101, 99, 102, 98]);

    // Act
    const j = judgeComparison(comparison);

    // Assess: 30 x (1 - (0.15 / 0.1 - 1))
    expect(j.verdict).toBe('fail');
    expect(j.score).toBeCloseTo(15, 10);
  });

  it('calls a significant slowdown within the tolerance marginal', () => {
    // Prepare: 5% slower, every time
    const comparison = latency([105, 106, 104, 107, 103, 105], [100, 101, 99, 102, 98, 100]);

    // Act
    const j = judgeComparison(comparison);

    // Assess: ties, so the normal approximation (R: W = 36, p-value = 0.002461); 60 - 30 x (0.05 / 0.1)
    expect(j.verdict).toBe('marginal');
    expect(j.pValue).toBeCloseTo(0.0024610178376615771, 15);
    expect(j.relativeChange).toBeCloseTo(0.05, 12);
    expect(j.score).toBeCloseTo(45, 10);
    expect(j.reason).toBe(
      'canary p99 latency 105 ms vs baseline 100 ms (+5%, p=0.0025 < 0.05): marginal, significantly higher but within the 10% tolerance',
    );
  });

  it('calls a large but not significant slowdown marginal', () => {
    // Prepare: medians 30% apart, but three values a side overlap too much to be sure
    const comparison = latency([150, 260, 350], [100, 200, 300], { minSamples: 3 });

    // Act
    const j = judgeComparison(comparison);

    // Assess: U = 6 of 9, p = 0.33126 (R, exact = FALSE); s = (0.5 - p) / 0.45, score 60 - 30 s
    const p = 0.33126029177002875;
    expect(j.verdict).toBe('marginal');
    expect(j.pValue).toBeCloseTo(p, 15);
    expect(j.score).toBeCloseTo(60 - 30 * ((0.5 - p) / 0.45), 10);
    expect(j.reason).toBe(
      'canary p99 latency 260 ms vs baseline 200 ms (+30%, p=0.33 >= 0.05): marginal, higher beyond the 10% tolerance but not significant',
    );
  });

  it('passes a canary that looks like the baseline, scoring it by how close it comes to marginal', () => {
    // Prepare: interleaved values, medians 1% apart
    const comparison = latency([101, 99, 103, 98, 102, 100], [100, 98, 102, 99, 101, 97]);

    // Act
    const j = judgeComparison(comparison);

    // Assess
    expect(j.verdict).toBe('pass');
    expect(j.reason).toMatch(/\(\+1%, p=0\.\d+ >= 0\.05\): pass$/);
    expectScoreInBand(j);
    expect(j.score!).toBeLessThan(100);
  });

  it('passes a canary that is only better, with the full score', () => {
    // Prepare: 40% faster
    const comparison = latency([60, 61, 59, 62, 58], [100, 101, 99, 102, 98]);

    // Act
    const j = judgeComparison(comparison);

    // Assess
    expect(j.verdict).toBe('pass');
    expect(j.score).toBe(100);
    expect(j.reason).toBe('canary p99 latency 60 ms vs baseline 100 ms (-40%, p=1 >= 0.05): pass');
  });

  it('judges decrease-is-bad metrics the other way round', () => {
    // Prepare: requests served per minute, 30% fewer on the canary
    const comparison = latency([70, 71, 69, 72, 68], [100, 101, 99, 102, 98], {
      direction: 'decrease-is-bad',
      metric: 'throughput',
      unit: 'req/min',
    });

    // Act
    const j = judgeComparison(comparison);

    // Assess
    expect(j.verdict).toBe('fail');
    expect(j.relativeChange).toBeCloseTo(-0.3, 12);
    expect(j.reason).toBe(
      'canary throughput 70 req/min vs baseline 100 req/min (-30%, p=0.0061 < 0.05): fail, lower beyond the 10% tolerance',
    );
  });

  it('is inconclusive with too few values on either side, and scores nothing', () => {
    // Prepare
    const comparison = latency([412, 405, 430], [250, 245, 262, 255, 240]);

    // Act
    const j = judgeComparison(comparison);

    // Assess
    expect(j).toEqual({
      verdict: 'inconclusive',
      score: null,
      pValue: null,
      canaryMedian: 412,
      baselineMedian: 250,
      relativeChange: null,
      reason:
        'canary p99 latency: 3 canary and 5 baseline value(s), fewer than the 5 needed on each side: inconclusive',
    });
  });

  it('is inconclusive, without medians, when a side has no values at all', () => {
    // Act
    const j = judgeComparison(latency([], [1, 2, 3, 4, 5]));

    // Assess
    expect(j.verdict).toBe('inconclusive');
    expect(j.canaryMedian).toBeNull();
    expect(j.baselineMedian).toBe(3);
  });

  it('fails errors appearing over a zero baseline: no ratio exists, any increase is beyond the tolerance', () => {
    // Prepare: 5xx per minute
    const comparison = latency([2, 3, 1, 4, 2, 3], [0, 0, 0, 0, 0, 0], {
      metric: '5xx count',
      unit: undefined,
    });

    // Act
    const j = judgeComparison(comparison);

    // Assess
    expect(j.verdict).toBe('fail');
    expect(j.relativeChange).toBeNull();
    expect(j.score).toBe(0);
    expect(j.reason).toMatch(/^canary 5xx count 2\.5 vs baseline 0 \(up from 0, p=0\.00\d+ < 0\.05\): fail/);
  });

  it('passes a zero canary over a zero baseline, and identical constant series, with the full score', () => {
    // Act
    const zeros = judgeComparison(latency([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]));
    const constant = judgeComparison(latency([7, 7, 7, 7, 7], [7, 7, 7, 7, 7, 7]));

    // Assess
    for (const j of [zeros, constant]) {
      expect(j.verdict).toBe('pass');
      expect(j.score).toBe(100);
      expect(j.pValue).toBe(1);
      expect(j.relativeChange).toBe(0);
    }
    expect(constant.reason).toBe('canary p99 latency 7 ms vs baseline 7 ms (0%, p=1 >= 0.05): pass');
  });

  it('fails any significant worsening when the tolerance is 0', () => {
    // Act
    const j = judgeComparison(latency([101, 102, 101, 103, 102], [100, 99, 100, 98, 100], { tolerance: 0 }));

    // Assess
    expect(j.verdict).toBe('fail');
    expect(j.score).toBe(0);
    expect(j.reason).toContain('beyond the 0% tolerance');
  });

  it('shows enough digits of p to keep it on its side of alpha', () => {
    // Prepare: p = 0.0060929, alpha just above it
    const comparison = latency([412, 405, 430, 398, 415], [250, 245, 262, 255, 240], { confidence: 0.9939 });

    // Act
    const j = judgeComparison(comparison);

    // Assess: "p=0.0061 < 0.0061" would read false; three digits show it
    expect(j.verdict).toBe('fail');
    expect(j.reason).toContain('(+65%, p=0.00609 < 0.0061)');
  });

  it('refuses NaN and infinite values, naming where they are', () => {
    // Act & Assess
    expect(() => judgeComparison(latency([1, 2, Number.NaN], [1, 2, 3]))).toThrow(
      'judgeComparison: canary[2] is NaN; every value must be a finite number (drop missing periods instead)',
    );
    expect(() => judgeComparison(latency([1, 2, 3], [Number.POSITIVE_INFINITY]))).toThrow(
      /baseline\[0\] is Infinity/,
    );
  });

  it('refuses settings out of range', () => {
    // Act & Assess
    expect(() => judgeComparison(latency([1], [1], { confidence: 95 }))).toThrow(
      /confidence must be above 0.5 and below 1 \(0.95 is usual\), got 95/,
    );
    expect(() => judgeComparison(latency([1], [1], { confidence: 0.5 }))).toThrow(/confidence/);
    expect(() => judgeComparison(latency([1], [1], { tolerance: -0.1 }))).toThrow(/tolerance must be/);
    expect(() => judgeComparison(latency([1], [1], { tolerance: Number.NaN }))).toThrow(/tolerance must be/);
    expect(() => judgeComparison(latency([1], [1], { minSamples: 0 }))).toThrow(/minSamples/);
    expect(() => judgeComparison(latency([1], [1], { minSamples: 2.5 }))).toThrow(/minSamples/);
    expect(() =>
      judgeComparison(latency([1], [1], { direction: 'up' as unknown as Comparison['direction'] })),
    ).toThrow(/direction must be/);
  });
});

describe('judgeComparison (properties)', () => {
  // Positive, latency-like series: whole numbers tie often, fractions rarely.
  const series = fc.oneof(
    fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 0, maxLength: 25 }),
    fc.array(fc.double({ min: 0.5, max: 1000, noNaN: true }), { minLength: 0, maxLength: 25 }),
  );
  // Zeros and negative values too, for the mirror image.
  const signedSeries = fc.oneof(
    series,
    fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 0, maxLength: 25 }),
  );
  const settings = fc.record({
    direction: fc.constantFrom('increase-is-bad' as const, 'decrease-is-bad' as const),
    confidence: fc.oneof(
      fc.constantFrom(0.8, 0.9, 0.95, 0.99),
      fc.double({ min: 0.51, max: 0.999, noNaN: true }),
    ),
    tolerance: fc.oneof(fc.constantFrom(0, 0.05, 0.1, 0.25, 1), fc.double({ min: 0, max: 2, noNaN: true })),
    minSamples: fc.integer({ min: 1, max: 6 }),
  });

  it('never fails a canary whose values are the baseline’s, in any order, and scores it 100', () => {
    fc.assert(
      fc.property(series, settings, fc.integer(), (baseline, s, seed) => {
        // Prepare: the same values, shuffled
        const canary = [...baseline].sort((a, b) => Math.sin(a * 7919 + seed) - Math.sin(b * 7919 + seed));

        // Act
        const j = judgeComparison({ canary, baseline, ...s });

        // Assess
        if (baseline.length < s.minSamples) {
          expect(j.verdict).toBe('inconclusive');
        } else {
          expect(j.verdict).toBe('pass');
          expect(j.score).toBe(100);
        }
      }),
    );
  });

  it('never improves the verdict or the score when the canary gets worse by a factor', () => {
    fc.assert(
      fc.property(
        series,
        series,
        settings,
        fc.double({ min: 1, max: 5, noNaN: true }),
        (canary, baseline, s, k) => {
          // Prepare: worse means larger for increase-is-bad, smaller for decrease-is-bad
          const worse = canary.map((v) => (s.direction === 'increase-is-bad' ? v * k : v / k));

          // Act
          const before = judgeComparison({ canary, baseline, ...s });
          const after = judgeComparison({ canary: worse, baseline, ...s });

          // Assess
          expect(RANK[after.verdict]).toBeLessThanOrEqual(RANK[before.verdict]);
          if (before.score !== null) expect(after.score!).toBeLessThanOrEqual(before.score + 1e-9);
        },
      ),
    );
  });

  it('judges negated values with the opposite direction the same way', () => {
    fc.assert(
      fc.property(signedSeries, signedSeries, settings, (canary, baseline, s) => {
        // Prepare
        const opposite = s.direction === 'increase-is-bad' ? 'decrease-is-bad' : 'increase-is-bad';
        const negate = (values: number[]) => values.map((v) => -v);

        // Act
        const j = judgeComparison({ canary, baseline, ...s });
        const mirrored = judgeComparison({
          canary: negate(canary),
          baseline: negate(baseline),
          ...s,
          direction: opposite,
        });

        // Assess
        expect(mirrored.verdict).toBe(j.verdict);
        expect(mirrored.score).toBe(j.score);
        expect(mirrored.pValue).toBe(j.pValue);
        if (j.relativeChange === null) expect(mirrored.relativeChange).toBeNull();
        else expect(mirrored.relativeChange).toBeCloseTo(-j.relativeChange, 12);
      }),
    );
  });

  it('keeps every score inside its verdict’s band', () => {
    fc.assert(
      fc.property(series, series, settings, (canary, baseline, s) => {
        // Act
        const j = judgeComparison({ canary, baseline, ...s });

        // Assess
        expectScoreInBand(j);
      }),
    );
  });
});
