import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDynamoDbReleaseControls } from '#adapters/aws/dynamodb-release-controls.ts';
import { createSfnTaskCallbacks } from '#adapters/aws/sfn-task-callbacks.ts';
import { operate } from '#core/release/operate.ts';
import { ordersProfile } from '../support/profiles.ts';

/**
 * A task token lets whoever may call SendTaskSuccess or SendTaskFailure end the bake it belongs to, so
 * none may reach a log line. The functions that hold one (Bake, the alarm function) and the operator
 * commands run here with production wiring and a Step Functions that echoes the token in its errors, as
 * its TaskTimedOut answer does; every line written to stdout or stderr, and every error as the Lambda
 * runtime would log it (name, message, stack), is searched for the token.
 */
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAc4Zz3secret-task-token-of-the-bake';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:stepshift:r1';

const dynamo = mockClient(DynamoDBClient);
const sfn = mockClient(SFNClient);
const eventBridge = mockClient(EventBridgeClient);

/** What Step Functions answers for a token it will not take, naming the token, as its errors do. */
function refusing(name: string, fault: 'client' | 'server') {
  return new SFNServiceException({
    name,
    $fault: fault,
    message: `Provided task token is not valid: '${TOKEN}'`,
    $metadata: { httpStatusCode: fault === 'server' ? 500 : 400 },
  });
}

/** The release's controls with the bake's token and an operator's promote that came between bakes. */
const control = {
  pk: { S: 'control#r1' },
  sk: { S: 'control' },
  releaseId: { S: 'r1' },
  service: { S: 'orders' },
  executionId: { S: EXECUTION },
  taskToken: { S: TOKEN },
  promote: { S: JSON.stringify({ at: '2026-01-01T00:02:00.000Z', full: false }) },
};

/** Everything written to stdout and stderr while the handlers ran. */
const written: string[] = [];

/** An error as the Lambda runtime logs it and hands it to Step Functions (the task's Cause). */
function asLogged(error: unknown): string {
  const e = error as Error;
  return JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: e.stack?.split('\n') });
}

describe('task tokens never reach a log line', () => {
  beforeAll(() => {
    const layer = mkdtempSync(join(tmpdir(), 'stepshift-layer-'));
    writeFileSync(join(layer, 'profiles.json'), JSON.stringify([ordersProfile()]));
    vi.stubEnv('STEPSHIFT_PROFILES_FILE', join(layer, 'profiles.json'));
    vi.stubEnv('STEPSHIFT_TABLE_NAME', 'stepshift-releases');
    vi.stubEnv('STEPSHIFT_EVENT_BUS_NAME', 'stepshift');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    // Asked of Powertools by an operator who wants to see events: no handler logs its event anyway.
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
    }
  });

  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  beforeEach(() => {
    dynamo.reset();
    sfn.reset();
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    written.length = 0;
  });

  it('the bake: recording its token and ending its own wait, refused by Step Functions', async () => {
    // Prepare
    dynamo.on(UpdateItemCommand).resolves({ Attributes: control });
    sfn.on(SendTaskSuccessCommand).rejects(refusing('InvalidToken', 'client'));
    const { handler: bake } = await import('#functions/bake.ts');
    const release = {
      v: 2,
      releaseId: 'r1',
      executionId: EXECUTION,
      service: 'orders',
      version: 'v2',
      profileDigest: '0'.repeat(64),
      plan: { steps: [{ weight: 10, checkSeconds: [300] }] },
      cast: { stable: 'orders-v1', canary: 'orders-v2' },
      snapshot: [{ name: 'orders-v1', weight: 100 }],
      written: [{ name: 'orders-v1', weight: 90 }],
      step: 0,
      check: 0,
      failedChecks: 0,
      checkedAt: '2026-01-01T00:00:00.000Z',
      bakeSeconds: 300,
      next: 'bake',
    };

    // Act
    const error = await bake({ taskToken: TOKEN, release }).catch((e: unknown) => e);

    // Assess
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe(TOKEN);
    expect(error).toMatchObject({ name: 'InvalidToken' });
    expect(asLogged(error)).not.toContain(TOKEN);
    expect(asLogged(error)).toContain('<task token>');
    expect(written.join('')).toContain('bake.started');
    expect(written.join('')).not.toContain(TOKEN);
  });

  it('the bake: a DynamoDB error that names the token as it records it', async () => {
    dynamo.on(UpdateItemCommand).rejects(
      Object.assign(new Error(`One or more parameter values were invalid: ${TOKEN}`), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { handler: bake } = await import('#functions/bake.ts');
    const error = await bake({
      taskToken: TOKEN,
      release: {
        v: 2,
        releaseId: 'r1',
        executionId: EXECUTION,
        plan: { steps: [] },
        snapshot: [],
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect(asLogged(error)).not.toContain(TOKEN);
    expect(written.join('')).not.toContain(TOKEN);
  });

  it('the alarm function: failing the bake of the release that reads the alarm, Step Functions failing', async () => {
    dynamo
      .on(GetItemCommand, { Key: { pk: { S: 'running#orders' }, sk: { S: 'release' } } })
      .resolves({ Item: { releaseId: { S: 'r1' }, executionId: { S: EXECUTION } } })
      .on(GetItemCommand, { Key: { pk: { S: 'control#r1' }, sk: { S: 'control' } } })
      .resolves({ Item: control });
    sfn.on(SendTaskFailureCommand).rejects(refusing('ServiceUnavailable', 'server'));
    const { handler: alarm } = await import('#functions/alarm.ts');

    const error = await alarm({
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      detail: { alarmName: 'orders-5xx', state: { value: 'ALARM', timestamp: '2026-01-01T00:03:00.000Z' } },
    }).catch((e: unknown) => e);

    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input.taskToken).toBe(TOKEN);
    expect(error).toMatchObject({ name: 'ExecutionsUnavailable' });
    expect(asLogged(error)).not.toContain(TOKEN);
    expect(written.join('')).not.toContain(TOKEN);
  });

  it('the operator commands: abort and promote, Step Functions refusing the token', async () => {
    dynamo.on(UpdateItemCommand).resolves({ Attributes: control });
    sfn.on(SendTaskFailureCommand).rejects(refusing('InvalidToken', 'client'));
    sfn.on(SendTaskSuccessCommand).rejects(refusing('InvalidToken', 'client'));
    const client = { dynamo: new DynamoDBClient({}), sfn: new SFNClient({}) };
    const deps = {
      controls: createDynamoDbReleaseControls(client.dynamo, 'stepshift-releases', () => new Date(0)),
      callbacks: createSfnTaskCallbacks(client.sfn),
      clock: { now: () => new Date(0) },
      events: { emit: () => {} },
    };
    for (const command of ['abort', 'promote'] as const) {
      const error = await operate(command, 'r1', { by: 'alice' }, deps).catch((e: unknown) => e);
      expect(error, command).toMatchObject({ name: 'InvalidToken' });
      expect(asLogged(error), command).not.toContain(TOKEN);
    }
  });
});
