import {
  CodeDeployClient,
  CodeDeployServiceException,
  DeploymentConfigDoesNotExistException,
  GetDeploymentConfigCommand,
  InvalidDeploymentConfigNameException,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCodeDeployConfigs } from '#adapters/aws/codedeploy-configs.ts';
import { DeploymentConfigsUnavailableError } from '#core/errors.ts';

const codeDeploy = mockClient(CodeDeployClient);
const configs = createCodeDeployConfigs(new CodeDeployClient({ region: 'eu-west-1' }));
const meta = { $metadata: {} };

function serviceError(name: string, status: number, fault: 'client' | 'server') {
  return new CodeDeployServiceException({
    name,
    $fault: fault,
    message: `${name} from CodeDeploy`,
    $metadata: { httpStatusCode: status },
  });
}

beforeEach(() => {
  codeDeploy.reset();
});

describe('CodeDeploy deployment configurations', () => {
  it('reads a canary configuration by name', async () => {
    // Prepare
    codeDeploy.on(GetDeploymentConfigCommand, { deploymentConfigName: 'orders-canary' }).resolves({
      deploymentConfigInfo: {
        deploymentConfigName: 'orders-canary',
        computePlatform: 'ECS',
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 20, canaryInterval: 7 },
        },
      },
    });

    // Act
    const lookup = await configs.trafficRouting('orders-canary');

    // Assess
    expect(lookup).toEqual({
      found: 'traffic-routing',
      routing: { type: 'TimeBasedCanary', percentage: 20, intervalMinutes: 7 },
    });
    expect(codeDeploy.commandCalls(GetDeploymentConfigCommand)).toHaveLength(1);
  });

  it('reads linear and all-at-once configurations', async () => {
    codeDeploy
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'linear' })
      .resolves({
        deploymentConfigInfo: {
          computePlatform: 'Lambda',
          trafficRoutingConfig: {
            type: 'TimeBasedLinear',
            timeBasedLinear: { linearPercentage: 25, linearInterval: 2 },
          },
        },
      })
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'at-once' })
      .resolves({
        deploymentConfigInfo: { computePlatform: 'ECS', trafficRoutingConfig: { type: 'AllAtOnce' } },
      });

    expect(await configs.trafficRouting('linear')).toEqual({
      found: 'traffic-routing',
      routing: { type: 'TimeBasedLinear', percentage: 25, intervalMinutes: 2 },
    });
    expect(await configs.trafficRouting('at-once')).toEqual({
      found: 'traffic-routing',
      routing: { type: 'AllAtOnce' },
    });
  });

  it('reports a Server configuration (minimum healthy hosts) as routing no traffic', async () => {
    codeDeploy.on(GetDeploymentConfigCommand).resolves({
      deploymentConfigInfo: {
        deploymentConfigName: 'half',
        computePlatform: 'Server',
        minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 },
      },
    });

    expect(await configs.trafficRouting('half')).toEqual({
      found: 'no-traffic-routing',
      computePlatform: 'Server',
    });
  });

  it('reports a name that names no configuration as nothing', async () => {
    codeDeploy
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'gone' })
      .rejects(
        new DeploymentConfigDoesNotExistException({ message: 'No deployment configuration found', ...meta }),
      )
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'bad name' })
      .rejects(new InvalidDeploymentConfigNameException({ message: 'invalid name', ...meta }));

    expect(await configs.trafficRouting('gone')).toEqual({ found: 'nothing' });
    expect(await configs.trafficRouting('bad name')).toEqual({ found: 'nothing' });
  });

  it('names throttling that outlived the retries DeploymentConfigsUnavailable, and lets IAM refusals through', async () => {
    codeDeploy
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'busy' })
      .rejects(serviceError('ThrottlingException', 400, 'client'))
      .on(GetDeploymentConfigCommand, { deploymentConfigName: 'denied' })
      .rejects(serviceError('AccessDeniedException', 400, 'client'));

    const busy = await configs.trafficRouting('busy').catch((e) => e);
    expect(busy).toBeInstanceOf(DeploymentConfigsUnavailableError);
    expect(busy.name).toBe('DeploymentConfigsUnavailable');
    expect(busy.message).toBe(
      'GetDeploymentConfig of busy failed with ThrottlingException after retries: ThrottlingException from CodeDeploy',
    );
    const denied = await configs.trafficRouting('denied').catch((e) => e);
    expect(denied.name).toBe('AccessDeniedException');
  });
});
