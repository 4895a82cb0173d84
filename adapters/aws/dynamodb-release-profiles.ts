import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock, ReleaseProfiles } from '#core/ports.ts';
import { expiresAt, keyOf, onTable } from './dynamodb-items.ts';

/**
 * The profile each release runs with, in stepshift's table beside its snapshot (pk
 * "execution#<execution ARN>", sk "profile"), with the snapshot's TTL: Prepare writes it, every later
 * state reads it. A profile is at most a few tens of KiB, far below DynamoDB's 400 KB item limit.
 */
export function createDynamoDbReleaseProfiles(
  client: DynamoDBClient,
  tableName: string,
  clock: Clock,
): ReleaseProfiles {
  const key = (executionId: string) => keyOf(`execution#${executionId}`, 'profile');
  return {
    put: (stored) =>
      onTable(`storing the profile of ${stored.executionId} in ${tableName}`, async () => {
        // Unconditional: a retried Prepare stores the profile its own output's digest names.
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(stored.executionId),
              digest: { S: stored.digest },
              profile: { S: stored.json },
              expiresAt: expiresAt(clock.now().toISOString()),
            },
          }),
        );
      }),
    get: (executionId) =>
      onTable(`reading the profile of ${executionId} in ${tableName}`, async () => {
        const found = await client.send(
          new GetItemCommand({ TableName: tableName, Key: key(executionId), ConsistentRead: true }),
        );
        const json = found.Item?.profile?.S;
        if (json === undefined) return undefined;
        return { executionId, digest: found.Item?.digest?.S ?? '', json };
      }),
  };
}
