import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReleaseControl, ReleaseControls } from '#core/ports.ts';

import { withoutTaskToken } from './aws-errors.ts';
import { expiresAt, type Item, ifCondition, keyOf, onTable } from './dynamodb-items.ts';

/** Requests (and the release's alarms) are kept as JSON text: each is small, and read whole. */
const REQUESTS = ['abort', 'promote', 'paused', 'resumed', 'approved', 'rejected', 'alarms'] as const;

function controlOf(item: Item): ReleaseControl {
  const text = (name: string) => item[name]?.S;
  const requests = Object.fromEntries(
    REQUESTS.flatMap((name) => {
      const json = text(name);
      return json ? [[name, JSON.parse(json) as unknown]] : [];
    }),
  );
  const token = text('taskToken');
  const since = text('waitingSince');
  return {
    releaseId: text('releaseId') ?? '',
    service: text('service') ?? '',
    executionId: text('executionId') ?? '',
    ...(token ? { taskToken: token } : {}),
    ...(since ? { waitingSince: since } : {}),
    ...requests,
  };
}

/**
 * Release controls in stepshift's table: one item per running release (pk "control#<releaseId>") with
 * the task token of the bake it waits in and what people asked of it, and one per service
 * (pk "running#<service>") naming the release that runs, for alarms, which know only their name.
 * Writes are conditional on the execution, so an ended release's late write never lands on the next
 * one's controls. Items expire after 90 days should a release end without closing them.
 */
export function createDynamoDbReleaseControls(
  client: DynamoDBClient,
  tableName: string,
  now: () => Date,
): ReleaseControls {
  const controlKey = (releaseId: string) => keyOf(`control#${releaseId}`, 'control');
  const runningKey = (service: string) => keyOf(`running#${service}`, 'release');
  const get = async (releaseId: string) => {
    const found = await client.send(
      new GetItemCommand({ TableName: tableName, Key: controlKey(releaseId), ConsistentRead: true }),
    );
    return found.Item ? controlOf(found.Item) : undefined;
  };
  return {
    open: (control, replacing) =>
      onTable(`opening the controls of ${control.releaseId} in ${tableName}`, async () => {
        const ttl = expiresAt(now().toISOString());
        const strings = {
          releaseId: { S: control.releaseId },
          service: { S: control.service },
          executionId: { S: control.executionId },
        };
        const opened = await ifCondition(() =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                ...controlKey(control.releaseId),
                ...strings,
                ...(control.alarms ? { alarms: { S: JSON.stringify(control.alarms) } } : {}),
                expiresAt: ttl,
              },
              ConditionExpression: `attribute_not_exists(pk) OR executionId = :me${replacing ? ' OR executionId = :stale' : ''}`,
              ExpressionAttributeValues: {
                ':me': { S: control.executionId },
                ...(replacing ? { ':stale': { S: replacing } } : {}),
              },
            }),
          ),
        );
        if (!opened) return (await get(control.releaseId)) ?? control;
        // The route lock already makes this the only running release of the service.
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...runningKey(control.service), ...strings, expiresAt: ttl },
          }),
        );
        return control;
      }),
    waiting: (releaseId, executionId, taskToken, since) =>
      // The token is a capability to end the bake: an error that echoes it must not carry it to a log.
      onTable(`recording the bake of ${releaseId} in ${tableName}`, async () => {
        let attributes: Item | undefined;
        const recorded = await ifCondition(async () => {
          const result = await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: controlKey(releaseId),
              UpdateExpression: 'SET taskToken = :token, waitingSince = :since',
              ConditionExpression: 'executionId = :me',
              ExpressionAttributeValues: {
                ':token': { S: taskToken },
                ':since': { S: since },
                ':me': { S: executionId },
              },
              ReturnValues: 'ALL_NEW',
            }),
          );
          attributes = result.Attributes;
        });
        return recorded && attributes ? controlOf(attributes) : undefined;
      }).catch((error: unknown) => {
        throw withoutTaskToken(error, taskToken);
      }),
    get: (releaseId) => onTable(`reading the controls of ${releaseId} in ${tableName}`, () => get(releaseId)),
    forService: (service) =>
      onTable(`reading which release of ${service} runs, in ${tableName}`, async () => {
        const found = await client.send(
          new GetItemCommand({ TableName: tableName, Key: runningKey(service), ConsistentRead: true }),
        );
        const releaseId = found.Item?.releaseId?.S;
        if (!releaseId) return undefined;
        const control = await get(releaseId);
        // A release id reused by another service's release: not this service's.
        return control?.service === service && control.executionId === found.Item?.executionId?.S
          ? control
          : undefined;
      }),
    request: (releaseId, change) =>
      onTable(`recording a request to ${releaseId} in ${tableName}`, async () => {
        const sets = Object.entries(change).filter(([, value]) => value !== null);
        const removes = Object.entries(change).filter(([, value]) => value === null);
        // Attribute names go through placeholders: "abort" is one of DynamoDB's reserved words.
        const update = [
          sets.length ? `SET ${sets.map(([name]) => `#${name} = :${name}`).join(', ')}` : '',
          removes.length ? `REMOVE ${removes.map(([name]) => `#${name}`).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        let attributes: Item | undefined;
        const recorded = await ifCondition(async () => {
          const result = await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: controlKey(releaseId),
              UpdateExpression: update,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: Object.fromEntries(
                Object.keys(change).map((name) => [`#${name}`, name]),
              ),
              ExpressionAttributeValues: Object.fromEntries(
                sets.map(([name, value]) => [`:${name}`, { S: JSON.stringify(value) }]),
              ),
              ReturnValues: 'ALL_NEW',
            }),
          );
          attributes = result.Attributes;
        });
        return recorded && attributes ? controlOf(attributes) : undefined;
      }),
    close: (releaseId, service, executionId) =>
      onTable(`closing the controls of ${releaseId} in ${tableName}`, async () => {
        const mine = {
          ConditionExpression: 'executionId = :me',
          ExpressionAttributeValues: { ':me': { S: executionId } },
        };
        await ifCondition(() =>
          client.send(new DeleteItemCommand({ TableName: tableName, Key: controlKey(releaseId), ...mine })),
        );
        await ifCondition(() =>
          client.send(new DeleteItemCommand({ TableName: tableName, Key: runningKey(service), ...mine })),
        );
      }),
  };
}
