import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ReleaseSnapshot, ReleaseSnapshots } from '#core/locks.ts';
import type { Clock } from '#core/ports.ts';
import { expiresAt, keyOf, onTable } from './dynamodb-items.ts';

/**
 * Each execution's snapshot in stepshift's table (pk "execution#<execution ARN>"), as JSON: the guard
 * reads it after the execution ended, when the execution's own state is out of reach.
 */
export function createDynamoDbReleaseSnapshots(
  client: DynamoDBClient,
  tableName: string,
  clock: Clock,
): ReleaseSnapshots {
  const key = (executionId: string) => keyOf(`execution#${executionId}`, 'snapshot');
  return {
    put: (snapshot) =>
      onTable(`storing the snapshot of ${snapshot.executionId} in ${tableName}`, async () => {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(snapshot.executionId),
              snapshot: { S: JSON.stringify(snapshot) },
              expiresAt: expiresAt(clock.now().toISOString()),
            },
          }),
        );
      }),
    get: (executionId) =>
      onTable(`reading the snapshot of ${executionId} in ${tableName}`, async () => {
        const found = await client.send(
          new GetItemCommand({ TableName: tableName, Key: key(executionId), ConsistentRead: true }),
        );
        const body = found.Item?.snapshot?.S;
        return body === undefined ? undefined : (JSON.parse(body) as ReleaseSnapshot);
      }),
  };
}
