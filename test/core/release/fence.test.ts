import { describe, expect, it } from 'vitest';
import { guardLetGo, guardTake } from '#core/release/guard.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { rollBack } from '#core/release/rollback.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import type { SideRoute, Target } from '#core/shapes.ts';

import { execution, type FakeLocks, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

/**
 * A Lambda function goes on after StopExecution ended its execution. Once the guard has taken the
 * route over (raising the lock's fence), whatever such a task writes must not stay: it checks the fence
 * right before it writes (and does not write), and right after (and puts back what it wrote).
 */

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };
const stopped = { executionArn: execution.Id, status: 'ABORTED' };
const SNAPSHOT: Target[] = [{ name: 'orders-v1', weight: 100 }];
const FIRST_STEP: Target[] = [
  { name: 'orders-v1', weight: 90 },
  { name: 'orders-v2', weight: 10 },
];

/** A router that keeps side routes by name, as App Mesh keeps routes on a virtual router. */
class SideRouter extends FakeRouter {
  readonly sides = new Map<string, SideRoute>();
  /** Runs inside openSideRoute, before it creates the route: the guard taking over meanwhile. */
  beforeOpen: (() => Promise<void>) | undefined;
  async sideRouteProblem(): Promise<string | undefined> {
    return undefined;
  }
  async openSideRoute(side: SideRoute): Promise<void> {
    await this.beforeOpen?.();
    this.sides.set(side.name, side);
  }
  async closeSideRoute(name: string): Promise<boolean> {
    return this.sides.delete(name);
  }
}

/** A release prepared (the route held at fence 1), with its execution since stopped. */
async function preparedThenStopped(router: FakeRouter = new FakeRouter([...SNAPSHOT]), strategy?: unknown) {
  const ctx = fakeDeps(router, ordersProfile(strategy ? { strategy: strategy as never } : {}), [ok]);
  const state = await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ctx.deps);
  const take = () => guardTake(stopped, ctx.deps, { waitSeconds: 150 });
  return { router, state, take, ...ctx, locks: ctx.deps.locks as FakeLocks };
}

describe('a task still running after its execution was stopped', () => {
  it('Shift, after the guard took the route over, writes nothing and ends FencedOut', async () => {
    const { router, state, deps, take } = await preparedThenStopped();
    await take();

    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({
      name: 'FencedOut',
      message: expect.stringContaining('was not done'),
    });

    expect(router.writes).toEqual([]);
    expect(router.targets).toEqual(SNAPSHOT);
  });

  it('Shift whose write lands while the guard takes over puts the snapshot back, then ends FencedOut', async () => {
    const { router, state, deps, locks } = await preparedThenStopped();
    // The guard takes the route over between Shift's check and its write (as in the SDK's back-off);
    // the fake lock's fence rises at once.
    let taken = false;
    router.beforeWrite = () => {
      if (!taken) {
        taken = true;
        void locks.guard(state.lockKey ?? '', execution.Id, '1970-01-01T00:10:00.000Z');
      }
    };

    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({
      name: 'FencedOut',
      message: expect.stringContaining('the snapshot was put back'),
    });

    expect(router.writes.map((w) => w.targets)).toEqual([FIRST_STEP, SNAPSHOT]);
    expect(router.targets).toEqual(SNAPSHOT);
  });

  it('Promote, after the guard took the route over, does not promote a stopped release', async () => {
    const { router, state, deps, take } = await preparedThenStopped();
    const shifted = await shiftTraffic(state, deps);
    await take();
    const guardWrites = router.writes.length;

    await expect(promoteRelease(shifted, deps)).rejects.toMatchObject({ name: 'FencedOut' });

    expect(router.writes).toHaveLength(guardWrites);
    expect(router.targets).toEqual(SNAPSHOT);
  });

  it('Rollback of the stopped execution neither writes nor frees the route the guard holds', async () => {
    const { router, state, deps, take, locks } = await preparedThenStopped();
    const shifted = await shiftTraffic(state, deps);
    router.ignoreWrites = true;
    await expect(take()).rejects.toMatchObject({ name: 'WeightNotApplied' });
    router.ignoreWrites = false;
    const writes = router.writes.length;

    await expect(rollBack({ ...shifted, next: 'rollback' }, deps)).rejects.toMatchObject({
      name: 'FencedOut',
    });

    expect(router.writes).toHaveLength(writes);
    expect(locks.held.get(state.lockKey ?? '')).toMatchObject({ executionId: execution.Id, fence: 2 });
  });

  it('a side route opened while the guard takes over is removed again at once', async () => {
    const router = new SideRouter([{ name: 'orders-v1', weight: 100, port: 8080 }]);
    const blueGreen = { type: 'blue-green', testHeader: { name: 'x-preview', value: 'true' }, bake: '30m' };
    const { state, deps, take } = await preparedThenStopped(router, blueGreen);
    router.beforeOpen = async () => {
      await take();
    };

    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({
      name: 'FencedOut',
      message: expect.stringContaining('stepshift-orders-test was removed again'),
    });

    expect([...router.sides.keys()]).toEqual([]);
  });

  it('a side route is not opened at all once the guard took over', async () => {
    const router = new SideRouter([{ name: 'orders-v1', weight: 100, port: 8080 }]);
    const blueGreen = { type: 'blue-green', testHeader: { name: 'x-preview', value: 'true' }, bake: '30m' };
    const { state, deps, take } = await preparedThenStopped(router, blueGreen);
    await take();
    let opened = 0;
    router.beforeOpen = async () => {
      opened++;
    };

    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({ name: 'FencedOut' });

    expect(opened).toBe(0);
  });
});

describe("the guard's second step, after its wait", () => {
  it('puts the snapshot back again when a late write slipped in after the first step looked, then lets go', async () => {
    const { router, state, deps, take, locks, events } = await preparedThenStopped();
    const taken = await take();
    expect(taken.outcome).toEqual({
      action: 'none',
      reason: 'the route is at its snapshot or fully promoted',
    });
    // The route stays held, as the guard's, across the wait.
    expect(locks.held.get(state.lockKey ?? '')).toMatchObject({ fence: 2 });
    // A write no fence could stop: it landed, and its task died before it could put it back.
    router.edit([...FIRST_STEP]);
    events.length = 0;

    const outcome = await guardLetGo(taken.hold!, deps);

    expect(outcome).toEqual({ action: 'restored', targets: SNAPSHOT });
    expect(router.targets).toEqual(SNAPSHOT);
    expect(router.writes.at(-1)?.key).toBe(`${execution.Id}:guard:2:let-go`);
    expect(events.map((e) => e.type)).toEqual(['rollback.started', 'release.rolled_back']);
    expect(events[0]).toMatchObject({
      error: 'ExecutionStopped',
      reason: expect.stringContaining('a task of it still running afterwards left orders-v1 90%'),
    });
    expect(locks.held.size).toBe(0);
  });

  it('leaves the route to a later run of the guard that took it over since (a repeated event)', async () => {
    const { deps, take, locks, state } = await preparedThenStopped();
    const first = await take();
    const second = await take();

    await expect(guardLetGo(first.hold!, deps)).rejects.toMatchObject({ name: 'FencedOut' });
    expect(locks.held.get(state.lockKey ?? '')).toMatchObject({ fence: 3 });
    await guardLetGo(second.hold!, deps);
    expect(locks.held.size).toBe(0);
  });
});
