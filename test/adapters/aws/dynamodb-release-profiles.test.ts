import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoDbReleaseProfiles } from '#adapters/aws/dynamodb-release-profiles.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { storedProfileOf } from '#core/release/wire.ts';
import { makePrepareHandler } from '#functions/prepare.ts';
import { makeRollbackHandler } from '#functions/rollback.ts';
import { makeShiftHandler } from '#functions/shift.ts';
import { REHEARSAL_TABLE } from '#rehearsal/transport.ts';
import { dynaliteClient } from '../../support/dynalite.ts';
import { execution, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const key = { pk: { S: `execution#${execution.Id}` }, sk: { S: 'profile' } };

/** The profile store over dynalite, and the ports of a release that keeps its profile there. */
function onDynalite() {
  const { clock, client } = dynaliteClient();
  const releaseProfiles = createDynamoDbReleaseProfiles(client, REHEARSAL_TABLE, clock);
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  const ctx = fakeDeps(router, ordersProfile(), [{ name: 'orders-5xx', type: 'metric', state: 'OK' }]);
  const deps: ReleaseDeps = { ...ctx.deps, releaseProfiles };
  return { client, clock, releaseProfiles, router, deps, events: ctx.events };
}

describe('release profiles in DynamoDB', () => {
  it('stores the profile beside the snapshot (execution#<arn> / profile) with its digest and the TTL', async () => {
    // Prepare
    const { client, clock, releaseProfiles } = onDynalite();
    const stored = storedProfileOf(execution.Id, ordersProfile() as never);

    // Act
    await releaseProfiles.put(stored);

    // Assess
    expect(await releaseProfiles.get(execution.Id)).toEqual(stored);
    expect(
      await releaseProfiles.get('arn:aws:states:us-east-1:123456789012:execution:other'),
    ).toBeUndefined();
    const item = (await client.send(new GetItemCommand({ TableName: REHEARSAL_TABLE, Key: key }))).Item;
    expect(item?.digest?.S).toBe(stored.digest);
    // Kept as long as the snapshot beside it: 90 days.
    expect(Number(item?.expiresAt?.N)).toBe(Math.floor(clock.now().getTime() / 1000) + 90 * 86_400);
  });

  it('ends the release with CorruptState, writing nothing, when the stored profile was edited', async () => {
    // Prepare: a release prepared as Lambda runs it, then its profile item edited in the table.
    const { client, router, deps, events } = onDynalite();
    const wire = await makePrepareHandler(deps)({ request: { service: 'orders', version: 'v2' }, execution });
    await client.send(
      new UpdateItemCommand({
        TableName: REHEARSAL_TABLE,
        Key: key,
        UpdateExpression: 'SET #p = :p',
        ExpressionAttributeNames: { '#p': 'profile' },
        ExpressionAttributeValues: {
          ':p': { S: JSON.stringify({ ...ordersProfile(), strategy: { type: 'all-at-once', bake: '1s' } }) },
        },
      }),
    );

    // Act
    const shifted = await makeShiftHandler(deps)(wire).catch((e: unknown) => e);
    const rolledBack = await makeRollbackHandler(deps)({
      ...wire,
      failure: { Error: 'CorruptState', Cause: 'the Shift above' },
    }).catch((e: unknown) => e);

    // Assess
    const sentence = new RegExp(
      `^the profile stored for this release \\(table item execution#${execution.Id} / profile\\) has sha256 [0-9a-f]{64}, not ${wire.profileDigest} as when the release started: it was changed after Prepare wrote it, and a release never goes on with another profile; start a new release$`,
    );
    expect(shifted).toMatchObject({ name: 'CorruptState', message: expect.stringMatching(sentence) });
    expect(rolledBack).toMatchObject({ name: 'CorruptState', message: expect.stringMatching(sentence) });
    expect(router.writes).toEqual([]);
    // The rollback said it started, and why, before it found the profile changed.
    expect(events.map((e) => e.type)).toEqual(['release.planned', 'rollback.started']);
  });
});
