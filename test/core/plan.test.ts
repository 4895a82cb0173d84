import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { HISTORY_EVENT_LIMIT, HISTORY_EVENT_RESERVE, planRelease } from '#core/plan.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

import { ordersProfile } from '../support/profiles.ts';

describe('planRelease', () => {
  it('plans a canary: steps, times, transitions and price', () => {
    const plan = planRelease(parseProfile(ordersProfile(), routerKinds));
    expect(plan.steps.map((s) => [s.weight, s.bakeSeconds, s.startsAtSeconds])).toEqual([
      [10, 300, 0],
      [25, 300, 300],
      [50, 300, 600],
    ]);
    expect(plan.totalSeconds).toBe(900);
    // Prepare + 3 x Shift + 3 x (Bake, Analyze, Choice) + Promote + Finish + Succeed
    expect(plan.stateTransitions).toBe(1 + 3 + 9 + 3);
    expect(plan.historyEvents).toBe(2 + 5 + 15 + 3 * 13 + 10 + 2);
    expect(plan.priceUsd).toBeCloseTo(16 * 0.000025, 9);
  });

  it('splits a step into checks when analysis.interval is shorter', () => {
    const plan = planRelease(
      parseProfile(ordersProfile({ analysis: { alarms: ['orders-5xx'], interval: '2m' } }), routerKinds),
    );
    expect(plan.steps[0]?.checkSeconds).toEqual([120, 120, 60]);
  });

  it('plans all-at-once as one step at 100', () => {
    const plan = planRelease(
      parseProfile(ordersProfile({ strategy: { type: 'all-at-once', bake: '10m' } }), routerKinds),
    );
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ weight: 100, bakeSeconds: 600 });
  });

  it('refuses a plan above the history event limit, saying what to change', () => {
    const profile = parseProfile(
      ordersProfile({
        strategy: { type: 'canary', steps: [10, 20, 30, 40, 50], interval: '24h' },
        analysis: { alarms: ['orders-5xx'], interval: '30s' },
      }),
      routerKinds,
    );
    expect(() => planRelease(profile)).toThrow(InvalidRequestError);
    expect(() => planRelease(profile)).toThrow(
      /above Step Functions' limit of 25000; use fewer steps or a longer analysis.interval/,
    );
  });

  it('keeps every accepted plan within the limit and its checks summing to the bake (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
        (weights, interval, every) => {
          const steps = [...weights].sort((a, b) => a - b);
          const profile = parseProfile(
            ordersProfile({
              strategy: { type: 'canary', steps, interval: `${interval}s` },
              analysis: { alarms: ['orders-5xx'], ...(every ? { interval: `${every}s` } : {}) },
            }),
            routerKinds,
          );
          let plan: ReturnType<typeof planRelease> | undefined;
          try {
            plan = planRelease(profile);
          } catch (error) {
            // A refusal is only ever for the history budget, and only when the budget is really exceeded.
            const needed = /the plan needs (\d+) execution history events/.exec((error as Error).message);
            expect(needed, (error as Error).message).not.toBeNull();
            expect(Number(needed?.[1]) + HISTORY_EVENT_RESERVE).toBeGreaterThan(HISTORY_EVENT_LIMIT);
            return;
          }
          expect(plan.historyEvents + HISTORY_EVENT_RESERVE).toBeLessThanOrEqual(HISTORY_EVENT_LIMIT);
          for (const step of plan.steps) {
            expect(step.checkSeconds.reduce((a, b) => a + b, 0)).toBe(step.bakeSeconds);
            expect(Math.min(...step.checkSeconds)).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
