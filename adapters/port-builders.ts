import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock, EventSink, ProfileSource, ReleaseDeps } from '#core/ports.ts';
import { routerKinds as registeredKinds } from '#routers/registry.ts';
import type { AwsClientSource } from './aws/client-source.ts';
import { createAlarmHealthSource } from './aws/cloudwatch-alarms.ts';
import { createMetricHealthSource } from './aws/cloudwatch-metrics.ts';
import { createDynamoDbLedger } from './aws/dynamodb-ledger.ts';
import { createDynamoDbReleaseControls } from './aws/dynamodb-release-controls.ts';
import { createDynamoDbReleaseProfiles } from './aws/dynamodb-release-profiles.ts';
import { createDynamoDbReleaseSnapshots } from './aws/dynamodb-release-snapshots.ts';
import { createDynamoDbRouteLocks } from './aws/dynamodb-route-locks.ts';
import type { WebhookTransport } from './webhook/transport.ts';

export interface ReleaseDepsOptions {
  /** The SDK clients, each built when a port first asks for it. */
  readonly aws: AwsClientSource;
  readonly events: EventSink;
  readonly clock: Clock;
  /** The deployed profiles (Prepare and the alarm function read them). */
  readonly profiles: ProfileSource;
  /** How webhook hooks are called; Node's https behind the address policy unless the rehearsal scripts them. */
  readonly webhook?: WebhookTransport;
  /** stepshift's DynamoDB table (STEPSHIFT_TABLE_NAME on AWS). */
  readonly tableName: string;
}

/** How one port is wired to its AWS adapter. */
export type PortBuilder<K extends keyof ReleaseDeps> = (options: ReleaseDepsOptions) => ReleaseDeps[K];

/** Builders for the ports named K, as a function lists them. */
export type PortBuilders<K extends keyof ReleaseDeps> = { readonly [P in K]: PortBuilder<P> };

// One builder per port, each naming only its own SDK client: a Lambda function that lists its ports
// (functions/*.ts) bundles only those adapters and clients, where one factory of every port put
// every client in every function. The ports whose code is imported on first use have modules of
// their own (router-port.ts, hooks-port.ts, lazy-ports.ts): esbuild emits a chunk for every import()
// of a module it bundles, used or not, and a client reached statically from any module (the Lambda
// client, which hooks and the Lambda alias router share) is loaded at start.
export const routerKinds: PortBuilder<'routerKinds'> = () => registeredKinds;
export const health: PortBuilder<'health'> = (o) => {
  const client = o.aws.client(CloudWatchClient);
  return { ...createAlarmHealthSource(client), ...createMetricHealthSource(client) };
};
export const events: PortBuilder<'events'> = (o) => o.events;
export const clock: PortBuilder<'clock'> = (o) => o.clock;
export const profiles: PortBuilder<'profiles'> = (o) => o.profiles;
export const ledger: PortBuilder<'ledger'> = (o) =>
  createDynamoDbLedger(o.aws.client(DynamoDBClient), o.tableName);
export const locks: PortBuilder<'locks'> = (o) =>
  createDynamoDbRouteLocks(o.aws.client(DynamoDBClient), o.tableName);
export const snapshots: PortBuilder<'snapshots'> = (o) =>
  createDynamoDbReleaseSnapshots(o.aws.client(DynamoDBClient), o.tableName, registeredKinds);
export const releaseProfiles: PortBuilder<'releaseProfiles'> = (o) =>
  createDynamoDbReleaseProfiles(o.aws.client(DynamoDBClient), o.tableName, o.clock);
export const controls: PortBuilder<'controls'> = (o) =>
  createDynamoDbReleaseControls(o.aws.client(DynamoDBClient), o.tableName, () => o.clock.now());
/** A promise made on first use and kept: a module imported when a port is first called. */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

/** The ports these builders make, over one set of options. */
export function wirePorts<K extends keyof ReleaseDeps>(
  options: ReleaseDepsOptions,
  builders: PortBuilders<K>,
): Pick<ReleaseDeps, K> {
  const keys = Object.keys(builders) as K[];
  return Object.fromEntries(keys.map((key) => [key, (builders[key] as PortBuilder<K>)(options)])) as Pick<
    ReleaseDeps,
    K
  >;
}
