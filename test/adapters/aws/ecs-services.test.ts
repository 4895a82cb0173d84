import { DescribeServicesCommand, ECSClient, ServerException } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcsServices } from '#adapters/aws/ecs-services.ts';

const ecs = mockClient(ECSClient);
beforeEach(() => ecs.reset());

describe('ECS services for readiness', () => {
  it('reads status, counts and how many deployments the service has', async () => {
    ecs.on(DescribeServicesCommand, { cluster: 'shop', services: ['orders-v2'] }).resolves({
      services: [
        {
          serviceName: 'orders-v2',
          status: 'ACTIVE',
          desiredCount: 3,
          runningCount: 2,
          deployments: [{ id: 'a' }, { id: 'b' }],
        },
      ],
    });
    expect(
      await createEcsServices(new ECSClient({ region: 'us-east-1' })).describe('shop', 'orders-v2'),
    ).toEqual({
      status: 'ACTIVE',
      desiredCount: 3,
      runningCount: 2,
      deployments: 2,
    });
  });

  it('answers undefined for a service ECS reports MISSING', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    expect(
      await createEcsServices(new ECSClient({ region: 'us-east-1' })).describe('shop', 'orders-v9'),
    ).toBeUndefined();
  });

  it('turns a server fault that outlived the retries into HealthUnavailable, which Prepare retries', async () => {
    ecs
      .on(DescribeServicesCommand)
      .rejects(new ServerException({ message: 'boom', $metadata: { httpStatusCode: 500 } }));
    await expect(
      createEcsServices(new ECSClient({ region: 'us-east-1', maxAttempts: 1 })).describe('shop', 'orders-v2'),
    ).rejects.toMatchObject({ name: 'HealthUnavailable' });
  });
});
