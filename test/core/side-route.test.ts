import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { planRelease } from '#core/plan.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { finishRelease, promoteRelease } from '#core/release/promote.ts';
import { rollBack } from '#core/release/rollback.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import type { ReleaseState } from '#core/release/state.ts';
import type { SideRoute } from '#core/shapes.ts';
import { routerKinds } from '#routers/registry.ts';

import { execution, type FakeLocks, FakeRouter, fakeDeps } from '../support/fake-ports.ts';
import { guardRoute } from '../support/guard.ts';
import { ordersProfile } from '../support/profiles.ts';

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };
const BLUE_GREEN = {
  type: 'blue-green' as const,
  testHeader: { name: 'x-stepshift-preview', value: 'true' },
  bake: '10m',
};
const AB = {
  type: 'ab' as const,
  match: { headers: [{ name: 'x-cohort', match: { exact: 'b' } }] },
  bake: '30m',
};

/** A router that keeps side routes by name, as App Mesh keeps routes on a virtual router. */
class SideRouter extends FakeRouter {
  readonly sides = new Map<string, SideRoute>();
  readonly opened: string[] = [];
  problem: string | undefined;

  async sideRouteProblem(): Promise<string | undefined> {
    return this.problem;
  }
  async openSideRoute(side: SideRoute, key: string): Promise<void> {
    this.opened.push(key);
    this.sides.set(side.name, side);
  }
  async closeSideRoute(name: string): Promise<boolean> {
    return this.sides.delete(name);
  }
}

async function prepared(
  strategy: unknown,
  router = new SideRouter([{ name: 'orders-v1', weight: 100, port: 8080 }]),
) {
  const ctx = fakeDeps(router, ordersProfile({ strategy: strategy as never }), [ok]);
  const state = await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ctx.deps);
  return { router, state, ...ctx };
}

describe('blue-green and ab profiles', () => {
  it('accept the shapes of the issue', () => {
    expect(parseProfile(ordersProfile({ strategy: BLUE_GREEN }), routerKinds).strategy).toEqual({
      ...BLUE_GREEN,
      bake: 600,
    });
    expect(parseProfile(ordersProfile({ strategy: AB }), routerKinds).strategy).toEqual({
      ...AB,
      bake: 1800,
    });
  });

  it.each([
    [
      { exact: 'b', prefix: 'a' },
      'has exact and prefix; give exactly one of exact, prefix, suffix, regex, range, such as {"exact": "b"}',
    ],
    [
      {},
      'has no match method; give exactly one of exact, prefix, suffix, regex, range, such as {"exact": "b"}',
    ],
    [{ range: { start: 5, end: 5 } }, 'ends at or before its start'],
    [{ regex: '(' }, 'is not a regular expression'],
    [
      { regex: '^b-(?!0)[0-9]+$' },
      'RE2 syntax, in linear time, which has no backreferences (\\1) and no lookaround',
    ],
    [{ glob: 'b*' }, 'glob'],
  ])('refuses the header match %j with a sentence', (match, words) => {
    const strategy = { ...AB, match: { headers: [{ name: 'x-cohort', match }] } };
    expect(() => parseProfile(ordersProfile({ strategy: strategy as never }), routerKinds)).toThrow(words);
  });

  it('accepts every App Mesh match method, and invert', () => {
    const headers = [
      { name: 'a', match: { exact: 'b' } },
      { name: 'b', match: { prefix: 'b' } },
      { name: 'c', match: { suffix: 'b' } },
      { name: 'd', match: { regex: '^b-[0-9]+$' } },
      { name: 'e', match: { range: { start: 1, end: 100 } }, invert: true },
    ];
    expect(() =>
      parseProfile(ordersProfile({ strategy: { ...AB, match: { headers } } }), routerKinds),
    ).not.toThrow();
  });

  it('refuses a blue-green strategy without a test header, naming the field', () => {
    const { testHeader: _, ...bare } = BLUE_GREEN;
    expect(() => parseProfile(ordersProfile({ strategy: bare as never }), routerKinds)).toThrow(
      'profile.strategy.testHeader',
    );
  });

  it('plan blue/green as a test step at 0 then production at 100, and A/B as one step at 0', () => {
    expect(
      planRelease(parseProfile(ordersProfile({ strategy: BLUE_GREEN }), routerKinds)).steps.map((s) => [
        s.weight,
        s.bakeSeconds,
      ]),
    ).toEqual([
      [0, 600],
      [100, 600],
    ]);
    expect(
      planRelease(parseProfile(ordersProfile({ strategy: AB }), routerKinds)).steps.map((s) => [
        s.weight,
        s.bakeSeconds,
      ]),
    ).toEqual([[0, 1800]]);
  });
});

describe('the side route through a release', () => {
  it('is refused at Prepare, with nothing taken, by a router that cannot have one', async () => {
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const ctx = fakeDeps(router, ordersProfile({ strategy: BLUE_GREEN }), [ok]);
    const refused = prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ctx.deps);
    await expect(refused).rejects.toThrow(InvalidRequestError);
    await expect(refused).rejects.toThrow(
      "profile.strategy: a blue-green release sends its first traffic through a route of stepshift's own beside appmesh:shop/orders-router/orders-route, and appmesh routers cannot have one yet",
    );
    expect((ctx.deps.locks as FakeLocks).held.size).toBe(0);
  });

  it("is refused at Prepare with the router's own reason (no room ahead of the route)", async () => {
    const router = new SideRouter([{ name: 'orders-v1', weight: 100 }]);
    router.problem = 'route X has priority 0';
    await expect(prepared(BLUE_GREEN, router)).rejects.toThrow('profile.strategy: route X has priority 0');
  });

  it('is named in the snapshot record before it exists, so the guard can find it', async () => {
    const { router, deps } = await prepared(BLUE_GREEN);
    expect(router.sides.size).toBe(0);
    expect((await deps.snapshots.get(execution.Id))?.sideRoute).toBe('stepshift-orders-test');
  });

  it('opens at the step at 0 without writing production, idempotently, and closes at Finish', async () => {
    const { router, state, deps, events } = await prepared(BLUE_GREEN);
    const tested = await shiftTraffic(state, deps);
    await shiftTraffic(state, deps);
    expect(router.writes).toEqual([]);
    expect(router.opened).toEqual([
      `${execution.Id}:side-route:stepshift-orders-test`,
      `${execution.Id}:side-route:stepshift-orders-test`,
    ]);
    expect(router.sides.get('stepshift-orders-test')).toEqual({
      name: 'stepshift-orders-test',
      headers: [{ name: 'x-stepshift-preview', match: { exact: 'true' } }],
      target: { name: 'orders-v2', weight: 100, port: 8080 },
    });
    const analysed = await analyzeHealth(tested, deps);
    expect(analysed.next).toBe('shift');
    const switched = await shiftTraffic(analysed, deps);
    expect(router.targets).toEqual([
      { name: 'orders-v1', weight: 0, port: 8080 },
      { name: 'orders-v2', weight: 100, port: 8080 },
    ]);
    const promoted = await promoteRelease(await analyzeHealth(switched, deps), deps);
    await finishRelease(promoted, deps);
    expect(router.sides.size).toBe(0);
    expect(events.filter((e) => e.type === 'side_route.closed')).toMatchObject([
      { route: 'stepshift-orders-test', removed: true },
    ]);
  });

  it('closes at Rollback after production is back, and a retried Rollback finds it gone', async () => {
    const { router, state, deps, events } = await prepared(AB);
    const tested = await shiftTraffic(state, deps);
    expect(router.sides.has('stepshift-orders-cohort')).toBe(true);
    const halted: ReleaseState = {
      ...tested,
      halt: { error: 'ReleaseRolledBack', reason: 'orders-5xx is ALARM' },
    };
    await rollBack(halted, deps);
    expect(router.sides.size).toBe(0);
    await rollBack(halted, deps);
    expect(
      events.filter((e) => e.type === 'side_route.closed').map((e) => 'removed' in e && e.removed),
    ).toEqual([true, false]);
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100, port: 8080 }]);
  });

  it('is removed by the guard after StopExecution, from the snapshot record alone', async () => {
    const { router, state, deps } = await prepared(BLUE_GREEN);
    await shiftTraffic(state, deps);
    expect(router.sides.size).toBe(1);
    const outcome = await guardRoute({ executionArn: execution.Id, status: 'ABORTED' }, deps);
    expect(outcome).toMatchObject({
      action: 'none',
      reason: 'the route is at its snapshot or fully promoted',
    });
    expect(router.sides.size).toBe(0);
    expect((deps.locks as FakeLocks).held.size).toBe(0);
  });

  it('keeps the route held when the guard cannot remove it, so Lambda retries', async () => {
    const { router, state, deps } = await prepared(BLUE_GREEN);
    await shiftTraffic(state, deps);
    router.closeSideRoute = async () => {
      throw new Error('AccessDeniedException');
    };
    await expect(guardRoute({ executionArn: execution.Id, status: 'ABORTED' }, deps)).rejects.toThrow(
      'AccessDenied',
    );
    expect((deps.locks as FakeLocks).held.size).toBe(1);
  });
});
