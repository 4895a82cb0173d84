import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { ReleaseRecord } from '#core/ports.ts';
import { fromStrings, keyOf } from './dynamodb-items.ts';
import { LEDGER_FIELDS } from './dynamodb-ledger.ts';

/**
 * Reads a release's ledger item (pk "release#<service>#<releaseId>", adapters/aws/dynamodb-ledger.ts):
 * which execution claimed the release id, whatever that execution is named (an EventBridge rule's
 * executions are not named after the release). Undefined when the table has no such release (never
 * started, or older than the item's 90 days).
 */
export async function readLedgerRecord(
  client: DynamoDBClient,
  tableName: string,
  service: string,
  releaseId: string,
): Promise<ReleaseRecord | undefined> {
  const found = await client.send(
    new GetItemCommand({ TableName: tableName, Key: keyOf(`release#${service}#${releaseId}`, 'release') }),
  );
  return found.Item ? fromStrings<ReleaseRecord>(found.Item, [...LEDGER_FIELDS]) : undefined;
}
