import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { parseSnapshotRecord, unreadableSnapshotRecord } from '#core/locks.ts';
import type { ReleaseSnapshot, ReleaseSnapshots, RouterKinds } from '#core/ports.ts';
import { expiresAt, type Item, keyOf, onTable } from './dynamodb-items.ts';

/** The snapshot record's key: one per execution. */
const snapshotKey = (executionId: string): Item => keyOf(`execution#${executionId}`, 'snapshot');

/**
 * The snapshot record as an item, JSON in one attribute: written with the route's lock, in one
 * transaction (adapters/aws/dynamodb-route-locks.ts).
 */
export function snapshotItem(snapshot: ReleaseSnapshot, now: string): Item {
  return {
    ...snapshotKey(snapshot.executionId),
    snapshot: { S: JSON.stringify(snapshot) },
    expiresAt: expiresAt(now),
  };
}

/**
 * Each execution's snapshot in stepshift's table (pk "execution#<execution ARN>"), as JSON: the guard
 * reads it after the execution ended, when the execution's own state is out of reach. What it reads is
 * checked before it is trusted (core/locks.ts): a record someone edited is never written to a router.
 */
export function createDynamoDbReleaseSnapshots(
  client: DynamoDBClient,
  tableName: string,
  kinds: RouterKinds,
): ReleaseSnapshots {
  return {
    get: async (executionId) => {
      const found = await onTable(`reading the snapshot of ${executionId} in ${tableName}`, () =>
        client.send(
          new GetItemCommand({ TableName: tableName, Key: snapshotKey(executionId), ConsistentRead: true }),
        ),
      );
      if (!found.Item) return undefined;
      const where = `execution#${executionId} / snapshot in ${tableName}`;
      const body = found.Item.snapshot?.S;
      if (body === undefined) throw unreadableSnapshotRecord(where, 'it has no snapshot attribute of text');
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        throw unreadableSnapshotRecord(where, 'its snapshot attribute is not JSON');
      }
      return parseSnapshotRecord(value, executionId, where, kinds);
    },
  };
}
