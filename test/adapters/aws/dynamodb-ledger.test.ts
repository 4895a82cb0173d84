import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbLedger } from '#adapters/aws/dynamodb-ledger.ts';
import type { ReleaseRecord } from '#core/ports.ts';

import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld } from '#rehearsal/script/world.ts';
import { REHEARSAL_TABLE, SimulatedAws } from '#rehearsal/transport.ts';

const record = (executionId: string, releaseId = 'orders-v2'): ReleaseRecord => ({
  releaseId,
  service: 'orders',
  version: 'v2',
  executionId,
  routeId: 'appmesh:shop/orders-router/orders-route',
  startedAt: '2026-11-27T09:00:00.000Z',
});

/** The ledger over the simulated AWS, whose DynamoDB is dynalite: DynamoDB's own conditional writes. */
function ledgerOnDynalite() {
  const sim = new SimulatedAws(parseWorld({ appmesh: { routes: [] } }), new VirtualClock());
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  });
  return { sim, ledger: createDynamoDbLedger(client, REHEARSAL_TABLE) };
}

describe('the DynamoDB release ledger', () => {
  it('gives a release id to the first execution and names it to every later one', async () => {
    // Prepare
    const { ledger } = ledgerOnDynalite();

    // Act
    const first = await ledger.claim(record('exec-1'));
    const second = await ledger.claim(record('exec-2'));

    // Assess
    expect(first.executionId).toBe('exec-1');
    expect(second).toEqual(record('exec-1'));
  });

  it('lets the holder claim again (a retried Prepare) and keeps other release ids apart', async () => {
    const { ledger } = ledgerOnDynalite();
    await ledger.claim(record('exec-1'));
    expect((await ledger.claim(record('exec-1'))).executionId).toBe('exec-1');
    expect((await ledger.claim(record('exec-2', 'orders-v3'))).executionId).toBe('exec-2');
  });

  it('writes one conditional PutItem with a 90-day expiry, and reads only when refused', async () => {
    const { sim, ledger } = ledgerOnDynalite();
    await ledger.claim(record('exec-1'));
    await ledger.claim(record('exec-2'));
    expect(sim.calls.map((c) => `${c.operation}${c.error ? ` ${c.error.name}` : ''}`)).toEqual([
      'PutItem',
      'PutItem ConditionalCheckFailedException',
      'GetItem',
    ]);
    const item = sim.calls[0]?.input.Item as Record<string, { S?: string; N?: string }>;
    expect(item.pk).toEqual({ S: 'release#orders#orders-v2' });
    expect(Number(item.expiresAt?.N)).toBe(Date.parse('2026-11-27T09:00:00.000Z') / 1000 + 90 * 86_400);
  });

  it('when two executions race for one id, exactly one holds it', async () => {
    const { ledger } = ledgerOnDynalite();
    const holders = await Promise.all(Array.from({ length: 8 }, (_, i) => ledger.claim(record(`exec-${i}`))));
    expect(new Set(holders.map((h) => h.executionId)).size).toBe(1);
  });
});
