import { describe, expect, it } from 'vitest';
import { guardRoute } from '#core/release/guard.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { makeGuardHandler } from '#functions/guard.ts';
import { execution, type FakeLocks, FakeRouter, fakeDeps } from '../support/fake-ports.ts';
import { ordersProfile } from '../support/profiles.ts';

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };
const stopped = { executionArn: execution.Id, status: 'ABORTED' };

/** A release that took its route and shifted its first step, then lost its execution. */
async function shiftedThenStopped() {
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  const ctx = fakeDeps(router, ordersProfile(), [ok]);
  const state = await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ctx.deps);
  const shifted = await shiftTraffic(state, ctx.deps);
  ctx.events.length = 0;
  return { router, state, shifted, ...ctx, locks: ctx.deps.locks as FakeLocks };
}

describe('the guard', () => {
  it('puts the snapshot back after StopExecution mid-release, says so, and frees the route', async () => {
    // Prepare
    const { router, deps, events, locks } = await shiftedThenStopped();

    // Act
    const outcome = await guardRoute(stopped, deps);

    // Assess
    expect(outcome).toEqual({ action: 'restored', targets: [{ name: 'orders-v1', weight: 100 }] });
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
    expect(router.writes.at(-1)?.key).toBe(`${execution.Id}:guard`);
    expect(events.map((e) => e.type)).toEqual(['rollback.started', 'release.rolled_back']);
    expect(events.at(-1)).toMatchObject({
      error: 'ExecutionStopped',
      reason:
        'the execution was stopped (StopExecution) with orders-v1 90% · orders-v2 10% on appmesh:shop/orders-router/orders-route; the guard put the snapshot back',
    });
    expect([...locks.held.keys()]).toEqual([]);
  });

  it('leaves a promoted route alone and frees the route', async () => {
    const { router, deps, shifted, locks } = await shiftedThenStopped();
    await promoteRelease(shifted, deps);
    const writes = router.writes.length;
    expect(await guardRoute({ ...stopped, status: 'TIMED_OUT' }, deps)).toMatchObject({ action: 'none' });
    expect(router.writes).toHaveLength(writes);
    expect(locks.held.size).toBe(0);
  });

  it("leaves weights this release never writes (a person's edit) and reports them", async () => {
    const { router, deps, events, locks } = await shiftedThenStopped();
    router.edit([
      { name: 'orders-v1', weight: 70 },
      { name: 'orders-v2', weight: 30 },
    ]);
    const outcome = await guardRoute(stopped, deps);
    expect(outcome.action).toBe('left-as-found');
    expect(router.targets).toEqual([
      { name: 'orders-v1', weight: 70 },
      { name: 'orders-v2', weight: 30 },
    ]);
    expect(events).toEqual([expect.objectContaining({ type: 'release.failed', error: 'RouteDrifted' })]);
    expect(locks.held.size).toBe(0);
  });

  it('does nothing to a route another release now holds', async () => {
    const { router, deps, state, locks } = await shiftedThenStopped();
    const lockKey = state.lockKey ?? '';
    locks.held.set(lockKey, { ...locks.held.get(lockKey)!, executionId: 'another', releaseId: 'r2' });
    const writes = router.writes.length;
    expect(await guardRoute(stopped, deps)).toEqual({
      action: 'none',
      reason: `${lockKey} is held by another release (r2)`,
    });
    expect(router.writes).toHaveLength(writes);
  });

  it('does nothing for an execution that never held a route', async () => {
    const { deps } = fakeDeps(new FakeRouter([{ name: 'orders-v1', weight: 100 }]), ordersProfile());
    expect(
      await guardRoute({ executionArn: 'arn:other', status: 'FAILED', error: 'InvalidRequest' }, deps),
    ).toEqual({ action: 'none', reason: 'the execution ended before it held a route' });
  });

  it('keeps the route locked and throws when the restore cannot be written, so Lambda retries', async () => {
    const { router, deps, locks } = await shiftedThenStopped();
    router.ignoreWrites = true;
    await expect(
      guardRoute({ ...stopped, status: 'FAILED', error: 'RollbackFailed' }, deps),
    ).rejects.toMatchObject({
      name: 'WeightNotApplied',
    });
    expect(locks.held.size).toBe(1);
  });

  it('says a rollback failed before it tries again, and restores when it can', async () => {
    const { deps, events } = await shiftedThenStopped();
    const outcome = await guardRoute(
      { ...stopped, status: 'FAILED', error: 'RollbackFailed', cause: 'UpdateRoute kept failing' },
      deps,
    );
    expect(outcome.action).toBe('restored');
    expect(events.map((e) => [e.type, 'error' in e ? e.error : ''])).toEqual([
      ['release.failed', 'RollbackFailed'],
      ['rollback.started', 'RollbackFailed'],
      ['release.rolled_back', 'RollbackFailed'],
    ]);
  });

  it('asks Step Functions how a failed execution ended when its event does not say', async () => {
    const { deps, events } = await shiftedThenStopped();
    const executions = {
      isRunning: async () => false,
      ending: async () => ({ status: 'FAILED', error: 'RollbackFailed', cause: 'UpdateRoute kept failing' }),
    };
    await guardRoute({ executionArn: execution.Id, status: 'FAILED' }, { ...deps, executions });
    expect(events[0]).toMatchObject({ type: 'release.failed', error: 'RollbackFailed' });
    expect(events.at(-1)).toMatchObject({ type: 'release.rolled_back', error: 'RollbackFailed' });
  });

  it('keeps a new release from taking the route over while it works on it', async () => {
    const { router, deps, state, locks } = await shiftedThenStopped();
    router.ignoreWrites = true;
    await expect(guardRoute(stopped, deps)).rejects.toMatchObject({ name: 'WeightNotApplied' });
    const lockKey = state.lockKey ?? '';
    const takeover = { ...locks.held.get(lockKey)!, executionId: 'next', releaseId: 'r2' };
    expect(await locks.takeOver({ ...takeover, acquiredAt: '1970-01-01T00:01:00.000Z' }, execution.Id)).toBe(
      false,
    );
    // Its mark lapses after ten minutes: a guard that gave up does not hold the route forever.
    expect(await locks.takeOver({ ...takeover, acquiredAt: '1970-01-01T00:11:00.000Z' }, execution.Id)).toBe(
      true,
    );
  });

  it('reads the EventBridge event, and ignores an event of another kind', async () => {
    const { deps, router } = await shiftedThenStopped();
    const guard = makeGuardHandler(deps);
    expect(await guard({ 'detail-type': 'Something Else', detail: {} })).toMatchObject({ action: 'none' });
    const outcome = await guard({
      version: '0',
      id: 'e1',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      detail: { executionArn: execution.Id, status: 'ABORTED', stateMachineArn: 'arn:sm', name: 'r1' },
    });
    expect(outcome.action).toBe('restored');
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });
});
