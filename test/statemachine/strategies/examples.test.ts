import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { appMeshRoutesIn } from '#routers/appmesh/sim/simulator.ts';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';

const dir = new URL('../../../examples/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe.each(files)('examples/%s, rehearsed through the real state machine', (file) => {
  it('reaches the outcome it expects, and the invariant holds', async () => {
    const scenario = await loadScenario(`${dir}${file}`);
    const report = await rehearse(scenario);
    expect(scenario.expect, 'every example states its expected outcome').toBeDefined();
    expect(report.expectation?.met, `${report.outcome}: ${report.error?.message}`).toBe(true);
    const ended = expectInvariant(scenario, report);
    expect(ended).toBe(report.outcome === 'promoted' ? 'promoted' : 'snapshot');
    for (const call of writesIn(report)) {
      expect(validateUpdateRouteInput(call.input), 'App Mesh would accept this UpdateRoute').toEqual([]);
    }
    const offPlan = report.timeline.some(
      (e) => e.event.startsWith('operator.') || e.event === 'release.held',
    );
    if (report.outcome === 'promoted' && !offPlan) {
      // The plan's cost model, checked against the states the execution really entered (a person's
      // command or a hold takes it off the plan).
      expect(report.stateTransitions).toBe(report.plan?.stateTransitions);
    }
  });
});

describe('the healthy canary, step by step', () => {
  it('moves 10, 25, 50 then 100 at five-minute intervals, and says so in the timeline', async () => {
    const report = await rehearse(await loadScenario(`${dir}canary-healthy.json`));
    const shifts = report.timeline.filter(
      (e) => e.event === 'traffic.shifted' || e.event === 'release.promoted',
    );
    expect(shifts.map((e) => e.weights['orders-v2'])).toEqual([10, 25, 50, 100]);
    expect(shifts.map((e) => Math.floor(e.at / 60))).toEqual([0, 5, 10, 15]);
    expect(appMeshRoutesIn(report.finalRoutes)[0]?.version).toBe(5);
    expect(writesIn(report).map((c) => c.input.clientToken)).toHaveLength(4);
    expect(new Set(writesIn(report).map((c) => c.input.clientToken)).size).toBe(4);
  });
});

describe('the alarm scenarios', () => {
  it('rolls back within a second of the alarm when its event ends the bake', async () => {
    const report = await rehearse(await loadScenario(`${dir}canary-alarm-rollback.json`));
    expect(report.error?.name).toBe('ReleaseRolledBack');
    expect(report.error?.message).toBe(
      "AlarmTriggered: orders-5xx is ALARM (4.7, alarm when > 1; in ALARM for 0s), at step 2 with 25% on the new version; the alarm's event ended the bake at once",
    );
    const rolledBack = report.timeline.find((e) => e.event === 'release.rolled_back');
    expect(rolledBack?.weights).toEqual({ 'orders-v1': 100 });
    expect(report.detections).toEqual([
      {
        alarm: 'orders-5xx',
        alarmAt: 420,
        endedBake: true,
        // The bake of the step's only check began at 5m (plus the shift's calls): polling looks at 10m.
        pollingWouldLookAt: expect.closeTo(600, -1),
        answeredAt: rolledBack?.at,
        answer: 'release.rolled_back',
        detectionDelaySeconds: expect.any(Number),
      },
    ]);
    expect(report.detectionDelaySeconds).toBeLessThanOrEqual(1);
    expect(report.detectionDelaySeconds).toBeGreaterThan(0);
    expect(report.timeline.find((e) => e.event === 'bake.ended')?.detail).toMatchObject({
      by: 'SendTaskFailure',
      error: 'AlarmTriggered',
    });
  });

  it('rolls back at the analysis after the alarm when no alarm event arrives, with the alarm and reason in words', async () => {
    const report = await rehearse(await loadScenario(`${dir}canary-alarm-polling.json`));
    expect(report.detections).toEqual([]);
    expect(report.detectionDelaySeconds).toBeUndefined();
    expect(report.error?.name).toBe('ReleaseRolledBack');
    expect(report.error?.message).toBe(
      'orders-5xx is ALARM (4.7, alarm when > 1; in ALARM for 3m2s), at step 2 with 25% on the new version; 1 failed check reached the threshold',
    );
    const rolledBack = report.timeline.find((e) => e.event === 'release.rolled_back');
    expect(rolledBack?.weights).toEqual({ 'orders-v1': 100 });
    expect(Math.floor((rolledBack?.at ?? 0) / 60)).toBe(10);
    expect(report.timeline.some((e) => e.event === 'traffic.shifted' && e.weights['orders-v2'] === 50)).toBe(
      false,
    );
  });
});

describe('the throttled scenario', () => {
  it('retries UpdateRoute with back-off in virtual time and sends the same clientToken', async () => {
    const report = await rehearse(await loadScenario(`${dir}canary-throttled.json`));
    const first = writesIn(report).slice(0, 3);
    expect(first.map((c) => c.error?.name)).toEqual([
      'TooManyRequestsException',
      'TooManyRequestsException',
      undefined,
    ]);
    expect(new Set(first.map((c) => c.input.clientToken)).size).toBe(1);
    expect(report.timeline.filter((e) => e.event === 'api.retry')).toHaveLength(2);
    expect(report.outcome).toBe('promoted');
  });
});

describe('the linear and CodeDeploy shapes', () => {
  const shiftsOf = (report: Awaited<ReturnType<typeof rehearse>>) =>
    report.timeline
      .filter((e) => e.event === 'traffic.shifted' || e.event === 'release.promoted')
      .map((e) => [e.weights['orders-v2'], Math.floor(e.at / 60)]);

  it('linear 10% every minute holds 10..90 for a minute each, then promotes at 9m', async () => {
    const report = await rehearse(await loadScenario(`${dir}linear-healthy.json`));
    expect(shiftsOf(report)).toEqual([
      [10, 0],
      [20, 1],
      [30, 2],
      [40, 3],
      [50, 4],
      [60, 5],
      [70, 6],
      [80, 7],
      [90, 8],
      [100, 9],
    ]);
  });

  it('the predefined ECS canary puts 10% on the new version and rolls back from there, asking CodeDeploy nothing', async () => {
    const report = await rehearse(await loadScenario(`${dir}codedeploy-canary-rollback.json`));
    expect(report.plan?.steps).toEqual([10]);
    expect(shiftsOf(report)).toEqual([[10, 0]]);
    expect(report.timeline.find((e) => e.event === 'release.rolled_back')?.weights).toEqual({
      'orders-v1': 100,
    });
    expect(report.calls.filter((c) => c.service === 'codedeploy')).toEqual([]);
  });

  it('a custom configuration is read once, at Prepare, and its linear routing walked: 25, 50, 75 then 100', async () => {
    const report = await rehearse(await loadScenario(`${dir}codedeploy-custom.json`));
    expect(report.calls.filter((c) => c.service === 'codedeploy').map((c) => [c.operation, c.input])).toEqual(
      [['GetDeploymentConfig', { deploymentConfigName: 'orders-Linear25PercentEvery2Minutes' }]],
    );
    expect(shiftsOf(report)).toEqual([
      [25, 0],
      [50, 2],
      [75, 4],
      [100, 6],
    ]);
  });

  it('a Server configuration is refused before the route is read', async () => {
    const report = await rehearse(await loadScenario(`${dir}codedeploy-server-config-rejected.json`));
    expect(report.error?.message).toBe(
      'profile.strategy.config: "orders-HalfAtATime" is a Server configuration (minimum healthy hosts), which shifts no traffic; name an ECS or Lambda configuration, one with a traffic routing (TimeBasedCanary, TimeBasedLinear or AllAtOnce)',
    );
    expect(report.calls.map((c) => c.operation)).not.toContain('DescribeRoute');
  });
});

describe('the side-route examples (blue/green, A/B)', () => {
  const sideRouted = files.filter((f) => /^(blue-green|ab)-/.test(f));

  it.each(sideRouted)(
    '%s creates its side route ahead of the route, as App Mesh accepts it, and removes it',
    async (file) => {
      const report = await rehearse(await loadScenario(`${dir}${file}`));
      const created = report.calls.filter((c) => c.operation === 'CreateRoute');
      expect(created).toHaveLength(1);
      const input = created[0]?.input as {
        routeName: string;
        spec: Record<string, unknown>;
        clientToken?: string;
      };
      expect(validateUpdateRouteInput(input), 'App Mesh would accept this CreateRoute').toEqual([]);
      expect(input.routeName).toMatch(/^stepshift-orders-(test|cohort)$/);
      expect(input.clientToken).toBeDefined();
      const header = file.startsWith('ab-')
        ? { name: 'x-cohort', match: { exact: 'b' } }
        : { name: 'x-stepshift-preview', match: { exact: 'true' } };
      expect(input.spec).toMatchObject({
        priority: 9,
        httpRoute: {
          match: {
            prefix: '/orders',
            method: 'GET',
            headers: [{ name: 'x-tenant', match: { prefix: 'eu-' }, invert: false }, header],
          },
          action: { weightedTargets: [{ virtualNode: 'orders-v2', weight: 100, port: 8080 }] },
          timeout: { perRequest: { unit: 's', value: 15 } },
        },
      });
      const deleted = report.calls.filter((c) => c.operation === 'DeleteRoute');
      // After a stop the guard removes it at once, and again after its wait (a task of the stopped
      // execution might have opened it meanwhile): the second finds it gone.
      const stopped = file === 'blue-green-stopped.json';
      expect(deleted.map((c) => c.input.routeName)).toEqual(
        stopped ? [input.routeName, input.routeName] : [input.routeName],
      );
      if (stopped) expect(deleted[1]?.error?.name).toBe('NotFoundException');
      expect(appMeshRoutesIn(report.finalRoutes).map((r) => r.routeName)).toEqual([
        'orders-route',
        'orders-admin',
      ]);
      if (['blue-green-rollback.json', 'ab-rollback.json'].includes(file)) {
        expect(report.error?.message).toContain(
          "at step 1 with production untouched and only the side route's requests on the new version",
        );
      }
      // Production does not move while test or cohort traffic is analysed.
      const beforeSwitch = report.timeline.filter(
        (e) => e.at < (report.timeline.find((t) => t.event === 'analysis.completed')?.at ?? 0),
      );
      expect(beforeSwitch.every((e) => (e.weights['orders-v2'] ?? 0) === 0)).toBe(true);
    },
  );
});
