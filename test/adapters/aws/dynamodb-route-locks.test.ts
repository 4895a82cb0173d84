import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbReleaseSnapshots } from '#adapters/aws/dynamodb-release-snapshots.ts';
import { createDynamoDbRouteLocks } from '#adapters/aws/dynamodb-route-locks.ts';
import { FIRST_FENCE } from '#core/locks.ts';
import type { Fence, ReleaseSnapshot, RouteLock } from '#core/ports.ts';
import { REHEARSAL_TABLE } from '#rehearsal/transport.ts';
import { routerKinds } from '#routers/registry.ts';
import { dynaliteClient } from '../../support/dynalite.ts';

const ROUTE =
  'arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualRouter/orders-router/route/orders-route';
const lock = (executionId: string, releaseId = executionId): RouteLock => ({
  routeKey: ROUTE,
  executionId,
  releaseId,
  service: 'orders',
  version: 'v2',
  acquiredAt: '2026-11-27T09:00:00.000Z',
});
/** The snapshot record Prepare writes with an execution's lock. */
const record = (executionId: string): ReleaseSnapshot => ({
  executionId,
  releaseId: 'r1',
  service: 'orders',
  version: 'v2',
  routeKey: ROUTE,
  router: {
    type: 'appmesh',
    meshName: 'shop',
    virtualRouterName: 'orders-router',
    routeName: 'orders-route',
  },
  snapshot: [{ name: 'orders-v1', weight: 100, port: 8080 }],
  cast: { stable: 'orders-v1', canary: 'orders-v2' },
  steps: [10, 25, 50],
});
const fence = (executionId: string, at = FIRST_FENCE): Fence => ({ routeKey: ROUTE, executionId, fence: at });

/** The adapters over the simulated AWS, whose DynamoDB is dynalite: DynamoDB's own conditional writes. */
function onDynalite() {
  const { sim, client } = dynaliteClient();
  return {
    sim,
    locks: createDynamoDbRouteLocks(client, REHEARSAL_TABLE),
    snapshots: createDynamoDbReleaseSnapshots(client, REHEARSAL_TABLE, routerKinds),
    client,
  };
}

describe('route locks in DynamoDB', () => {
  it('gives a route to one execution, names it to the next, and lets the holder take it again', async () => {
    // Prepare
    const { locks } = onDynalite();

    // Act
    const first = await locks.acquire(lock('exec-1'), record('exec-1'));
    const second = await locks.acquire(lock('exec-2'), record('exec-2'));
    const again = await locks.acquire(lock('exec-1'), record('exec-1'));

    // Assess
    expect(first.executionId).toBe('exec-1');
    expect(second).toEqual({ ...lock('exec-1'), fence: FIRST_FENCE });
    expect(again.executionId).toBe('exec-1');
  });

  it('frees a route only for its holder', async () => {
    const { locks, sim } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    await locks.release(fence('exec-2'));
    expect((await locks.holder(ROUTE))?.executionId).toBe('exec-1');
    await locks.release(fence('exec-1'));
    expect(await locks.holder(ROUTE)).toBeUndefined();
    expect(await sim.heldLocks()).toEqual([]);
    // Freeing a free route is not an error.
    await expect(locks.release(fence('exec-1'))).resolves.toBeUndefined();
  });

  it('takes a route over only from the holder it names', async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    expect(await locks.takeOver(lock('exec-3'), 'exec-2', record('exec-3'))).toBe(false);
    expect(await locks.takeOver(lock('exec-2'), 'exec-1', record('exec-2'))).toBe(true);
    expect((await locks.holder(ROUTE))?.executionId).toBe('exec-2');
  });

  it("keeps a route from being taken over while the guard's mark lasts, and only for the holder", async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    // The guard's mark is refused for anyone but the holder (it used to answer false, now no fence).
    expect(await locks.guard(ROUTE, 'exec-2', '2026-11-27T09:10:00.000Z')).toBeUndefined();
    expect(await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:00.000Z')).toBe(FIRST_FENCE + 1);
    expect(
      await locks.takeOver(
        { ...lock('exec-2'), acquiredAt: '2026-11-27T09:05:00.000Z' },
        'exec-1',
        record('exec-2'),
      ),
    ).toBe(false);
    expect(
      await locks.takeOver(
        { ...lock('exec-2'), acquiredAt: '2026-11-27T09:11:00.000Z' },
        'exec-1',
        record('exec-2'),
      ),
    ).toBe(true);
  });

  it('when eight executions race for a route, exactly one holds it', async () => {
    const { locks } = onDynalite();
    const holders = await Promise.all(
      Array.from({ length: 8 }, (_, i) => locks.acquire(lock(`exec-${i}`), record(`exec-${i}`))),
    );
    expect(new Set(holders.map((h) => h.executionId)).size).toBe(1);
  });
});

describe('fences', () => {
  it("raises the fence when the guard takes the route over, so the ended execution's writers find themselves fenced out", async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    expect(await locks.holds(fence('exec-1'))).toBe(true);

    const guardFence = await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:00.000Z');

    expect(await locks.holds(fence('exec-1'))).toBe(false);
    expect(await locks.holds(fence('exec-1', guardFence))).toBe(true);
    // A task of the ended execution cannot free the route from under the guard; the guard can.
    await locks.release(fence('exec-1'));
    expect(await locks.holder(ROUTE)).toMatchObject({ executionId: 'exec-1', fence: guardFence });
    await locks.release(fence('exec-1', guardFence));
    expect(await locks.holder(ROUTE)).toBeUndefined();
  });

  it('a second run of the guard (a repeated event) fences out the first', async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    const first = await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:00.000Z');
    const second = await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:05.000Z');
    expect([first, second]).toEqual([FIRST_FENCE + 1, FIRST_FENCE + 2]);
    expect(await locks.holds(fence('exec-1', first))).toBe(false);
  });

  it('refuses a Prepare of an execution the guard already took over (it ran on after its stop)', async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:00.000Z');
    await expect(locks.acquire(lock('exec-1'), record('exec-1'))).rejects.toMatchObject({
      name: 'FencedOut',
    });
  });

  it('reads a lock written before fences as fence 0, and frees it only at fence 0', async () => {
    const { locks, client } = onDynalite();
    await client.send(
      new PutItemCommand({
        TableName: REHEARSAL_TABLE,
        Item: {
          pk: { S: `route#${ROUTE}` },
          sk: { S: 'lock' },
          ...Object.fromEntries(Object.entries(lock('old')).map(([k, v]) => [k, { S: v }])),
        },
      }),
    );
    expect(await locks.holds(fence('old', 0))).toBe(true);
    await locks.release(fence('old', FIRST_FENCE));
    expect(await locks.holder(ROUTE)).toMatchObject({ executionId: 'old', fence: 0 });
    await locks.release(fence('old', 0));
    expect(await locks.holder(ROUTE)).toBeUndefined();
  });
});

describe('the lock and the snapshot, in one transaction', () => {
  it('writes the snapshot with the lock, and neither when the route is taken', async () => {
    const { locks, snapshots } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    await locks.acquire(lock('exec-2'), record('exec-2'));
    expect(await snapshots.get('exec-1')).toEqual(record('exec-1'));
    expect(await snapshots.get('exec-2')).toBeUndefined();
  });

  it('leaves neither the lock nor the snapshot when DynamoDB fails the transaction (no lock without its record)', async () => {
    const { sim, client } = dynaliteClient([
      { operation: 'TransactWriteItems', call: 1, error: 'InternalServerError' },
    ]);
    const locks = createDynamoDbRouteLocks(client, REHEARSAL_TABLE);
    const snapshots = createDynamoDbReleaseSnapshots(client, REHEARSAL_TABLE, routerKinds);

    await expect(locks.acquire(lock('exec-1'), record('exec-1'))).rejects.toMatchObject({
      name: 'StoreUnavailable',
    });

    expect(await sim.heldLocks()).toEqual([]);
    expect(await snapshots.get('exec-1')).toBeUndefined();
  });
});

describe('snapshot records, checked when read', () => {
  it('keeps what the guard needs, by execution', async () => {
    const { locks, snapshots } = onDynalite();
    await locks.acquire(lock('exec-1'), record('exec-1'));
    expect(await snapshots.get('exec-1')).toEqual(record('exec-1'));
    expect(await snapshots.get('exec-2')).toBeUndefined();
  });

  it.each([
    [
      'an edited 37/63 split',
      {
        snapshot: [
          { name: 'orders-v1', weight: 37 },
          { name: 'orders-v2', weight: 63 },
        ],
      },
      'record.snapshot: the route is split between orders-v1 (37) and orders-v2 (63)',
    ],
    [
      'a stable that carries no traffic',
      { cast: { stable: 'orders-v9', canary: 'orders-v2' } },
      'record.cast.stable',
    ],
    ['a step weight over 100', { steps: [10, 250] }, 'record.steps[1]'],
    [
      'a weight that is not a number',
      { snapshot: [{ name: 'orders-v1', weight: '100' }] },
      'record.snapshot[0].weight',
    ],
    ["another execution's record", { executionId: 'exec-9' }, 'record.executionId: is exec-9, not exec-1'],
    ['a field stepshift never writes', { note: 'hi' }, 'record: has unknown field "note"'],
  ])('refuses %s, naming the problem', async (_, change, problem) => {
    const { client, snapshots } = onDynalite();
    await client.send(
      new PutItemCommand({
        TableName: REHEARSAL_TABLE,
        Item: {
          pk: { S: 'execution#exec-1' },
          sk: { S: 'snapshot' },
          snapshot: { S: JSON.stringify({ ...record('exec-1'), ...change }) },
        },
      }),
    );
    await expect(snapshots.get('exec-1')).rejects.toMatchObject({
      name: 'CorruptRecord',
      message: expect.stringContaining(problem),
    });
  });

  it('refuses a record that is not JSON', async () => {
    const { client, snapshots } = onDynalite();
    await client.send(
      new PutItemCommand({
        TableName: REHEARSAL_TABLE,
        Item: { pk: { S: 'execution#exec-1' }, sk: { S: 'snapshot' }, snapshot: { S: '{"executionId":' } },
      }),
    );
    await expect(snapshots.get('exec-1')).rejects.toMatchObject({
      name: 'CorruptRecord',
      message: expect.stringContaining('its snapshot attribute is not JSON'),
    });
  });
});
