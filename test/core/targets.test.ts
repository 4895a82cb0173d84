import { describe, expect, it } from 'vitest';
import { findStable, promotedWeights, sameWeights, weightsForStep } from '#core/targets.ts';

const cast = { stable: 'orders-v1', canary: 'orders-v2' };

describe('weights', () => {
  it('adds the canary with the stable port and keeps other targets', () => {
    const snapshot = [
      { name: 'orders-v0', weight: 0 },
      { name: 'orders-v1', weight: 100, port: 8080 },
    ];
    expect(weightsForStep(snapshot, cast, 25)).toEqual([
      { name: 'orders-v0', weight: 0 },
      { name: 'orders-v1', weight: 75, port: 8080 },
      { name: 'orders-v2', weight: 25, port: 8080 },
    ]);
  });

  it('reuses an existing zero-weight canary entry', () => {
    const snapshot = [
      { name: 'orders-v1', weight: 100 },
      { name: 'orders-v2', weight: 0, port: 9090 },
    ];
    expect(weightsForStep(snapshot, cast, 10)).toEqual([
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10, port: 9090 },
    ]);
  });

  it('promotes: canary 100, stable removed', () => {
    expect(promotedWeights([{ name: 'orders-v1', weight: 100 }], cast)).toEqual([
      { name: 'orders-v2', weight: 100 },
    ]);
  });

  it('compares regardless of order, but not of port', () => {
    const a = [
      { name: 'x', weight: 10 },
      { name: 'y', weight: 90 },
    ];
    expect(sameWeights(a, [...a].reverse())).toBe(true);
    expect(sameWeights(a, [{ name: 'x', weight: 10, port: 1 }, a[1]!])).toBe(false);
  });
});

describe('findStable', () => {
  it('finds the one live target', () => {
    expect(
      findStable([
        { name: 'a', weight: 0 },
        { name: 'b', weight: 100 },
      ]),
    ).toEqual({ stable: { name: 'b', weight: 100 } });
  });

  it('refuses a split route, naming both sides', () => {
    expect(
      findStable([
        { name: 'a', weight: 90 },
        { name: 'b', weight: 10 },
      ]),
    ).toEqual({
      problem:
        'the route is split between a (90) and b (10); finish or roll back that release first so one version holds all traffic',
    });
  });

  it('refuses a route with no live target', () => {
    expect(findStable([{ name: 'a', weight: 0 }])).toHaveProperty('problem');
  });
});
