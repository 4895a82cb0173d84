import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbReleaseControls } from '#adapters/aws/dynamodb-release-controls.ts';
import { REHEARSAL_TABLE } from '#rehearsal/transport.ts';
import { dynaliteClient } from '../../support/dynalite.ts';

const SINCE = '2026-11-27T09:05:00.000Z';
const mine = { releaseId: 'orders-v2', service: 'orders', executionId: 'exec-1' };

/** The adapter over the simulated AWS, whose DynamoDB is dynalite: DynamoDB's own conditional writes. */
function onDynalite() {
  const { clock, client } = dynaliteClient();
  /** The raw item under this key, to see what the adapter left in the table. */
  const item = async (pk: string, sk: string) =>
    (
      await client.send(
        new GetItemCommand({ TableName: REHEARSAL_TABLE, Key: { pk: { S: pk }, sk: { S: sk } } }),
      )
    ).Item;
  return { controls: createDynamoDbReleaseControls(client, REHEARSAL_TABLE, () => clock.now()), item };
}

describe('release controls in DynamoDB', () => {
  it('opens a release for its execution, again for the same execution, and names it to another', async () => {
    // Prepare
    const { controls } = onDynalite();

    // Act
    const first = await controls.open(mine);
    const again = await controls.open(mine);
    const other = await controls.open({ ...mine, executionId: 'exec-2' });

    // Assess
    expect(first).toEqual(mine);
    expect(again).toEqual(mine);
    expect(other).toEqual(mine);
    expect(await controls.get('orders-v2')).toEqual(mine);
  });

  it('gives the release id to another execution that replaces the stale one', async () => {
    const { controls } = onDynalite();
    await controls.open(mine);
    const wrongStale = await controls.open({ ...mine, executionId: 'exec-3' }, 'exec-2');
    const replaced = await controls.open({ ...mine, executionId: 'exec-2' }, 'exec-1');
    expect(wrongStale.executionId).toBe('exec-1');
    expect(replaced).toEqual({ ...mine, executionId: 'exec-2' });
    expect((await controls.get('orders-v2'))?.executionId).toBe('exec-2');
    expect((await controls.forService('orders'))?.executionId).toBe('exec-2');
  });

  it('records the bake an execution waits in, and returns what was asked meanwhile', async () => {
    // Prepare
    const { controls } = onDynalite();
    await controls.open(mine);
    await controls.request('orders-v2', { promote: { at: SINCE, by: 'alice', full: true } });
    await controls.request('orders-v2', { paused: { at: SINCE } });

    // Act
    const waiting = await controls.waiting('orders-v2', 'exec-1', 'token-1', SINCE);
    const theirs = await controls.waiting('orders-v2', 'exec-2', 'token-2', SINCE);

    // Assess
    expect(waiting).toEqual({
      ...mine,
      taskToken: 'token-1',
      waitingSince: SINCE,
      promote: { at: SINCE, by: 'alice', full: true },
      paused: { at: SINCE },
    });
    expect(theirs).toBeUndefined();
    expect((await controls.get('orders-v2'))?.taskToken).toBe('token-1');
  });

  it('does not record a bake for a release with no controls', async () => {
    const { controls } = onDynalite();
    expect(await controls.waiting('orders-v2', 'exec-1', 'token-1', SINCE)).toBeUndefined();
    expect(await controls.get('orders-v2')).toBeUndefined();
  });

  it('records no request for a release that does not run', async () => {
    const { controls } = onDynalite();
    expect(await controls.request('orders-v2', { promote: { at: SINCE, full: false } })).toBeUndefined();
    expect(await controls.get('orders-v2')).toBeUndefined();
  });

  it('records an abort and a promote ("abort" is one of DynamoDB\'s reserved words)', async () => {
    const { controls } = onDynalite();
    await controls.open(mine);
    const aborted = await controls.request('orders-v2', {
      abort: { at: SINCE, by: 'alice', reason: 'slow' },
    });
    const promoted = await controls.request('orders-v2', { promote: { at: SINCE, full: true } });
    expect(aborted?.abort).toEqual({ at: SINCE, by: 'alice', reason: 'slow' });
    expect(promoted).toMatchObject({ abort: { at: SINCE }, promote: { at: SINCE, full: true } });
  });

  it('keeps the alarms the release reads, for the alarm function', async () => {
    const { controls } = onDynalite();
    await controls.open({ ...mine, alarms: ['orders-5xx', 'orders-latency'] });
    expect((await controls.forService('orders'))?.alarms).toEqual(['orders-5xx', 'orders-latency']);
  });

  it('records a pause, then a resume that clears it', async () => {
    // Prepare
    const { controls } = onDynalite();
    await controls.open(mine);
    await controls.waiting('orders-v2', 'exec-1', 'token-1', SINCE);

    // Act
    const paused = await controls.request('orders-v2', { paused: { at: SINCE, by: 'alice' } });
    const resumed = await controls.request('orders-v2', {
      paused: null,
      resumed: { at: '2026-11-27T09:10:00.000Z', by: 'bob' },
    });

    // Assess
    expect(paused?.paused).toEqual({ at: SINCE, by: 'alice' });
    expect(paused?.taskToken).toBe('token-1');
    expect(resumed).toEqual({
      ...mine,
      taskToken: 'token-1',
      waitingSince: SINCE,
      resumed: { at: '2026-11-27T09:10:00.000Z', by: 'bob' },
    });
    expect(await controls.get('orders-v2')).toEqual(resumed);
  });

  it("finds a service's running release, and not another service's release that took its id", async () => {
    // Prepare
    const { controls } = onDynalite();
    await controls.open(mine);
    await controls.open({ releaseId: 'payments-v7', service: 'payments', executionId: 'exec-p' });

    // Act
    const orders = await controls.forService('orders');
    await controls.open({ releaseId: 'orders-v2', service: 'search', executionId: 'exec-s' }, 'exec-1');
    const afterReuse = await controls.forService('orders');

    // Assess
    expect(orders).toEqual(mine);
    expect(afterReuse).toBeUndefined();
    expect((await controls.forService('search'))?.executionId).toBe('exec-s');
    expect((await controls.forService('payments'))?.releaseId).toBe('payments-v7');
    expect(await controls.forService('billing')).toBeUndefined();
  });

  it('closes only for the execution that owns the controls', async () => {
    // Prepare
    const { controls, item } = onDynalite();
    await controls.open(mine);
    expect(await item('running#orders', 'release')).toBeDefined();

    // Act, Assess
    await controls.close('orders-v2', 'orders', 'exec-2');
    expect(await controls.get('orders-v2')).toEqual(mine);
    expect(await controls.forService('orders')).toEqual(mine);
    await controls.close('orders-v2', 'orders', 'exec-1');
    expect(await controls.get('orders-v2')).toBeUndefined();
    expect(await controls.forService('orders')).toBeUndefined();
    expect(await item('control#orders-v2', 'control')).toBeUndefined();
    expect(await item('running#orders', 'release')).toBeUndefined();
    // Closing again is not an error.
    await expect(controls.close('orders-v2', 'orders', 'exec-1')).resolves.toBeUndefined();
  });
});
