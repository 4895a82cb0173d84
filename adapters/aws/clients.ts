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

/**
 * The SDK clients the adapters use, each retrying through its own BackoffRetryStrategy. Each is
 * created the first time it is read, so a caller that needs two of them builds two.
 */
export function createAwsClients(options: AwsClientsOptions = {}): AwsClients {
  const config = () => {
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
  };
  const made = new Map<keyof AwsClients, AwsClients[keyof AwsClients]>();
  const lazy = <K extends keyof AwsClients>(key: K, make: () => AwsClients[K]): AwsClients[K] => {
    if (!made.has(key)) made.set(key, make());
    return made.get(key) as AwsClients[K];
  };
  return {
    get appMesh() {
      return lazy('appMesh', () => new AppMeshClient(config()));
    },
    get vpcLattice() {
      return lazy('vpcLattice', () => new VPCLatticeClient(config()));
    },
    get elbv2() {
      return lazy('elbv2', () => new ElasticLoadBalancingV2Client(config()));
    },
    get cloudWatch() {
      return lazy('cloudWatch', () => new CloudWatchClient(config()));
    },
    get eventBridge() {
      return lazy('eventBridge', () => new EventBridgeClient(config()));
    },
    get dynamoDb() {
      return lazy('dynamoDb', () => new DynamoDBClient(config()));
    },
    get stepFunctions() {
      return lazy('stepFunctions', () => new SFNClient(config()));
    },
    get ecs() {
      return lazy('ecs', () => new ECSClient(config()));
    },
    get lambda() {
      return lazy('lambda', () => new LambdaClient(config()));
    },
    get codeDeploy() {
      return lazy('codeDeploy', () => new CodeDeployClient(config()));
    },
    get secretsManager() {
      return lazy('secretsManager', () => new SecretsManagerClient(config()));
    },
  };
}
