import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { StoreUnavailableError } from '#core/errors.ts';
import type { ReleaseLedger, ReleaseRecord } from '#core/ledger.ts';
import { awsErrorName, unavailableAs } from './aws-errors.ts';

/**
 * How long a release id stays claimed: as long as Step Functions keeps an execution's name (90 days),
 * so no trigger path can run a release id twice within that time. DynamoDB's TTL then removes it.
 */
export const CLAIM_DAYS = 90;

const FIELDS = ['releaseId', 'service', 'version', 'executionId', 'routeId', 'startedAt'] as const;

/**
 * The release ledger in stepshift's table: one item per release, pk "release#<service>#<releaseId>",
 * written with a condition so that exactly one execution holds each release id.
 */
export function createDynamoDbLedger(client: DynamoDBClient, tableName: string): ReleaseLedger {
  const key = (record: Pick<ReleaseRecord, 'service' | 'releaseId'>) => ({
    pk: { S: `release#${record.service}#${record.releaseId}` },
    sk: { S: 'release' },
  });
  const read = async (record: ReleaseRecord): Promise<ReleaseRecord | undefined> => {
    const found = await client.send(
      new GetItemCommand({ TableName: tableName, Key: key(record), ConsistentRead: true }),
    );
    return found.Item ? recordOf(found.Item) : undefined;
  };
  const put = async (record: ReleaseRecord): Promise<boolean> => {
    const expiresAt = Math.floor(Date.parse(record.startedAt) / 1000) + CLAIM_DAYS * 86_400;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...key(record),
            ...Object.fromEntries(FIELDS.map((f) => [f, { S: record[f] }])),
            expiresAt: { N: String(expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR executionId = :execution',
          ExpressionAttributeValues: { ':execution': { S: record.executionId } },
        }),
      );
      return true;
    } catch (error) {
      if (awsErrorName(error) === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  };
  return {
    async claim(record) {
      try {
        // A holder whose item expires between the write and the read leaves the id free: try once more.
        for (let attempt = 0; attempt < 2; attempt++) {
          if (await put(record)) return record;
          const holder = await read(record);
          if (holder) return holder;
        }
      } catch (error) {
        throw unavailableAs(
          `claiming release ${record.releaseId} in ${tableName}`,
          error,
          StoreUnavailableError,
        );
      }
      throw new StoreUnavailableError(
        `release ${record.releaseId} was claimed and freed twice while this execution tried to claim it`,
      );
    },
  };
}

function recordOf(item: Record<string, AttributeValue>): ReleaseRecord {
  return Object.fromEntries(FIELDS.map((f) => [f, item[f]?.S ?? ''])) as unknown as ReleaseRecord;
}
