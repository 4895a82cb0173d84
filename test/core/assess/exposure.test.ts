import { describe, expect, it } from 'vitest';
import { firstServedAt, servedBetween, type WeightsAt, withdrawnAt } from '#core/assess/exposure.ts';

const timeline: WeightsAt[] = [
  { at: 0.5, weights: { v1: 100 } },
  { at: 1, weights: { v1: 90, v2: 10 } },
  { at: 61, weights: { v1: 75, v2: 25 } },
  { at: 91, weights: { v1: 100 } },
];

describe('servedBetween', () => {
  it("integrates the target's share of the rate over the window, each weight holding until the next entry", () => {
    expect(servedBetween(timeline, 'v2', 100, 0, Number.POSITIVE_INFINITY)).toBeCloseTo(10 * 60 + 25 * 30);
    expect(servedBetween(timeline, 'v2', 100, 31, 71)).toBeCloseTo(10 * 30 + 25 * 10);
    expect(servedBetween(timeline, 'v1', 10, 0, 1)).toBeCloseTo(5);
  });
});

describe('firstServedAt and withdrawnAt', () => {
  it('find when the target first has traffic, and when it loses it again', () => {
    expect(firstServedAt(timeline, 'v2')).toBe(1);
    expect(withdrawnAt(timeline, 'v2', 1)).toBe(91);
    expect(withdrawnAt(timeline, 'v2', 92)).toBeUndefined();
    expect(firstServedAt(timeline, 'v3')).toBeUndefined();
  });
});
