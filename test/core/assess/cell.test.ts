import { describe, expect, it } from 'vitest';
import { type EventAt, exposureOf, isFreeze } from '#core/assess/cell.ts';

const entry = (at: number, event: string, weights: Record<string, number>, detail = {}): EventAt => ({
  at,
  event,
  weights,
  detail,
});

// Caught at 420 s with 25% on v2: frozen, then stopped, and the guard put the snapshot back.
const frozen: EventAt[] = [
  entry(0.5, 'release.planned', { v1: 100 }),
  entry(1, 'traffic.shifted', { v1: 90, v2: 10 }),
  entry(301, 'traffic.shifted', { v1: 75, v2: 25 }),
  entry(420, 'release.held', { v1: 75, v2: 25 }, { why: 'frozen', reason: 'orders-5xx is in ALARM' }),
  entry(421, 'operator.stop-execution', { v1: 75, v2: 25 }),
  entry(422, 'guard.restored', { v1: 100 }),
];

describe('exposureOf', () => {
  it('ends a frozen release at its freeze: no time to rollback, requests and steps counted until then', () => {
    expect(exposureOf(frozen, 'v2', 200, 100)).toEqual({
      secondsToRollback: null,
      badRequests: 10 * 101 + 25 * 119,
      stepReached: 2,
      frozenAt: 420,
    });
  });

  it('counts a release that was not frozen until the new version had no traffic', () => {
    const rolledBack = frozen.filter((e) => !isFreeze(e));
    expect(exposureOf(rolledBack, 'v2', 200, 100)).toEqual({
      secondsToRollback: 222,
      badRequests: 10 * 101 + 25 * 121,
      stepReached: 2,
      frozenAt: null,
    });
  });

  it('knows a freeze from the other holds: a pause or an approval is not one', () => {
    expect(isFreeze({ event: 'release.held', detail: { why: 'frozen' } })).toBe(true);
    expect(isFreeze({ event: 'release.held', detail: { why: 'paused' } })).toBe(false);
    expect(isFreeze({ event: 'release.held', detail: { why: 'approval' } })).toBe(false);
    expect(isFreeze({ event: 'release.resumed', detail: { after: 'frozen' } })).toBe(false);
  });
});
