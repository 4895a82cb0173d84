import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { FencedOutError, StoreUnavailableError } from '#core/errors.ts';
import { FIRST_FENCE } from '#core/locks.ts';
import type { Fence, HeldLock, ReleaseSnapshot, RouteLock, RouteLocks } from '#core/ports.ts';
import { awsErrorName } from './aws-errors.ts';
import { fromStrings, type Item, ifCondition, keyOf, onTable, stringsOf } from './dynamodb-items.ts';
import { snapshotItem } from './dynamodb-release-snapshots.ts';

const FIELDS = ['routeKey', 'executionId', 'releaseId', 'service', 'version', 'acquiredAt'] as const;

/** A lock item the guard never marked and that predates fences reads as fence 0. */
const fenceOf = (item: Item): number => Number(item.fence?.N ?? 0);

/** The condition that the lock is held as this fence says (a lock without a fence attribute is fence 0). */
function heldAs(fence: Fence): { condition: string; values: Record<string, { S: string } | { N: string }> } {
  return {
    condition:
      fence.fence === 0
        ? 'executionId = :owner AND attribute_not_exists(fence)'
        : 'executionId = :owner AND fence = :fence',
    values: {
      ':owner': { S: fence.executionId },
      ...(fence.fence === 0 ? {} : { ':fence': { N: String(fence.fence) } }),
    },
  };
}

/**
 * Route locks in stepshift's table: one item per route (pk "route#<route ARN>"), holding the execution
 * that may move its weights and the fence it holds it at. Every change is a conditional write on the
 * holder, so two executions can never both believe they hold a route. A lock is written together with
 * its execution's snapshot record, in one TransactWriteItems (both or neither: DynamoDB developer
 * guide, "Amazon DynamoDB Transactions"), so a lock is never held without the record the guard needs
 * to free it. Locks do not expire: a stale one is taken over on purpose.
 */
export function createDynamoDbRouteLocks(client: DynamoDBClient, tableName: string): RouteLocks {
  const key = (routeKey: string) => keyOf(`route#${routeKey}`, 'lock');
  const holder = async (routeKey: string): Promise<HeldLock | undefined> => {
    const found = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key(routeKey), ConsistentRead: true }),
    );
    if (!found.Item) return undefined;
    const guardedUntil = found.Item.guardedUntil?.S;
    return {
      ...fromStrings<RouteLock>(found.Item, [...FIELDS]),
      fence: fenceOf(found.Item),
      ...(guardedUntil === undefined ? {} : { guardedUntil }),
    };
  };
  /**
   * Writes the lock at the first fence and the snapshot record in one transaction, if the lock's
   * condition holds; false when DynamoDB cancelled it for that condition. A cancellation for any
   * other reason (a conflicting transaction, throttling) is the table being unavailable: retried.
   */
  const putWithSnapshot = async (
    lock: RouteLock,
    snapshot: ReleaseSnapshot,
    condition: string,
    values: Record<string, { S: string }>,
  ): Promise<boolean> => {
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...key(lock.routeKey),
                  ...stringsOf(lock, FIELDS),
                  fence: { N: String(FIRST_FENCE) },
                },
                ConditionExpression: condition,
                ExpressionAttributeValues: values,
              },
            },
            { Put: { TableName: tableName, Item: snapshotItem(snapshot, lock.acquiredAt) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorName(error) !== 'TransactionCanceledException') throw error;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      throw new StoreUnavailableError(
        `writing the lock of ${lock.routeKey} and its snapshot in ${tableName} was cancelled (${reasons.map((r) => r.Code ?? '?').join(', ') || 'no reasons given'}); nothing was written`,
      );
    }
  };
  return {
    acquire: (lock, snapshot) =>
      onTable(`locking ${lock.routeKey} in ${tableName}`, async () => {
        // The holder may free the route between the refused write and the read: then try again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const written = await putWithSnapshot(
            lock,
            snapshot,
            // Free, or already this execution's (a retried Prepare) unless the guard has taken it over.
            'attribute_not_exists(pk) OR (executionId = :owner AND attribute_not_exists(guardedUntil))',
            { ':owner': { S: lock.executionId } },
          );
          if (written) return { ...lock, fence: FIRST_FENCE };
          const current = await holder(lock.routeKey);
          if (current?.executionId === lock.executionId) {
            throw new FencedOutError(
              `the guard took ${lock.routeKey} over from ${lock.executionId}, which has ended; this Prepare ran on after its execution was stopped and takes nothing`,
            );
          }
          if (current) return current;
        }
        // Refused three times, yet nobody held it when read: never claim a lock not written.
        throw new StoreUnavailableError(
          `the lock on ${lock.routeKey} was taken and freed three times while this execution tried to take it`,
        );
      }),
    takeOver: (lock, from, snapshot) =>
      onTable(`taking over ${lock.routeKey} in ${tableName}`, () =>
        putWithSnapshot(
          lock,
          snapshot,
          // Not while the guard puts the route back (ISO times compare as strings).
          'executionId = :owner AND (attribute_not_exists(guardedUntil) OR guardedUntil < :now)',
          { ':owner': { S: from }, ':now': { S: lock.acquiredAt } },
        ),
      ),
    guard: (routeKey, executionId, until) =>
      onTable(`taking ${routeKey} over for the guard in ${tableName}`, async () => {
        let fence: number | undefined;
        const marked = await ifCondition(async () => {
          const updated = await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(routeKey),
              UpdateExpression: 'SET guardedUntil = :until, fence = if_not_exists(fence, :zero) + :one',
              ConditionExpression: 'executionId = :owner',
              ExpressionAttributeValues: {
                ':owner': { S: executionId },
                ':until': { S: until },
                ':zero': { N: '0' },
                ':one': { N: '1' },
              },
              ReturnValues: 'UPDATED_NEW',
            }),
          );
          fence = fenceOf(updated.Attributes ?? {});
        });
        return marked ? fence : undefined;
      }),
    holds: (fence) =>
      onTable(`reading the lock of ${fence.routeKey} in ${tableName}`, async () => {
        const current = await holder(fence.routeKey);
        return current?.executionId === fence.executionId && current.fence === fence.fence;
      }),
    release: (fence) =>
      // Refused when the route is not held as this fence says (already freed, taken over): nothing to free.
      onTable(`unlocking ${fence.routeKey} in ${tableName}`, async () => {
        const { condition, values } = heldAs(fence);
        await ifCondition(() =>
          client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: key(fence.routeKey),
              ConditionExpression: condition,
              ExpressionAttributeValues: values,
            }),
          ),
        );
      }),
    holder: (routeKey) => onTable(`reading the lock of ${routeKey} in ${tableName}`, () => holder(routeKey)),
  };
}
