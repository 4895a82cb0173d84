import { AppMeshClient, type AppMeshClientConfig } from '@aws-sdk/client-app-mesh';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
import { type BackoffRetryOptions, BackoffRetryStrategy } from './retry.ts';

export interface AwsClientsOptions {
  readonly region?: string;
  /** Replaces only the transport: an object with `handle(request)`, as the rehearsal's simulated AWS. */
  readonly requestHandler?: AppMeshClientConfig['requestHandler'];
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly retry?: BackoffRetryOptions;
  /** A named profile of the shared config files (the CLI's --profile); the SDK's chain otherwise. */
  readonly profile?: string;
  /** Every call goes to this URL instead of the service's endpoint (the CLI's --endpoint-url). */
  readonly endpoint?: string;
}

export interface AwsClients {
  readonly appMesh: AppMeshClient;
  readonly vpcLattice: VPCLatticeClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudWatch: CloudWatchClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamoDb: DynamoDBClient;
  readonly stepFunctions: SFNClient;
  readonly ecs: ECSClient;
  readonly lambda: LambdaClient;
  readonly codeDeploy: CodeDeployClient;
  readonly secretsManager: SecretsManagerClient;
}

/** What every client is built with: its own retry strategy and the caller's options. */
export type AwsClientConfig = ReturnType<typeof clientConfig>;

function clientConfig(options: AwsClientsOptions) {
  const retryStrategy = new BackoffRetryStrategy(options.retry);
  return {
    retryStrategy,
    // Only the amz-sdk-request header reads this; the strategy itself decides when to stop.
    maxAttempts: retryStrategy.maxAttempts,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.requestHandler === undefined ? {} : { requestHandler: options.requestHandler }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
}

/**
 * Each SDK client, by its class, built the first time an adapter asks for it and shared after that.
 * Adapters name the class they use, so a Lambda function's bundle holds only the clients its ports
 * ask for (functions/*.ts list their ports).
 */
export interface AwsClientSource {
  client<C>(Client: new (config: AwsClientConfig) => C): C;
}

export function awsClientSource(options: AwsClientsOptions = {}): AwsClientSource {
  const made = new Map<unknown, unknown>();
  return {
    client<C>(Client: new (config: AwsClientConfig) => C): C {
      if (!made.has(Client)) made.set(Client, new Client(clientConfig(options)));
      return made.get(Client) as C;
    },
  };
}

/**
 * Every SDK client the adapters use, by name, each retrying through its own BackoffRetryStrategy and
 * created the first time it is read (the CLI and tests, which use a few of them at a time).
 */
export function createAwsClients(from: AwsClientsOptions | AwsClientSource = {}): AwsClients {
  const source = 'client' in from ? from : awsClientSource(from);
  return {
    get appMesh() {
      return source.client(AppMeshClient);
    },
    get vpcLattice() {
      return source.client(VPCLatticeClient);
    },
    get elbv2() {
      return source.client(ElasticLoadBalancingV2Client);
    },
    get cloudWatch() {
      return source.client(CloudWatchClient);
    },
    get eventBridge() {
      return source.client(EventBridgeClient);
    },
    get dynamoDb() {
      return source.client(DynamoDBClient);
    },
    get stepFunctions() {
      return source.client(SFNClient);
    },
    get ecs() {
      return source.client(ECSClient);
    },
    get lambda() {
      return source.client(LambdaClient);
    },
    get codeDeploy() {
      return source.client(CodeDeployClient);
    },
    get secretsManager() {
      return source.client(SecretsManagerClient);
    },
  };
}
