import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbReleaseSnapshots } from '#adapters/aws/dynamodb-release-snapshots.ts';
import { createDynamoDbRouteLocks } from '#adapters/aws/dynamodb-route-locks.ts';
import { type GuardTaken, guardLetGo, guardTake } from '#core/release/guard.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { makeGuardHandler } from '#functions/guard.ts';
import { REHEARSAL_TABLE } from '#rehearsal/transport.ts';
import { routerKinds } from '#routers/registry.ts';
import { dynaliteClient } from '../../support/dynalite.ts';
import { execution, type FakeLocks, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { guardRoute } from '../../support/guard.ts';
import { ordersProfile } from '../../support/profiles.ts';

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
    // The guard writes with a key of its own fence (2: the release held the route at 1).
    expect(router.writes.at(-1)?.key).toBe(`${execution.Id}:guard:2`);
    expect(events.map((e) => e.type)).toEqual(['rollback.started', 'release.rolled_back']);
    expect(events.at(-1)).toMatchObject({
      error: 'ExecutionStopped',
      reason:
        'the execution was stopped (StopExecution) with orders-v1 90% · orders-v2 10% on appmesh:shop/orders-router/orders-route; the guard put the snapshot back',
    });
    expect([...locks.held.keys()]).toEqual([]);
  });

  it("frees a route a stopped execution's Prepare took after the guard's first look, at its second", async () => {
    // Prepare: the execution is stopped while Prepare runs; the guard looks before Prepare takes the route.
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const { deps } = fakeDeps(router, ordersProfile(), [ok]);
    const locks = deps.locks as FakeLocks;
    const taken = await guardTake(stopped, deps, { waitSeconds: 150 });
    expect(taken.hold, 'the guard waits and looks again').toMatchObject({
      lookAgain: true,
      waitSeconds: 150,
    });

    // Act: the still-running Prepare takes the route; the guard's wait ends and it looks again.
    await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, deps);
    expect(locks.held.size, 'the late Prepare holds the route').toBe(1);
    const outcome = await guardLetGo(taken.hold!, deps);

    // Assess
    expect(outcome).toMatchObject({ action: 'none' });
    expect(locks.held.size).toBe(0);
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });

  it('does not wait for an execution that failed before it held a route: none of its tasks runs on', async () => {
    const { deps } = fakeDeps(new FakeRouter([{ name: 'orders-v1', weight: 100 }]), ordersProfile(), [ok]);
    const taken = await guardTake({ ...stopped, status: 'FAILED' }, deps, { waitSeconds: 150 });
    expect(taken).toEqual({
      outcome: { action: 'none', reason: 'the execution ended before it held a route' },
    });
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
    const record = locks.snapshots.stored.get(execution.Id)!;
    expect(
      await locks.takeOver({ ...takeover, acquiredAt: '1970-01-01T00:01:00.000Z' }, execution.Id, record),
    ).toBe(false);
    // Its mark lapses after ten minutes: a guard that gave up does not hold the route forever.
    expect(
      await locks.takeOver({ ...takeover, acquiredAt: '1970-01-01T00:11:00.000Z' }, execution.Id, record),
    ).toBe(true);
  });

  it('reads the EventBridge event, and ignores an event of another kind', async () => {
    const { deps, router } = await shiftedThenStopped();
    const guard = makeGuardHandler(deps);
    expect(
      await guard({ step: 'take', event: { 'detail-type': 'Something Else', detail: {} } }),
    ).toMatchObject({
      outcome: { action: 'none' },
    });
    const outcome = (await guard({
      step: 'take',
      event: {
        version: '0',
        id: 'e1',
        'detail-type': 'Step Functions Execution Status Change',
        source: 'aws.states',
        detail: { executionArn: execution.Id, status: 'ABORTED', stateMachineArn: 'arn:sm', name: 'r1' },
      },
    })) as GuardTaken;
    expect(outcome.outcome.action).toBe('restored');
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });
});

describe('the guard trusts no record blindly', () => {
  /** The release's locks and snapshot records in DynamoDB (dynalite), where a person may edit them. */
  async function inTheTable() {
    const { client } = dynaliteClient();
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const ctx = fakeDeps(router, ordersProfile(), [ok]);
    const deps = {
      ...ctx.deps,
      locks: createDynamoDbRouteLocks(client, REHEARSAL_TABLE),
      snapshots: createDynamoDbReleaseSnapshots(client, REHEARSAL_TABLE, routerKinds),
    };
    const state = await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, deps);
    await shiftTraffic(state, deps);
    ctx.events.length = 0;
    const editRecord = async (change: Record<string, unknown>) => {
      const record = await deps.snapshots.get(execution.Id);
      await client.send(
        new PutItemCommand({
          TableName: REHEARSAL_TABLE,
          Item: {
            pk: { S: `execution#${execution.Id}` },
            sk: { S: 'snapshot' },
            snapshot: { S: JSON.stringify({ ...record, ...change }) },
          },
        }),
      );
    };
    return { router, deps, state, events: ctx.events, editRecord };
  }

  it('never writes an edited 37/63 snapshot to the router: it says so on the bus and leaves route and lock as found', async () => {
    const { router, deps, state, events, editRecord } = await inTheTable();
    await editRecord({
      snapshot: [
        { name: 'orders-v1', weight: 37 },
        { name: 'orders-v2', weight: 63 },
      ],
    });
    const writes = router.writes.length;

    const outcome = await guardRoute(stopped, deps);

    expect(router.writes).toHaveLength(writes);
    expect(router.targets).toEqual([
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10 },
    ]);
    expect(outcome).toMatchObject({
      action: 'none',
      reason: expect.stringContaining('not one stepshift wrote'),
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'release.failed',
        error: 'CorruptRecord',
        reason: expect.stringContaining(
          'record.snapshot: the route is split between orders-v1 (37) and orders-v2 (63)',
        ),
      }),
    ]);
    expect(await deps.locks.holder(state.lockKey ?? '')).toMatchObject({
      executionId: execution.Id,
      fence: 1,
    });
  });

  it('never writes a record that names a route its own router does not read as', async () => {
    const { router, deps, events, editRecord } = await inTheTable();
    await editRecord({
      router: { type: 'appmesh', meshName: 'shop', virtualRouterName: 'payments', routeName: 'pay' },
    });
    // The router the record names answers as another route than the one the lock is for.
    const other = new FakeRouter([{ name: 'pay-v1', weight: 100 }]);
    Object.defineProperty(other, 'routeId', { value: 'appmesh:shop/payments/pay' });
    const outcome = await guardRoute(stopped, { ...deps, routerFor: () => other });

    expect(other.writes).toEqual([]);
    expect(router.writes).toHaveLength(1);
    expect(outcome).toMatchObject({
      action: 'none',
      reason: expect.stringContaining('but its router reads as'),
    });
    expect(events.at(-1)).toMatchObject({ type: 'release.failed', error: 'CorruptRecord' });
  });
});

describe("the guard function's input, which its state machine sends (or a person starting it by hand)", () => {
  it('refuses a malformed hold, naming the field, before anything is read or written', async () => {
    const { deps, router } = await shiftedThenStopped();
    const guard = makeGuardHandler(deps);
    const writes = router.writes.length;
    await expect(
      guard({ step: 'let-go', hold: { executionArn: execution.Id, fence: 'x' } }),
    ).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('hold.fence'),
    });
    await expect(guard({ step: 'free-everything' })).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('is not a step of the guard'),
    });
    expect(router.writes).toHaveLength(writes);
  });

  it('refuses a forged let-go for a route the guard never took over: FencedOut, nothing written or freed', async () => {
    const { deps, router, state, locks } = await shiftedThenStopped();
    const guard = makeGuardHandler(deps);
    const writes = router.writes.length;
    const hold = {
      executionArn: execution.Id,
      status: 'ABORTED',
      routeKey: state.lockKey,
      fence: 7,
      waitSeconds: 0,
    };
    await expect(guard({ step: 'let-go', hold })).rejects.toMatchObject({ name: 'FencedOut' });
    expect(router.writes).toHaveLength(writes);
    expect(locks.held.get(state.lockKey ?? '')).toMatchObject({ executionId: execution.Id, fence: 1 });
  });
});
