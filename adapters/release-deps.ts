import type { Clock, EventSink, ProfileSource, ReleaseDeps } from '#core/ports.ts';
import { routerFactory } from '#routers/adapters.ts';
import { routerKinds } from '#routers/registry.ts';
import type { createAwsClients } from './aws/clients.ts';
import { createAlarmHealthSource } from './aws/cloudwatch-alarms.ts';
import { createMetricHealthSource } from './aws/cloudwatch-metrics.ts';
import { createCodeDeployConfigs } from './aws/codedeploy-configs.ts';
import { createDynamoDbLedger } from './aws/dynamodb-ledger.ts';
import { createDynamoDbReleaseControls } from './aws/dynamodb-release-controls.ts';
import { createDynamoDbReleaseProfiles } from './aws/dynamodb-release-profiles.ts';
import { createDynamoDbReleaseSnapshots } from './aws/dynamodb-release-snapshots.ts';
import { createDynamoDbRouteLocks } from './aws/dynamodb-route-locks.ts';
import { createEcsServices } from './aws/ecs-services.ts';
import { createHookRunner } from './aws/lambda-hooks.ts';
import { createSecretValues } from './aws/secrets-manager.ts';
import { createSfnExecutionStatus } from './aws/sfn-execution-status.ts';
import { createSfnTaskCallbacks } from './aws/sfn-task-callbacks.ts';
import type { WebhookTransport } from './webhook/transport.ts';

export interface ReleaseDepsOptions {
  readonly clients: ReturnType<typeof createAwsClients>;
  readonly events: EventSink;
  readonly clock: Clock;
  /** The deployed profiles (Prepare and the alarm function read them). */
  readonly profiles: ProfileSource;
  /** How webhook hooks are called; Node's https behind the address policy unless the rehearsal scripts them. */
  readonly webhook?: WebhookTransport;
  /** stepshift's DynamoDB table (STEPSHIFT_TABLE_NAME on AWS). */
  readonly tableName: string;
}

/**
 * Wires the ports to their AWS adapters. Lambda and the rehearsal both come through here; they differ
 * only in the clients' transport, the clock, the event sink and where profiles come from.
 */
export function createReleaseDeps(options: ReleaseDepsOptions): ReleaseDeps {
  const { clients } = options;
  return {
    routerFor: routerFactory(clients),
    routerKinds,
    health: {
      ...createAlarmHealthSource(clients.cloudWatch),
      ...createMetricHealthSource(clients.cloudWatch),
    },
    events: options.events,
    clock: options.clock,
    profiles: options.profiles,
    ledger: createDynamoDbLedger(clients.dynamoDb, options.tableName),
    locks: createDynamoDbRouteLocks(clients.dynamoDb, options.tableName),
    snapshots: createDynamoDbReleaseSnapshots(clients.dynamoDb, options.tableName, routerKinds),
    releaseProfiles: createDynamoDbReleaseProfiles(clients.dynamoDb, options.tableName, options.clock),
    executions: createSfnExecutionStatus(clients.stepFunctions),
    controls: createDynamoDbReleaseControls(clients.dynamoDb, options.tableName, () => options.clock.now()),
    callbacks: createSfnTaskCallbacks(clients.stepFunctions),
    ecs: createEcsServices(clients.ecs),
    hooks: createHookRunner(clients.lambda, {
      ...(options.webhook === undefined ? {} : { webhook: options.webhook }),
      secrets: createSecretValues(clients.secretsManager, () => options.clock.now()),
      now: () => options.clock.now(),
    }),
    deploymentConfigs: createCodeDeployConfigs(clients.codeDeploy),
  };
}
