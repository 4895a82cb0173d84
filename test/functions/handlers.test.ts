import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppMeshClient,
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  UpdateRouteCommand,
  type WeightedTarget,
} from '@aws-sdk/client-app-mesh';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { routeData } from '../routers/route-fixtures.ts';
import { ordersProfile } from '../support/profiles.ts';

// The Lambda entry points as Lambda runs them: production wiring, profiles from the environment,
// the real adapters over SDK clients (mocked here at the client, not the transport).
const appMesh = mockClient(AppMeshClient);
const cloudWatch = mockClient(CloudWatchClient);
const dynamo = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);

const route = (weightedTargets: WeightedTarget[], version: number) => ({
  route: routeData({ httpRoute: { match: { prefix: '/' }, action: { weightedTargets } } }, version),
});

describe('Lambda handlers with production wiring', () => {
  const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

  beforeAll(() => {
    // The profiles layer's file, as Lambda extracts it under /opt for Prepare and the alarm function.
    const layer = mkdtempSync(join(tmpdir(), 'stepshift-layer-'));
    writeFileSync(join(layer, 'profiles.json'), JSON.stringify([ordersProfile()]));
    vi.stubEnv('STEPSHIFT_PROFILES_FILE', join(layer, 'profiles.json'));
    vi.stubEnv('STEPSHIFT_TABLE_NAME', 'stepshift-releases');
    vi.stubEnv('STEPSHIFT_EVENT_BUS_NAME', 'stepshift');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    log.mockRestore();
  });

  it("prepare, then shift: reads the profile from the profiles layer's file, stores it, and shift loads it from the table", async () => {
    // Prepare
    appMesh.on(DescribeRouteCommand).resolves(route([{ virtualNode: 'orders-v1', weight: 100 }], 1));
    appMesh.on(DescribeVirtualNodeCommand).resolves({});
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'OK' }] });
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(TransactWriteItemsCommand).resolves({});
    dynamo.on(GetItemCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const { handler: prepare } = await import('#functions/prepare.ts');
    const { handler: shift } = await import('#functions/shift.ts');

    // Act
    const state = await prepare({
      request: { service: 'orders', version: 'v2' },
      execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:stepshift:r9', Name: 'r9' },
    });
    appMesh.reset(); // resolvesOnce counts calls from the last reset
    appMesh
      .on(DescribeRouteCommand)
      .resolvesOnce(route([{ virtualNode: 'orders-v1', weight: 100 }], 1))
      .resolves(
        route(
          [
            { virtualNode: 'orders-v1', weight: 90 },
            { virtualNode: 'orders-v2', weight: 10 },
          ],
          2,
        ),
      );
    appMesh.on(UpdateRouteCommand).resolves({});
    // Shift checks, right before and after it writes, that the route's lock still names it at its fence.
    const lockItem =
      dynamo.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item;
    // and it loads the profile Prepare stored, by execution, from the table.
    const stored = dynamo.commandCalls(PutItemCommand).find((c) => c.args[0].input.Item?.sk?.S === 'profile')
      ?.args[0].input.Item;
    dynamo.on(GetItemCommand).callsFake((input: { Key?: { sk?: { S?: string } } }) => ({
      Item: input.Key?.sk?.S === 'profile' ? stored : lockItem,
    }));
    const shifted = await shift(state);

    // Assess
    expect(state).toMatchObject({ releaseId: 'r9', cast: { stable: 'orders-v1', canary: 'orders-v2' } });
    // The state carries the profile's digest, not the profile.
    expect(state).not.toHaveProperty('profile');
    expect(state.profileDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(shifted.profileDigest).toBe(state.profileDigest);
    expect(shifted.written).toEqual([
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10 },
    ]);
    expect(
      appMesh.commandCalls(UpdateRouteCommand)[0]?.args[0].input.spec?.httpRoute?.action?.weightedTargets,
    ).toEqual([
      { virtualNode: 'orders-v1', weight: 90 },
      { virtualNode: 'orders-v2', weight: 10 },
    ]);
    // The route's lock and the snapshot for the guard (one transaction), the release id's claim, then
    // the release's controls (by release id, and which release of the service runs): in that order.
    expect(
      dynamo
        .commandCalls(TransactWriteItemsCommand)
        .flatMap((c) => c.args[0].input.TransactItems ?? [])
        .map((i) => [i.Put?.TableName, i.Put?.Item?.pk?.S]),
    ).toEqual([
      ['stepshift-releases', `route#${route([], 1).route.metadata?.arn}`],
      ['stepshift-releases', 'execution#arn:aws:states:us-east-1:123456789012:execution:stepshift:r9'],
    ]);
    // Then the profile the release runs with, the release id's claim and the controls.
    expect(
      dynamo
        .commandCalls(PutItemCommand)
        .map((c) => [c.args[0].input.TableName, c.args[0].input.Item?.pk?.S]),
    ).toEqual([
      ['stepshift-releases', 'execution#arn:aws:states:us-east-1:123456789012:execution:stepshift:r9'],
      ['stepshift-releases', 'release#orders#r9'],
      ['stepshift-releases', 'control#r9'],
      ['stepshift-releases', 'running#orders'],
    ]);
    expect(dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.sk?.S)).toEqual([
      'profile',
      'release',
      'control',
      'release',
    ]);
    expect(
      eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.[0]?.DetailType),
    ).toEqual(['Release Started', 'Traffic Shifted']);
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    expect(lines.map((l) => l.message)).toEqual(['release.planned', 'traffic.shifted']);
    expect(lines[1]).toMatchObject({
      level: 'INFO',
      service: 'stepshift',
      releaseId: 'r9',
      releasedService: 'orders',
    });
  });

  it('names the services that have profiles when asked for another', async () => {
    const { handler: prepare } = await import('#functions/prepare.ts');
    await expect(
      prepare({ request: { service: 'payments', version: 'v1' }, execution: { Id: 'x', Name: 'r10' } }),
    ).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('profiles exist for: orders'),
    });
  });
});
