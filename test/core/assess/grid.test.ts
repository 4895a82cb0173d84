import { describe, expect, it } from 'vitest';
import { DEGRADATIONS, factorOver, kindOf, onsetSeconds } from '#core/assess/grid.ts';
import { multipliers } from '#core/assess/noise.ts';

describe('the grid', () => {
  it('holds error rate ×2, ×5, ×10 and latency +20%, +50%, +100%', () => {
    expect(DEGRADATIONS.map((d) => `${d.kind} ${d.label} ${d.factor}`)).toEqual([
      'error-rate ×2 2',
      'error-rate ×5 5',
      'error-rate ×10 10',
      'latency +20% 1.2',
      'latency +50% 1.5',
      'latency +100% 2',
    ]);
  });

  it("starts at the first shift, half-way through the first step, or at the last step's shift", () => {
    const shifts = [1, 301, 601];
    expect(onsetSeconds('start', shifts)).toBe(1);
    expect(onsetSeconds('mid-step', shifts)).toBe(151);
    expect(onsetSeconds('last-step', shifts)).toBe(601);
  });

  it("gives a minute's datapoint the degradation in proportion to the part of it that is bad", () => {
    expect(factorOver(0, 60, 5)).toBe(1);
    expect(factorOver(0, 30, 5)).toBe(3);
    expect(factorOver(60, 30, 5)).toBe(5);
  });

  it('tells latency from error rates by unit and name, and leaves other signals alone', () => {
    expect(kindOf('p99 latency', 'ms')).toBe('latency');
    expect(kindOf('orders-duration')).toBe('latency');
    expect(kindOf('orders-5xx')).toBe('error-rate');
    expect(kindOf('error-rate')).toBe('error-rate');
    expect(kindOf('orders-health')).toBeUndefined();
  });
});

describe('noise', () => {
  it('is the same for a seed, differs between seeds, and centres on 1 with the spread asked for', () => {
    const a = multipliers(7, 4000, 0.1);
    expect(multipliers(7, 4000, 0.1)).toEqual(a);
    expect(multipliers(8, 4000, 0.1)).not.toEqual(a);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
  });
});
