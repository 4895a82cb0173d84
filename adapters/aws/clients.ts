import { AppMeshClient } from '@aws-sdk/client-app-mesh';
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
import { type AwsClientSource, type AwsClientsOptions, awsClientSource } from './client-source.ts';

export type { AwsClientSource, AwsClientsOptions } from './client-source.ts';
export { awsClientSource } from './client-source.ts';

/** Every client by name, and by class (AwsClientSource) for the adapters that ask by class. */
export interface AwsClients extends AwsClientSource {
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
 * Every SDK client the adapters use, by name, each retrying through its own BackoffRetryStrategy and
 * created the first time it is read (the CLI and tests, which use a few of them at a time).
 */
export function createAwsClients(options: AwsClientsOptions = {}): AwsClients {
  const source = awsClientSource(options);
  return {
    client: (Client) => source.client(Client),
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
