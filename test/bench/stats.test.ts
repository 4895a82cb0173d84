import { describe, expect, it } from 'vitest';
import { linearFit, median } from '../../bench/stats.ts';

describe('linearFit', () => {
  it('finds the line through points on a line, with r² 1', () => {
    const fit = linearFit([1, 5, 10, 25, 50].map((x) => ({ x, y: 3 * x + 20 })));
    expect(fit.slope).toBeCloseTo(3);
    expect(fit.intercept).toBeCloseTo(20);
    expect(fit.r2).toBeCloseTo(1);
  });

  it('gives a low r² to points that grow faster than a line', () => {
    expect(linearFit([1, 5, 10, 25, 50].map((x) => ({ x, y: 2 ** (x / 5) }))).r2).toBeLessThan(0.9);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
