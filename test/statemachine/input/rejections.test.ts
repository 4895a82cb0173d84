import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { writesIn } from '../../support/invariant.ts';
import { healthyScenarioInput, scenarioWith } from '../../support/scenarios.ts';

type Input = ReturnType<typeof healthyScenarioInput>;

const route = () =>
  healthyScenarioInput().world.appmesh as {
    routes: { spec: { httpRoute: { action: { weightedTargets: unknown[] } } } }[];
  };

/** Bad input of every kind Prepare sees, each with the words its error must contain. */
const corpus: [string, (s: Input) => void, string][] = [
  [
    'a request that is not an object',
    (s) => Object.assign(s, { request: 'orders v2' as never }),
    'request: is "orders v2"; a release request is a JSON object',
  ],
  [
    'a request without a version',
    (s) => Object.assign(s, { request: { service: 'orders' } }),
    'request.version: is missing',
  ],
  [
    'a request without a service',
    (s) => Object.assign(s, { request: { version: 'v2' } }),
    'request.service: is missing',
  ],
  [
    'a misspelt request field',
    (s) => Object.assign(s, { request: { service: 'orders', version: 'v2', verison: 'v3' } }),
    'request: has unknown field "verison"; a release request takes only service, version, releaseId, overrides',
  ],
  [
    'a version that cannot name a target',
    (s) => Object.assign(s, { request: { service: 'orders', version: '../v2' } }),
    'request.version: "../v2" cannot name a target',
  ],
  [
    'a numeric version',
    (s) => Object.assign(s, { request: { service: 'orders', version: 2 } }),
    'request.version: 2 is not text',
  ],
  [
    'a release id with spaces',
    (s) => Object.assign(s, { request: { service: 'orders', version: 'v2', releaseId: 'my release' } }),
    'request.releaseId: "my release" is not a release id',
  ],
  [
    'a service with no profile',
    (s) => Object.assign(s, { request: { service: 'payments', version: 'v2' } }),
    'request.service: no release profile for "payments"; profiles exist for: orders',
  ],
  [
    'an override step above 100',
    (s) =>
      Object.assign(s, {
        request: {
          service: 'orders',
          version: 'v2',
          overrides: { strategy: { type: 'canary', steps: [50, 120], interval: '1m' } },
        },
      }),
    'request.overrides.strategy.steps[1]: 120 is above 100',
  ],
  [
    'an unknown override',
    (s) => Object.assign(s, { request: { service: 'orders', version: 'v2', overrides: { router: {} } } }),
    'request.overrides: has unknown field "router"; overrides takes only strategy, analysis',
  ],
  [
    'a step above 100',
    (s) => Object.assign(s.profile, { strategy: { type: 'canary', steps: [10, 25, 120], interval: '5m' } }),
    'profile.strategy.steps[2]: 120 is above 100; weights are percentages 1..100',
  ],
  [
    'steps that fall',
    (s) => Object.assign(s.profile, { strategy: { type: 'canary', steps: [50, 25], interval: '5m' } }),
    'profile.strategy.steps[1]: 25 is not above the previous step (50)',
  ],
  [
    'no steps',
    (s) => Object.assign(s.profile, { strategy: { type: 'canary', steps: [], interval: '5m' } }),
    'profile.strategy.steps: is empty',
  ],
  [
    'a bad interval',
    (s) => Object.assign(s.profile, { strategy: { type: 'canary', steps: [10], interval: '5 minutes' } }),
    'profile.strategy.interval: "5 minutes" is not a duration',
  ],
  [
    'an unknown strategy',
    (s) => Object.assign(s.profile, { strategy: { type: 'rainbow' } }),
    'profile.strategy.type: "rainbow" is not a strategy stepshift knows',
  ],
  [
    'a bake missing from all-at-once',
    (s) => Object.assign(s.profile, { strategy: { type: 'all-at-once' } }),
    'profile.strategy.bake:',
  ],
  [
    'an unknown router',
    (s) => Object.assign(s.profile, { router: { type: 'nginx' } }),
    'profile.router.type: "nginx" is not a router stepshift drives',
  ],
  [
    'a router without a route name',
    (s) =>
      Object.assign(s.profile, {
        router: { type: 'appmesh', meshName: 'shop', virtualRouterName: 'orders-router' },
      }),
    'profile.router.routeName: is missing',
  ],
  [
    'a mesh owner that is not an account',
    (s) => Object.assign(s.profile, { router: { ...(s.profile.router as object), meshOwner: 'me' } }),
    'profile.router.meshOwner: must be a 12-digit AWS account id',
  ],
  [
    'a canary template without {version}',
    (s) => Object.assign(s.profile, { targets: { canary: 'orders-next' } }),
    'profile.targets.canary: "orders-next" has no {version}',
  ],
  [
    'alarms that are not a list',
    (s) => Object.assign(s.profile, { analysis: { alarms: 'orders-5xx' } }),
    'profile.analysis.alarms: must be a list of CloudWatch alarm names',
  ],
  [
    'a failure threshold of 0',
    (s) => Object.assign(s.profile, { analysis: { alarms: ['orders-5xx'], failureThreshold: 0 } }),
    'profile.analysis.failureThreshold: 0 is below 1',
  ],
  [
    'an unknown insufficient-data policy',
    (s) => Object.assign(s.profile, { analysis: { alarms: ['orders-5xx'], insufficientData: 'retry' } }),
    'profile.analysis.insufficientData: "retry" is not a policy',
  ],
  [
    'a plan too long for one execution',
    (s) =>
      void Object.assign(s.profile, {
        strategy: { type: 'canary', steps: [10, 20, 30, 40, 50, 60], interval: '24h' },
        analysis: { alarms: ['orders-5xx'], interval: '10s' },
      }),
    "above Step Functions' limit of 25000",
  ],
  [
    'an alarm that does not exist',
    (s) => Object.assign(s.profile, { analysis: { alarms: ['orders-5xx', 'orders-latency'] } }),
    'profile.analysis.alarms: no CloudWatch alarm named "orders-latency"',
  ],
  [
    'a route that does not exist',
    (s) =>
      Object.assign(s.profile, { router: { ...(s.profile.router as object), routeName: 'orders-v9-route' } }),
    'profile.router: DescribeRoute: App Mesh has no route "orders-v9-route"',
  ],
  [
    'a canary node that is not deployed',
    (s) => Object.assign(s, { request: { service: 'orders', version: 'v3' } }),
    'profile.targets.canary: orders-v3 does not exist',
  ],
  [
    'the version already live',
    (s) => Object.assign(s, { request: { service: 'orders', version: 'v1' } }),
    'request.version: orders-v1 already receives all traffic',
  ],
  [
    'a route split between two versions',
    (s) => {
      const r = route();
      r.routes[0]!.spec.httpRoute.action.weightedTargets = [
        { virtualNode: 'orders-v1', weight: 80 },
        { virtualNode: 'orders-v0', weight: 20 },
      ];
      s.world.appmesh = r;
    },
    'the route is split between orders-v1 (80) and orders-v0 (20)',
  ],
];

describe('bad input is refused by Prepare, in the state machine, before any weight moves', () => {
  it.each(corpus)('%s', async (_, change, words) => {
    const report = await rehearse(scenarioWith(change));
    expect(report.outcome).toBe('rejected');
    expect(report.error?.name).toBe('InvalidRequest');
    expect(report.error?.message).toContain(words);
    expect(writesIn(report), 'no UpdateRoute was sent').toEqual([]);
    expect(report.timeline.map((e) => e.event)).toEqual(['release.rejected', 'execution.failed']);
  });

  it('lists every problem at once, not one per attempt', async () => {
    const report = await rehearse(
      scenarioWith((s) => {
        s.profile.strategy = { type: 'canary', steps: [10, 120], interval: '5 min' };
        s.profile.targets = { canary: 'orders' };
      }),
    );
    expect(report.error?.message.split('; profile.')).toHaveLength(3);
  });
});

describe('a broken request and a broken profile', () => {
  it('are reported in one answer', async () => {
    const report = await rehearse(
      scenarioWith((s) => {
        Object.assign(s, { request: { service: 'orders', version: 'v 2' } });
        Object.assign(s.profile, { strategy: { type: 'canary', steps: [10, 120], interval: '5m' } });
      }),
    );
    expect(report.error?.message).toContain('request.version: "v 2" cannot name a target');
    expect(report.error?.message).toContain('profile.strategy.steps[1]: 120 is above 100');
  });
});
