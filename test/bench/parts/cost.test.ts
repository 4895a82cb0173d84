import { describe, expect, it } from 'vitest';
import { dynamoUnits } from '../../../bench/parts/cost.ts';
import type { CallRecord } from '../../../rehearsal/transport.ts';

const call = (operation: string, input: Record<string, unknown>): CallRecord => ({
  at: 0,
  service: 'dynamodb',
  operation,
  input,
});
const key = { pk: { S: 'a' }, sk: { S: 'b' } };

describe('dynamoUnits', () => {
  it('charges a write per KB of its item, twice in a transaction, and a read per 4 KB of the item under its key', () => {
    const big = { ...key, body: { S: 'x'.repeat(5000) } };
    const units = dynamoUnits([
      call('TransactWriteItems', {
        TransactItems: [{ Put: { TableName: 't', Item: { pk: { S: 'l' }, sk: { S: 'l' } } } }],
      }),
      call('PutItem', { TableName: 't', Item: big }),
      call('GetItem', { TableName: 't', Key: key }),
      call('DeleteItem', { TableName: 't', Key: key }),
    ]);
    expect(units).toEqual({ requests: 4, readUnits: 2, writeUnits: 2 + 5 + 5 });
  });
});
