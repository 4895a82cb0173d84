import { describe, expect, it } from 'vitest';
import { createDynamoDbReleaseSnapshots } from '#adapters/aws/dynamodb-release-snapshots.ts';
import { createDynamoDbRouteLocks } from '#adapters/aws/dynamodb-route-locks.ts';
import type { ReleaseSnapshot, RouteLock } from '#core/locks.ts';
import { REHEARSAL_TABLE } from '#rehearsal/sim/simulated-aws.ts';
import { dynaliteClient } from '../support/dynalite.ts';

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

/** The adapters over the simulated AWS, whose DynamoDB is dynalite: DynamoDB's own conditional writes. */
function onDynalite() {
  const { clock, sim, client } = dynaliteClient();
  return {
    sim,
    locks: createDynamoDbRouteLocks(client, REHEARSAL_TABLE),
    snapshots: createDynamoDbReleaseSnapshots(client, REHEARSAL_TABLE, clock),
  };
}

describe('route locks in DynamoDB', () => {
  it('gives a route to one execution, names it to the next, and lets the holder take it again', async () => {
    // Prepare
    const { locks } = onDynalite();

    // Act
    const first = await locks.acquire(lock('exec-1'));
    const second = await locks.acquire(lock('exec-2'));
    const again = await locks.acquire(lock('exec-1'));

    // Assess
    expect(first.executionId).toBe('exec-1');
    expect(second).toEqual(lock('exec-1'));
    expect(again.executionId).toBe('exec-1');
  });

  it('frees a route only for its holder', async () => {
    const { locks, sim } = onDynalite();
    await locks.acquire(lock('exec-1'));
    await locks.release(ROUTE, 'exec-2');
    expect((await locks.holder(ROUTE))?.executionId).toBe('exec-1');
    await locks.release(ROUTE, 'exec-1');
    expect(await locks.holder(ROUTE)).toBeUndefined();
    expect(await sim.heldLocks()).toEqual([]);
    // Freeing a free route is not an error.
    await expect(locks.release(ROUTE, 'exec-1')).resolves.toBeUndefined();
  });

  it('takes a route over only from the holder it names', async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'));
    expect(await locks.takeOver(lock('exec-3'), 'exec-2')).toBe(false);
    expect(await locks.takeOver(lock('exec-2'), 'exec-1')).toBe(true);
    expect((await locks.holder(ROUTE))?.executionId).toBe('exec-2');
  });

  it("keeps a route from being taken over while the guard's mark lasts, and only for the holder", async () => {
    const { locks } = onDynalite();
    await locks.acquire(lock('exec-1'));
    expect(await locks.guard(ROUTE, 'exec-2', '2026-11-27T09:10:00.000Z')).toBe(false);
    expect(await locks.guard(ROUTE, 'exec-1', '2026-11-27T09:10:00.000Z')).toBe(true);
    expect(
      await locks.takeOver({ ...lock('exec-2'), acquiredAt: '2026-11-27T09:05:00.000Z' }, 'exec-1'),
    ).toBe(false);
    expect(
      await locks.takeOver({ ...lock('exec-2'), acquiredAt: '2026-11-27T09:11:00.000Z' }, 'exec-1'),
    ).toBe(true);
  });

  it('when eight executions race for a route, exactly one holds it', async () => {
    const { locks } = onDynalite();
    const holders = await Promise.all(Array.from({ length: 8 }, (_, i) => locks.acquire(lock(`exec-${i}`))));
    expect(new Set(holders.map((h) => h.executionId)).size).toBe(1);
  });
});

describe('snapshots in DynamoDB', () => {
  it('keeps what the guard needs, by execution', async () => {
    const { snapshots } = onDynalite();
    const snapshot: ReleaseSnapshot = {
      executionId: 'exec-1',
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
    };
    await snapshots.put(snapshot);
    expect(await snapshots.get('exec-1')).toEqual(snapshot);
    expect(await snapshots.get('exec-2')).toBeUndefined();
  });
});
