import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '#core/errors.ts';
import type { RouteLock, RouteLocks } from '#core/locks.ts';
import { fromStrings, ifCondition, keyOf, onTable, stringsOf } from './dynamodb-items.ts';

const FIELDS = ['routeKey', 'executionId', 'releaseId', 'service', 'version', 'acquiredAt'] as const;

/**
 * Route locks in stepshift's table: one item per route (pk "route#<route ARN>"), holding the execution
 * that may move its weights. Every change is a conditional write on the holder, so two executions can
 * never both believe they hold a route. Locks do not expire: a stale one is taken over on purpose.
 */
export function createDynamoDbRouteLocks(client: DynamoDBClient, tableName: string): RouteLocks {
  const key = (routeKey: string) => keyOf(`route#${routeKey}`, 'lock');
  const holder = async (routeKey: string): Promise<RouteLock | undefined> => {
    const found = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key(routeKey), ConsistentRead: true }),
    );
    return found.Item ? fromStrings<RouteLock>(found.Item, [...FIELDS]) : undefined;
  };
  /** Writes the lock if the condition holds; false when DynamoDB refused it for the condition. */
  const putIf = async (
    lock: RouteLock,
    condition: string,
    owner: string,
    values: Record<string, { S: string }> = {},
  ): Promise<boolean> =>
    ifCondition(() =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key(lock.routeKey), ...stringsOf(lock, FIELDS) },
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':owner': { S: owner }, ...values },
        }),
      ),
    );
  return {
    acquire: (lock) =>
      onTable(`locking ${lock.routeKey} in ${tableName}`, async () => {
        // The holder may free the route between the refused write and the read: then try again.
        for (let attempt = 0; attempt < 3; attempt++) {
          if (await putIf(lock, 'attribute_not_exists(pk) OR executionId = :owner', lock.executionId))
            return lock;
          const current = await holder(lock.routeKey);
          if (current) return current;
        }
        // Refused three times, yet nobody held it when read: never claim a lock not written.
        throw new StoreUnavailableError(
          `the lock on ${lock.routeKey} was taken and freed three times while this execution tried to take it`,
        );
      }),
    takeOver: (lock, from) =>
      onTable(`taking over ${lock.routeKey} in ${tableName}`, () =>
        putIf(
          lock,
          // Not while the guard puts the route back (ISO times compare as strings).
          'executionId = :owner AND (attribute_not_exists(guardedUntil) OR guardedUntil < :now)',
          from,
          { ':now': { S: lock.acquiredAt } },
        ),
      ),
    guard: (routeKey, executionId, until) =>
      onTable(`marking ${routeKey} for the guard in ${tableName}`, () =>
        ifCondition(() =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(routeKey),
              UpdateExpression: 'SET guardedUntil = :until',
              ConditionExpression: 'executionId = :owner',
              ExpressionAttributeValues: { ':owner': { S: executionId }, ':until': { S: until } },
            }),
          ),
        ),
      ),
    release: (routeKey, executionId) =>
      // Refused when this execution does not hold it (already freed, or taken over): nothing to free.
      onTable(`unlocking ${routeKey} in ${tableName}`, async () => {
        await ifCondition(() =>
          client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: key(routeKey),
              ConditionExpression: 'executionId = :owner',
              ExpressionAttributeValues: { ':owner': { S: executionId } },
            }),
          ),
        );
      }),
    holder: (routeKey) => onTable(`reading the lock of ${routeKey} in ${tableName}`, () => holder(routeKey)),
  };
}
