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

/** The SDK clients the adapters use, each retrying through its own BackoffRetryStrategy. */
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
    };
  };
  return {
    appMesh: new AppMeshClient(config()),
    vpcLattice: new VPCLatticeClient(config()),
    elbv2: new ElasticLoadBalancingV2Client(config()),
    cloudWatch: new CloudWatchClient(config()),
    eventBridge: new EventBridgeClient(config()),
    dynamoDb: new DynamoDBClient(config()),
    stepFunctions: new SFNClient(config()),
    ecs: new ECSClient(config()),
    lambda: new LambdaClient(config()),
    codeDeploy: new CodeDeployClient(config()),
    secretsManager: new SecretsManagerClient(config()),
  };
}
