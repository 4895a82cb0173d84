import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '#adapters/aws/dynamodb-ledger.ts';
import { createDynamoDbRouteLocks } from '#adapters/aws/dynamodb-route-locks.ts';
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

  it('never reports a route lock it did not write: refused three times with nobody holding it is StoreUnavailable', async () => {
    dynamo
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    dynamo.on(GetItemCommand).resolves({});
    const locks = createDynamoDbRouteLocks(new DynamoDBClient({ region: 'us-east-1' }), 'releases');
    await expect(
      locks.acquire({
        routeKey: 'arn:route',
        executionId: 'e',
        releaseId: 'r',
        service: 'orders',
        version: 'v2',
        acquiredAt: '2026-11-27T09:00:00.000Z',
      }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(3);
  });
});
