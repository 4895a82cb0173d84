import { DynamoDBClient, DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '#adapters/aws/dynamodb-ledger.ts';
import { StoreUnavailableError } from '#core/errors.ts';

// A file of its own: mockClient replaces every DynamoDBClient's send while this module runs.
describe('the ledger when DynamoDB keeps failing', () => {
  const dynamo = mockClient(DynamoDBClient);
  afterEach(() => {
    dynamo.reset();
  });

  it('ends in StoreUnavailable, which Step Functions retries', async () => {
    dynamo.on(PutItemCommand).rejects(
      new DynamoDBServiceException({
        name: 'ProvisionedThroughputExceededException',
        message: 'exceeded',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const ledger = createDynamoDbLedger(new DynamoDBClient({ region: 'us-east-1' }), 'releases');
    await expect(
      ledger.claim({
        releaseId: 'r',
        service: 'orders',
        version: 'v2',
        executionId: 'e',
        routeId: 'x',
        startedAt: '2026-11-27T09:00:00.000Z',
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
