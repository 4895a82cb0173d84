import { describe, expect, it } from 'vitest';
import { judgeEcsService } from '#core/readiness.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { execution, type FakeLocks, FakeRouter, fakeDeps } from '../support/fake-ports.ts';
import { ordersProfile } from '../support/profiles.ts';

const steady = { status: 'ACTIVE', desiredCount: 3, runningCount: 3, deployments: 1 };

describe('judgeEcsService: the SDK services-stable rule, and at least one task', () => {
  it.each([
    ['steady', steady, { ready: true }],
    [
      'still rolling out',
      { ...steady, deployments: 2 },
      {
        ready: false,
        final: false,
        reason:
          'ECS service shop/orders-v2 is not steady: 3 of 3 tasks running, 2 deployments still rolling out',
      },
    ],
    [
      'short of tasks',
      { ...steady, runningCount: 1 },
      {
        ready: false,
        final: false,
        reason: 'ECS service shop/orders-v2 is not steady: 1 of 3 tasks running',
      },
    ],
    [
      'scaled to zero',
      { ...steady, desiredCount: 0, runningCount: 0 },
      { ready: false, final: false, reason: 'ECS service shop/orders-v2 wants no tasks (desiredCount 0)' },
    ],
    [
      'being deleted',
      { ...steady, status: 'DRAINING' },
      {
        ready: false,
        final: true,
        reason: 'ECS service shop/orders-v2 is DRAINING; it is being deleted and will not take traffic',
      },
    ],
    [
      'missing',
      undefined,
      { ready: false, final: false, reason: 'ECS service shop/orders-v2 does not exist yet' },
    ],
  ])('%s', (_, reading, expected) => {
    expect(judgeEcsService('shop/orders-v2', reading)).toEqual(expected);
  });
});

describe('Prepare waits for the new version', () => {
  const profile = ordersProfile({
    targets: { canary: 'orders-{version}', ecsService: { cluster: 'shop', service: 'orders-{version}' } },
    readinessTimeout: '5m',
  });
  const START = '1970-01-01T00:00:00.000Z';

  function prepared(reading: Parameters<typeof judgeEcsService>[1], nowSeconds: number) {
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const ctx = fakeDeps(router, profile, [{ name: 'orders-5xx', type: 'metric', state: 'OK' }]);
    const asked: string[] = [];
    const deps = {
      ...ctx.deps,
      clock: { now: () => new Date(nowSeconds * 1000) },
      ecs: {
        describe: async (cluster: string, service: string) => {
          asked.push(`${cluster}/${service}`);
          return reading;
        },
      },
    };
    const run = prepareOrReject(
      { request: { service: 'orders', version: 'v2' }, execution: { ...execution, StartTime: START } },
      deps,
    );
    return {
      run,
      asked,
      events: ctx.events as ReleaseEvent[],
      locks: (ctx.deps.locks as FakeLocks).held,
    };
  }

  it('goes on once the service is steady, having asked ECS for the version named by the template', async () => {
    const { run, asked } = prepared(steady, 30);
    await expect(run).resolves.toMatchObject({ next: 'shift' });
    expect(asked).toEqual(['shop/orders-v2']);
  });

  it('asks Step Functions to look again (CanaryNotReadyYet) before readinessTimeout, taking no route', async () => {
    const { run, events, locks } = prepared({ ...steady, runningCount: 1 }, 120);
    await expect(run).rejects.toMatchObject({ name: 'CanaryNotReadyYet' });
    expect(events.map((e) => e.type)).toEqual(['canary.waiting']);
    expect(events[0]).toMatchObject({ waitedSeconds: 120, timeoutSeconds: 300 });
    expect(locks.size).toBe(0);
  });

  it('gives up with CanaryNotReady at readinessTimeout, saying what was not ready and for how long', async () => {
    const { run, events, locks } = prepared({ ...steady, runningCount: 1 }, 300);
    await expect(run).rejects.toMatchObject({
      name: 'CanaryNotReady',
      message:
        'ECS service shop/orders-v2 is not steady: 1 of 3 tasks running, after waiting 5m (readinessTimeout 5m); nothing was shifted. Start the release again once the new version is steady',
    });
    expect(events.map((e) => e.type)).toEqual(['release.not_ready']);
    expect(locks.size).toBe(0);
  });

  it('gives up at once on a service being deleted', async () => {
    const { run } = prepared({ ...steady, status: 'INACTIVE' }, 10);
    await expect(run).rejects.toMatchObject({ name: 'CanaryNotReady' });
  });
});
