import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '#core/errors.ts';
import type { ReleaseLedger, ReleaseRecord } from '#core/ports.ts';

import { expiresAt, fromStrings, ifCondition, keyOf, onTable, stringsOf } from './dynamodb-items.ts';

/** A ledger item's fields (besides its key and TTL). */
const FIELDS = ['releaseId', 'service', 'version', 'executionId', 'routeId', 'startedAt'] as const;

const keyFor = (service: string, releaseId: string) => keyOf(`release#${service}#${releaseId}`, 'release');

/**
 * A release's ledger item: which execution claimed the release id, whatever that execution is named
 * (an EventBridge rule's executions are not named after the release). Undefined when the table has no
 * such release (never started, or older than the item's 90 days). The ledger reads it consistently
 * to claim an id; `stepshift report --service` reads it as it is.
 */
export async function readLedgerRecord(
  client: DynamoDBClient,
  tableName: string,
  service: string,
  releaseId: string,
  consistentRead = false,
): Promise<ReleaseRecord | undefined> {
  const found = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: keyFor(service, releaseId),
      ...(consistentRead ? { ConsistentRead: true } : {}),
    }),
  );
  return found.Item ? fromStrings<ReleaseRecord>(found.Item, [...FIELDS]) : undefined;
}

/**
 * The release ledger in stepshift's table: one item per release, pk "release#<service>#<releaseId>",
 * written with a condition so that exactly one execution holds each release id. It expires after as
 * long as Step Functions keeps an execution's name (90 days).
 */
export function createDynamoDbLedger(client: DynamoDBClient, tableName: string): ReleaseLedger {
  const key = (record: ReleaseRecord) => keyFor(record.service, record.releaseId);
  const read = (record: ReleaseRecord) =>
    readLedgerRecord(client, tableName, record.service, record.releaseId, true);
  const put = (record: ReleaseRecord): Promise<boolean> =>
    ifCondition(() =>
      client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...key(record), ...stringsOf(record, FIELDS), expiresAt: expiresAt(record.startedAt) },
          ConditionExpression: 'attribute_not_exists(pk) OR executionId = :execution',
          ExpressionAttributeValues: { ':execution': { S: record.executionId } },
        }),
      ),
    );
  return {
    async claim(record) {
      const holder = await onTable(`claiming release ${record.releaseId} in ${tableName}`, async () => {
        // A holder whose item expires between the write and the read leaves the id free: try once more.
        for (let attempt = 0; attempt < 2; attempt++) {
          if (await put(record)) return record;
          const found = await read(record);
          if (found) return found;
        }
        return undefined;
      });
      if (holder) return holder;
      throw new StoreUnavailableError(
        `release ${record.releaseId} was claimed and freed twice while this execution tried to claim it`,
      );
    },
  };
}
