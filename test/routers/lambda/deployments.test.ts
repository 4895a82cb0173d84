import {
  CodeDeployClient,
  CodeDeployServiceException,
  DeploymentGroupDoesNotExistException,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ProvisionedConcurrencyConfigNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsClientSource } from '#adapters/aws/client-source.ts';
import { RouterUnavailableError, UnsupportedRouteError } from '#core/errors.ts';
import { activeDeploymentsOver } from '#routers/lambda/deployments.ts';
import { createLambdaRouter, lambdaRouterOver } from '#routers/lambda/router.ts';

const lambda = mockClient(LambdaClient);
const codeDeploy = mockClient(CodeDeployClient);
const meta = { $metadata: {} };
const group = { application: 'orders', deploymentGroup: 'orders-live' };

function router(withGroup = true) {
  const aws = awsClientSource({ region: 'us-east-1', retry: { maxAttempts: 1 } });
  return lambdaRouterOver(
    aws,
    {
      type: 'lambda',
      functionName: 'orders-api',
      alias: 'live',
      ...(withGroup ? { codeDeploy: group } : {}),
    },
    activeDeploymentsOver(aws),
  );
}

beforeEach(() => {
  lambda.reset();
  codeDeploy.reset();
  lambda.on(GetAliasCommand).resolves({
    ...meta,
    Name: 'live',
    FunctionVersion: '6',
    RoutingConfig: { AdditionalVersionWeights: {} },
    RevisionId: 'rev-1',
  });
  lambda
    .on(GetFunctionConfigurationCommand)
    .resolves({ ...meta, Role: 'arn:aws:iam::111122223333:role/orders' });
  lambda
    .on(GetProvisionedConcurrencyConfigCommand)
    .rejects(new ProvisionedConcurrencyConfigNotFoundException({ $metadata: {}, message: 'none' }));
});

describe("Prepare's look at the CodeDeploy deployment group a profile names", () => {
  it('refuses while a deployment has not ended, naming every one, read page by page', async () => {
    codeDeploy
      .on(ListDeploymentsCommand)
      .resolvesOnce({ ...meta, deployments: ['d-ABCDEF123'], nextToken: 'page-2' })
      .resolvesOnce({ ...meta, deployments: ['d-XYZ987654'] });
    const r = router();

    const problems = await r.releaseProblems?.(await r.read(), '7');

    expect(problems).toEqual([
      'CodeDeploy deployment group "orders-live" of application "orders" has deployments not yet ended (d-ABCDEF123, d-XYZ987654) that may be shifting alias "live"; wait for them to end or stop them (aws deploy stop-deployment --deployment-id d-ABCDEF123), then release again',
    ]);
    const inputs = codeDeploy.commandCalls(ListDeploymentsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      {
        applicationName: 'orders',
        deploymentGroupName: 'orders-live',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
      },
      {
        applicationName: 'orders',
        deploymentGroupName: 'orders-live',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
        nextToken: 'page-2',
      },
    ]);
  });

  it('has nothing to say when every deployment of the group has ended', async () => {
    codeDeploy.on(ListDeploymentsCommand).resolves({ ...meta, deployments: [] });
    const r = router();

    expect(await r.releaseProblems?.(await r.read(), '7')).toEqual([]);
  });

  it('never calls CodeDeploy for a profile that names no deployment group', async () => {
    codeDeploy.on(ListDeploymentsCommand).resolves({ ...meta, deployments: ['d-ABCDEF123'] });
    const r = router(false);

    expect(await r.releaseProblems?.(await r.read(), '7')).toEqual([]);
    expect(codeDeploy.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });

  it('refuses to skip the check where it was given no way to read deployments, rather than pass silently', async () => {
    const r = createLambdaRouter(new LambdaClient({ region: 'us-east-1' }), {
      type: 'lambda',
      functionName: 'orders-api',
      alias: 'live',
      codeDeploy: group,
    });

    await expect(r.releaseProblems?.(await r.read(), '7')).rejects.toBeInstanceOf(UnsupportedRouteError);
  });

  it('says so when CodeDeploy has no such group', async () => {
    codeDeploy
      .on(ListDeploymentsCommand)
      .rejects(new DeploymentGroupDoesNotExistException({ $metadata: {}, message: 'No group found' }));
    const r = router();

    expect(await r.releaseProblems?.(await r.read(), '7')).toEqual([
      'router.codeDeploy names CodeDeploy deployment group "orders-live" of application "orders", which CodeDeploy does not have (No group found); name the group that deploys alias "live", or remove router.codeDeploy',
    ]);
  });

  const failure = (name: string) =>
    new CodeDeployServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} here` });

  it('takes throttling that outlived the retries as the router unavailable, as every route call', async () => {
    codeDeploy.on(ListDeploymentsCommand).rejects(failure('ThrottlingException'));
    const r = router();

    await expect(r.releaseProblems?.(await r.read(), '7')).rejects.toBeInstanceOf(RouterUnavailableError);
  });

  it("lets IAM's refusal go on by its name, for Prepare to say which permission is missing", async () => {
    codeDeploy.on(ListDeploymentsCommand).rejects(failure('AccessDeniedException'));
    const r = router();

    await expect(r.releaseProblems?.(await r.read(), '7')).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
