import { describe, expect, it } from 'vitest';
import { type DoctorDeps, examineProfile } from '#core/doctor/doctor.ts';
import { versionIn } from '#core/doctor/route.ts';
import { InvalidRequestError } from '#core/errors.ts';
import type { AlarmReading, Router } from '#core/ports.ts';
import { type ProfileInput, parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';
import { FakeRouter } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

/** A router that lists its targets: `names` all there are, `ready` those that can take traffic. */
function listingRouter(names: string[], ready = names, extra: Partial<Router> = {}): FakeRouter & Router {
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  router.nodes = new Set(ready);
  return Object.assign(router, { targetNames: async () => names }, extra);
}

function depsWith(router: Router, alarms: AlarmReading[] = []): DoctorDeps {
  return {
    routerFor: () => router,
    routerKinds,
    health: {
      readAlarms: async (names) => alarms.filter((a) => names.includes(a.name)),
      readMetrics: async () => [],
    },
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    functions: { exists: async (name) => name === 'orders-smoke' },
  };
}

const profile = (overrides: Partial<ProfileInput> = {}) =>
  parseProfile(ordersProfile(overrides), routerKinds);
const messages = async (deps: DoctorDeps, p = profile()) =>
  (await examineProfile(p, deps)).checks.map((c) => `${c.status} ${c.field}: ${c.message}`);

describe('doctor, over the ports', () => {
  it('reads the version a target name holds under the template', () => {
    expect(versionIn('orders-{version}', 'orders-v2')).toBe('v2');
    expect(versionIn('{version}', '7')).toBe('7');
    expect(versionIn('orders-{version}-svc', 'orders-v2-svc')).toBe('v2');
    expect(versionIn('orders-{version}', 'payments-v2')).toBeUndefined();
    expect(versionIn('a{version}b{version}', 'a1b2')).toBeUndefined();
    expect(versionIn('a.{version}', 'aXv1')).toBeUndefined();
  });

  it('tells a target that exists but cannot take traffic yet from one that can', async () => {
    const router = listingRouter(
      ['orders-v1', 'orders-v2', 'orders-v3', 'payments-v1'],
      ['orders-v1', 'orders-v3'],
    );

    expect(await messages(depsWith(router))).toEqual([
      'ok router: the route exists and sends all its traffic to orders-v1',
      'ok targets.canary: "orders-{version}" names orders-v3 (version v3), ready for traffic now',
      'ok targets.canary: "orders-{version}" names orders-v2 (version v2), which cannot take traffic yet (no healthy target); a release of that version waits until it can',
      'finding analysis.alarms: no CloudWatch alarm named "orders-5xx"; a release cannot be gated on an alarm that does not exist',
    ]);
  });

  it('says the template was not matched when the router cannot list its targets', async () => {
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const alarm: AlarmReading = { name: 'orders-5xx', type: 'metric', state: 'OK' };

    expect(await messages(depsWith(router, [alarm]))).toEqual([
      'ok router: the route exists and sends all its traffic to orders-v1',
      'unchecked targets.canary: the appmesh router cannot list its targets, so "orders-{version}" was not matched against them',
      'ok analysis.alarms: alarm "orders-5xx" (metric) is OK',
    ]);
  });

  it("passes on what the router's service would refuse, and a route with no room for the new version", async () => {
    const router = listingRouter(['orders-v1', 'orders-v2'], ['orders-v1', 'orders-v2'], {
      maxTargets: 1,
      releaseProblems: async (_reading, canary) => [`${canary} runs as another role than orders-v1`],
    });

    const found = (await examineProfile(profile(), depsWith(router))).checks.filter(
      (c) => c.status === 'finding',
    );

    expect(found.map((c) => c.message)).toEqual([
      'route appmesh:shop/orders-router/orders-route: it already has 1 targets, the most this router allows; remove unused ones before adding orders-v2',
      'route appmesh:shop/orders-router/orders-route: orders-v2 runs as another role than orders-v1',
      expect.stringContaining('no CloudWatch alarm named "orders-5xx"'),
    ]);
  });

  it('finds an alarm without data only when the profile fails a check on missing data', async () => {
    const router = listingRouter(['orders-v1']);
    const alarm: AlarmReading = { name: 'orders-5xx', type: 'metric', state: 'INSUFFICIENT_DATA' };
    const deps = depsWith(router, [alarm]);

    expect((await messages(deps)).at(-1)).toBe(
      'ok analysis.alarms: alarm "orders-5xx" (metric) is INSUFFICIENT_DATA',
    );
    const strict = profile({ analysis: { alarms: ['orders-5xx'], insufficientData: 'fail' } });
    expect((await messages(deps, strict)).at(-1)).toMatch(
      /^finding analysis\.insufficientData: alarm "orders-5xx" \(metric\) is INSUFFICIENT_DATA and the profile fails a check on missing data; /,
    );
  });

  it("says a stable the template does not name, and a blue/green release this router's kind cannot open", async () => {
    const router = listingRouter(['legacy-orders', 'orders-v2']);
    router.targets = [{ name: 'legacy-orders', weight: 100 }];
    const lambdaLike = Object.assign(router, { sideRouteProblem: undefined });
    const blueGreen = profile({
      strategy: { type: 'blue-green', testHeader: { name: 'x-preview', value: 'true' }, bake: '5m' },
    } as Partial<ProfileInput>);

    const checks = (await examineProfile(blueGreen, depsWith(lambdaLike))).checks;

    expect(checks[1]?.message).toContain('the stable legacy-orders is not named by it');
    expect(checks.find((c) => c.field === 'strategy')?.message).toContain(
      'appmesh routers cannot have one yet',
    );
  });

  it("sends each metric check's queries over the last hour with the stable for the new version, and says which CloudWatch refuses", async () => {
    const router = listingRouter(['orders-v1']);
    const reads: { queries: unknown; start: Date; end: Date }[] = [];
    const deps: DoctorDeps = {
      ...depsWith(router),
      health: {
        readAlarms: async () => [],
        readMetrics: async (read) => {
          reads.push(read);
          if (reads.length === 2) throw new InvalidRequestError(['InvalidParameterValue: bad period']);
          return [{ id: 'canary_0_rate', timestamps: [new Date()], values: [0.01] }];
        },
      },
      clock: { now: () => new Date('2026-01-01T10:30:45Z') },
    };
    const query = (id: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'Shop',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'Node', Value: '{canary}' }],
        },
        Period: 60,
        Stat: 'Sum',
      },
    });
    const withMetrics = profile({
      analysis: {
        alarms: [],
        metrics: [
          { name: 'errors', queries: [query('rate')], returnId: 'rate', max: 1 },
          { name: 'latency', queries: [query('p99')], returnId: 'p99', max: 1 },
        ],
      },
    } as unknown as Partial<ProfileInput>);

    const checks = (await examineProfile(withMetrics, deps)).checks.slice(2);

    expect(checks).toEqual([
      {
        status: 'ok',
        field: 'analysis.metrics[0]',
        message: '"errors" returns 1 datapoint(s) over the last hour, measured on the stable orders-v1',
      },
      {
        status: 'finding',
        field: 'analysis.metrics[1]',
        message: 'CloudWatch refused the queries of "latency" (InvalidParameterValue: bad period); fix them',
      },
    ]);
    expect(reads[0]).toMatchObject({
      start: new Date('2026-01-01T09:30:00Z'),
      end: new Date('2026-01-01T10:30:00Z'),
    });
    expect(JSON.stringify(reads[0]?.queries)).toContain('"Value":"orders-v1"');
  });
});
