import {
  AppMeshClient,
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  ListVirtualNodesCommand,
} from '@aws-sdk/client-app-mesh';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '#adapters/aws/clients.ts';
import { createDoctorDeps } from '#adapters/doctor-deps.ts';
import { examineProfile } from '#core/doctor/doctor.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';
import { ordersProfile } from '../support/profiles.ts';

const appMesh = mockClient(AppMeshClient);
const cloudWatch = mockClient(CloudWatchClient);

afterEach(() => {
  appMesh.reset();
  cloudWatch.reset();
});

describe("doctor's ports over the SDK", () => {
  it('reads the route, lists the mesh, reads the alarms, and writes nothing', async () => {
    appMesh.on(DescribeRouteCommand).resolves({
      route: {
        meshName: 'shop',
        virtualRouterName: 'orders-router',
        routeName: 'orders-route',
        spec: {
          httpRoute: {
            match: { prefix: '/' },
            action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100 }] },
          },
        },
        metadata: { version: 3 } as never,
        status: { status: 'ACTIVE' },
      },
    });
    appMesh.on(ListVirtualNodesCommand).resolves({
      virtualNodes: [
        { meshName: 'shop', virtualNodeName: 'orders-v1' },
        { meshName: 'shop', virtualNodeName: 'orders-v2' },
      ] as never,
    });
    appMesh.on(DescribeVirtualNodeCommand).resolves({ virtualNode: { meshName: 'shop' } as never });
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'orders-5xx',
          StateValue: 'OK',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    });
    const deps = createDoctorDeps(createAwsClients({ region: 'us-east-1' }), { now: () => new Date() });

    const report = await examineProfile(parseProfile(ordersProfile(), routerKinds), deps);

    expect(report.checks.map((c) => [c.status, c.field])).toEqual([
      ['ok', 'router'],
      ['ok', 'targets.canary'],
      ['ok', 'analysis.alarms'],
    ]);
    expect(appMesh.commandCalls(ListVirtualNodesCommand)[0]?.args[0].input).toEqual({ meshName: 'shop' });
    const sent = [...appMesh.calls(), ...cloudWatch.calls()].map((c) => c.args[0].constructor.name);
    expect(sent.filter((name) => !/^(Describe|List)/.test(name))).toEqual([]);
  });

  it("turns CloudWatch's refusal of a metric query into the query's problem, and lets throttling through", async () => {
    const refusal = (name: string, status: number) =>
      new CloudWatchServiceException({
        name,
        message: 'The value abc for parameter Period is not valid.',
        $fault: 'client',
        $metadata: { httpStatusCode: status },
      });
    const deps = createDoctorDeps(createAwsClients({ region: 'us-east-1', retry: { maxAttempts: 1 } }), {
      now: () => new Date(),
    });
    const read = { queries: [{ Id: 'q', Expression: 'SUM(x)' }], start: new Date(0), end: new Date(60_000) };

    cloudWatch.on(GetMetricDataCommand).rejects(refusal('InvalidParameterValue', 400));
    await expect(deps.health.readMetrics(read)).rejects.toEqual(
      new InvalidRequestError(['InvalidParameterValue: The value abc for parameter Period is not valid.']),
    );
    cloudWatch.on(GetMetricDataCommand).rejects(refusal('Throttling', 400));
    await expect(deps.health.readMetrics(read)).rejects.not.toBeInstanceOf(InvalidRequestError);
  });

  it('pings a webhook only when asked, through the hook runner, its body marked as a ping', async () => {
    const sent: { url: string; body: string }[] = [];
    const webhook = async (request: { url: string; body: string }) => {
      sent.push(request);
      return { status: 204, body: '', truncated: false };
    };
    const hook = {
      name: 'announce',
      phase: 'postRollout',
      type: 'webhook',
      url: 'https://chat.example.com/hooks/releases',
      timeout: 5,
      retries: 0,
    } as const;
    const clients = createAwsClients({ region: 'us-east-1' });

    expect(createDoctorDeps(clients, { now: () => new Date() }, { webhook }).webhooks).toBeUndefined();
    const deps = createDoctorDeps(clients, { now: () => new Date() }, { webhook, pingWebhooks: true });
    const answer = await deps.webhooks?.ping(hook, 'orders');

    expect(answer?.result).toBe('pass');
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({
      releaseId: 'stepshift-doctor-ping',
      service: 'orders',
      version: '',
      phase: 'postRollout',
      step: 0,
      targets: [],
      ping: true,
    });
  });
});
