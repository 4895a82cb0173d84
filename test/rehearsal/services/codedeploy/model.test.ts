import {
  CodeDeployClient,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { createCodeDeployConfigs } from '#adapters/aws/codedeploy-configs.ts';
import { PREDEFINED_CONFIGS } from '#core/codedeploy-configs.ts';
import { describeIssues } from '#core/validation.ts';
import { type WorldInput, worldSchema } from '#rehearsal/script/world.ts';
import { failureOf, simulate } from '../../support.ts';

const CANARY = {
  deploymentConfigName: 'orders-canary',
  computePlatform: 'ECS',
  trafficRoutingConfig: {
    type: 'TimeBasedCanary',
    timeBasedCanary: { canaryPercentage: 20, canaryInterval: 7 },
  },
} as const;

/** The real CodeDeploy client over the simulated AWS, one attempt per call. */
function codeDeployIn(world: WorldInput) {
  const simulation = simulate(world);
  const client = new CodeDeployClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: simulation.sim.requestHandler,
    maxAttempts: 1,
  });
  return { ...simulation, client };
}

function problems(world: unknown): string[] {
  const result = worldSchema.safeParse(world);
  return result.success ? [] : describeIssues(result.error, 'world');
}

describe('the simulated CodeDeploy', () => {
  it("answers for every predefined configuration stepshift plans with, with the same routing as stepshift's table", async () => {
    const { client } = codeDeployIn({});
    const configs = createCodeDeployConfigs(client);
    for (const [name, routing] of Object.entries(PREDEFINED_CONFIGS)) {
      expect(await configs.trafficRouting(name), name).toEqual({ found: 'traffic-routing', routing });
    }
  });

  it('answers GetDeploymentConfig from world.codedeploy, as the SDK parses it', async () => {
    const { client, sim } = codeDeployIn({ codedeploy: { configs: [CANARY] } });
    const answer = await client.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'orders-canary' }),
    );
    expect(answer.deploymentConfigInfo).toMatchObject(CANARY);
    expect(answer.deploymentConfigInfo?.createTime).toBeInstanceOf(Date);
    expect(sim.calls.map((c) => [c.service, c.operation, c.input])).toEqual([
      ['codedeploy', 'GetDeploymentConfig', { deploymentConfigName: 'orders-canary' }],
    ]);
  });

  it("answers for CodeDeploy's own configurations too", async () => {
    const { client } = codeDeployIn({});
    const answer = await client.send(
      new GetDeploymentConfigCommand({
        deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      }),
    );
    expect(answer.deploymentConfigInfo).toMatchObject({
      computePlatform: 'Lambda',
      trafficRoutingConfig: {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 1 },
      },
    });
  });

  it('answers DeploymentConfigDoesNotExistException for a name it does not hold', async () => {
    const { client } = codeDeployIn({ codedeploy: { configs: [CANARY] } });
    const error = await failureOf(
      client.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'gone' })),
    );
    expect(error.name).toBe('DeploymentConfigDoesNotExistException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('fails the calls a scenario faults', async () => {
    const { client, sim } = codeDeployIn({
      codedeploy: { configs: [CANARY] },
      faults: [{ operation: 'GetDeploymentConfig', call: 1, error: 'ThrottlingException' }],
    });
    const error = await failureOf(
      client.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'orders-canary' })),
    );
    expect(error.name).toBe('ThrottlingException');
    expect(error.message).toContain('(fault injected by the scenario: call 1 of GetDeploymentConfig)');
    const again = await client.send(
      new GetDeploymentConfigCommand({ deploymentConfigName: 'orders-canary' }),
    );
    expect(again.deploymentConfigInfo?.deploymentConfigName).toBe('orders-canary');
    expect(sim.calls.map((c) => c.error?.name)).toEqual(['ThrottlingException', undefined]);
  });
});

describe("the simulated CodeDeploy's deployments", () => {
  const deployment = (deploymentId: string, deploymentGroupName: string, status: string) => ({
    deploymentId,
    applicationName: 'orders',
    deploymentGroupName,
    status,
  });
  const world = {
    codedeploy: {
      deployments: [
        deployment('d-DONE00001', 'orders-live', 'Succeeded'),
        deployment('d-RUNS00002', 'orders-live', 'InProgress'),
        deployment('d-BAKE00003', 'orders-live', 'Baking'),
        deployment('d-ELSE00004', 'orders-beta', 'InProgress'),
      ],
    },
  } as WorldInput;
  const listOf = (input: Record<string, unknown>) =>
    new ListDeploymentsCommand({ applicationName: 'orders', deploymentGroupName: 'orders-live', ...input });

  it("answers ListDeployments with the group's deployments in the statuses asked for", async () => {
    const { client } = codeDeployIn(world);

    const unfinished = await client.send(listOf({ includeOnlyStatuses: ['InProgress', 'Baking'] }));
    const all = await client.send(listOf({}));
    const none = await client.send(listOf({ deploymentGroupName: 'orders-other' }));

    expect(unfinished.deployments).toEqual(['d-RUNS00002', 'd-BAKE00003']);
    expect(all.deployments).toEqual(['d-DONE00001', 'd-RUNS00002', 'd-BAKE00003']);
    expect(none.deployments).toEqual([]);
  });

  it('fails the ListDeployments calls a scenario faults', async () => {
    const { client } = codeDeployIn({
      ...world,
      faults: [{ operation: 'ListDeployments', call: 1, error: 'AccessDeniedException' }],
    });

    const error = await failureOf(client.send(listOf({})));

    expect(error.name).toBe('AccessDeniedException');
    expect((await client.send(listOf({}))).deployments).toHaveLength(3);
  });

  it('refuses a deployment in a status CodeDeploy does not have', () => {
    expect(problems({ codedeploy: { deployments: [deployment('d-1', 'g', 'Running')] } })).toEqual([
      'world.codedeploy.deployments[0].status: "Running" is not a deployment status; use one of: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped',
    ]);
  });
});

describe('world.codedeploy errors name what is wrong and what is allowed', () => {
  it('a Server configuration with a traffic routing, and an ECS one without', () => {
    expect(
      problems({
        codedeploy: {
          configs: [
            { ...CANARY, deploymentConfigName: 'a', computePlatform: 'Server' },
            { deploymentConfigName: 'b', computePlatform: 'ECS' },
          ],
        },
      }),
    ).toEqual([
      'world.codedeploy.configs[0].trafficRoutingConfig: is for ECS and Lambda configurations; a Server configuration gives minimumHealthyHosts',
      'world.codedeploy.configs[1].trafficRoutingConfig: is missing; an ECS configuration says how it shifts traffic',
    ]);
  });

  it('a predefined name, a repeated name, a missing canary block and an unknown field', () => {
    expect(problems({ codedeploy: { config: [] } })).toEqual([
      'world.codedeploy: has unknown field "config"; the codedeploy block takes only configs, deployments',
    ]);
    expect(
      problems({
        codedeploy: {
          configs: [
            { ...CANARY, deploymentConfigName: 'CodeDeployDefault.Mine' },
            CANARY,
            CANARY,
            {
              deploymentConfigName: 'c',
              computePlatform: 'Lambda',
              trafficRoutingConfig: { type: 'TimeBasedCanary' },
            },
          ],
        },
      }),
    ).toEqual([
      'world.codedeploy.configs[0].deploymentConfigName: "CodeDeployDefault.Mine" starts with "CodeDeployDefault.", which CodeDeploy keeps for its predefined configurations; give a custom name',
      'world.codedeploy.configs[3].trafficRoutingConfig.timeBasedCanary: is missing; a TimeBasedCanary configuration gives its timeBasedCanary',
      'world.codedeploy.configs[2].deploymentConfigName: repeats a configuration name; names are unique in an account and region',
    ]);
  });
});
