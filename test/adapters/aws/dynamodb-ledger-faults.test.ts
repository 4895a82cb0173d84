import {
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
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
    // The lock is written with its snapshot record in one transaction, cancelled for the lock's condition.
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
        $metadata: {},
      }),
    );
    dynamo.on(GetItemCommand).resolves({});
    const locks = createDynamoDbRouteLocks(new DynamoDBClient({ region: 'us-east-1' }), 'releases');
    const lock = {
      routeKey: 'arn:route',
      executionId: 'e',
      releaseId: 'r',
      service: 'orders',
      version: 'v2',
      acquiredAt: '2026-11-27T09:00:00.000Z',
    };
    const record = {
      executionId: 'e',
      releaseId: 'r',
      service: 'orders',
      version: 'v2',
      routeKey: 'arn:route',
      router: { type: 'appmesh' as const, meshName: 'm', virtualRouterName: 'vr', routeName: 'r' },
      snapshot: [{ name: 'orders-v1', weight: 100 }],
      cast: { stable: 'orders-v1', canary: 'orders-v2' },
      steps: [10],
    };
    await expect(locks.acquire(lock, record)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(dynamo.commandCalls(TransactWriteItemsCommand)).toHaveLength(3);
  });

  it('a transaction cancelled for another reason than the lock condition (a conflict) is StoreUnavailable, retried', async () => {
    dynamo.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
        $metadata: {},
      }),
    );
    const locks = createDynamoDbRouteLocks(new DynamoDBClient({ region: 'us-east-1' }), 'releases');
    await expect(
      locks.takeOver(
        {
          routeKey: 'arn:route',
          executionId: 'e2',
          releaseId: 'r',
          service: 'orders',
          version: 'v2',
          acquiredAt: '2026-11-27T09:00:00.000Z',
        },
        'e1',
        {
          executionId: 'e2',
          releaseId: 'r',
          service: 'orders',
          version: 'v2',
          routeKey: 'arn:route',
          router: { type: 'appmesh', meshName: 'm', virtualRouterName: 'vr', routeName: 'r' },
          snapshot: [{ name: 'orders-v1', weight: 100 }],
          cast: { stable: 'orders-v1', canary: 'orders-v2' },
          steps: [10],
        },
      ),
    ).rejects.toMatchObject({
      name: 'StoreUnavailable',
      message: expect.stringContaining('TransactionConflict'),
    });
  });
});
