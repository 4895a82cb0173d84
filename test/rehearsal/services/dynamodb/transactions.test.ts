import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld } from '#rehearsal/script/world.ts';
import { REHEARSAL_TABLE, SimulatedAws } from '#rehearsal/transport.ts';

/**
 * TransactWriteItems in the rehearsal's DynamoDB (dynalite has none: it is emulated), pinned against
 * the DynamoDB API Reference: all actions or none; a failed condition cancels the whole request with
 * TransactionCanceledException and one CancellationReason per action, in order; no two actions on
 * one item; ConditionCheck writes nothing; and world.faults can fail the whole call.
 */

const TableName = REHEARSAL_TABLE;
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'x' } });

function table(faults: unknown[] = []) {
  const sim = new SimulatedAws(parseWorld({ appmesh: { routes: [] }, faults }), new VirtualClock());
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  });
  const get = async (pk: string) =>
    (await client.send(new GetItemCommand({ TableName, Key: key(pk), ConsistentRead: true }))).Item;
  return { client, get };
}

const put = (pk: string, value: string, condition?: string) => ({
  Put: {
    TableName,
    Item: { ...key(pk), value: { S: value } },
    ...(condition ? { ConditionExpression: condition } : {}),
  },
});

describe("TransactWriteItems in the rehearsal's DynamoDB", () => {
  it('writes every action when every condition holds', async () => {
    const { client, get } = table();

    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          put('a', '1', 'attribute_not_exists(pk)'),
          put('b', '2'),
          {
            Update: {
              TableName,
              Key: key('c'),
              UpdateExpression: 'SET #v = :v',
              ExpressionAttributeNames: { '#v': 'value' },
              ExpressionAttributeValues: { ':v': { S: '3' } },
            },
          },
        ],
      }),
    );

    expect([(await get('a'))?.value, (await get('b'))?.value, (await get('c'))?.value]).toEqual([
      { S: '1' },
      { S: '2' },
      { S: '3' },
    ]);
  });

  it('writes nothing when one condition fails, and says which, in order', async () => {
    const { client, get } = table();
    await client.send(new PutItemCommand({ TableName, Item: { ...key('b'), value: { S: 'old' } } }));
    await client.send(new PutItemCommand({ TableName, Item: { ...key('d'), value: { S: 'keep' } } }));

    const refused = await client
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            put('a', '1'),
            {
              ...put('b', 'new', 'attribute_not_exists(pk)'),
              Put: {
                ...put('b', 'new', 'attribute_not_exists(pk)').Put,
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Delete: { TableName, Key: key('d') } },
          ],
        }),
      )
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(TransactionCanceledException);
    const cancelled = refused as TransactionCanceledException;
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
    );
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...key('b'), value: { S: 'old' } },
      },
      { Code: 'None' },
    ]);
    expect(await get('a')).toBeUndefined();
    expect((await get('b'))?.value).toEqual({ S: 'old' });
    expect((await get('d'))?.value).toEqual({ S: 'keep' });
  });

  it('lets a condition check decide without writing anything of its own', async () => {
    const { client, get } = table();

    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: { TableName, Key: key('lock'), ConditionExpression: 'attribute_not_exists(pk)' },
          },
          put('a', '1'),
        ],
      }),
    );

    expect(await get('lock')).toBeUndefined();
    expect((await get('a'))?.value).toEqual({ S: '1' });
  });

  it('refuses two actions on one item and no actions at all', async () => {
    const { client, get } = table();
    const refusal = (TransactItems: unknown[]) =>
      client
        .send(new TransactWriteItemsCommand({ TransactItems } as never))
        .catch((error: { name: string; message: string }) => `${error.name}: ${error.message}`);

    expect(await refusal([put('a', '1'), put('a', '2')])).toBe(
      'ValidationException: Transaction request cannot include multiple operations on one item',
    );
    expect(await refusal([])).toMatch(/^ValidationException: .*length between 1 and 100/);
    expect(await get('a')).toBeUndefined();
  });

  it('applies a repeated request with the same client request token once, and refuses other actions under it', async () => {
    const { client, get } = table();
    const send = (value: string) =>
      client.send(
        new TransactWriteItemsCommand({ TransactItems: [put('a', value)], ClientRequestToken: 't-1' }),
      );

    await send('1');
    await client.send(new PutItemCommand({ TableName, Item: { ...key('a'), value: { S: 'changed' } } }));
    await send('1');
    const mismatch = await send('2').catch((error: { name: string }) => error.name);

    expect((await get('a'))?.value).toEqual({ S: 'changed' });
    expect(mismatch).toBe('IdempotentParameterMismatchException');
  });

  it('fails as a whole when world.faults says so, writing nothing', async () => {
    const { client, get } = table([
      { operation: 'TransactWriteItems', call: 1, error: 'InternalServerError' },
    ]);

    const failed = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [put('a', '1'), put('b', '2')] }))
      .catch((error: { name: string }) => error.name);

    expect(failed).toBe('InternalServerError');
    expect([await get('a'), await get('b')]).toEqual([undefined, undefined]);
  });
});
