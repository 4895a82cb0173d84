import { describe, expect, it } from 'vitest';
import { applyOverrides, overrideProblems } from '#core/overrides.ts';
import { planRelease } from '#core/plan.ts';
import { type ProfileInput, parseProfile } from '#core/profile/profile.ts';
import { parseRequest } from '#core/profile/request.ts';
import { fieldPath } from '#core/validation.ts';
import { routerKinds } from '#routers/registry.ts';
import { ordersProfile } from '../support/profiles.ts';

const errorRate = {
  name: 'error-rate',
  queries: [{ Id: 'errors', Expression: "SEARCH('{Shop/Orders} HTTP5xx', 'Sum', 60)" }],
  returnId: 'errors',
  max: 0.01,
};
const latency = {
  name: 'p99',
  queries: [
    {
      Id: 'p99',
      MetricStat: {
        Metric: {
          Namespace: 'Shop',
          MetricName: 'Latency',
          Dimensions: [{ Name: 'Node', Value: '{canary}' }],
        },
        Period: 60,
        Stat: 'p99',
      },
    },
  ],
  returnId: 'p99',
  compare: 'stable',
};

const base = (more: Partial<ProfileInput> = {}) =>
  parseProfile(
    ordersProfile({
      analysis: {
        alarms: ['orders-5xx'],
        failureThreshold: 2,
        insufficientData: 'fail',
        interval: '1m',
        metrics: [errorRate, latency],
      },
      ...more,
    } as never),
    routerKinds,
  );

/** The problems of a request with these overrides against the profile, every alarm of the team known. */
function problems(overrides: Record<string, unknown>, profile = base()): string[] {
  const request = parseRequest({ service: 'orders', version: 'v2', overrides });
  const merged = applyOverrides(profile, request);
  return overrideProblems(profile, request.overrides ?? {}, {
    field: (path) => fieldPath(['request', ...path]),
    profileAlarms: new Set(['orders-5xx', 'orders-latency', 'checkout-5xx']),
    plans: { own: planRelease(profile), overridden: planRelease(merged) },
  });
}

const UNLESS = (block: string) =>
  `a request may only make a release stricter, unless the profile says "allowOverrides": ["${block}"]`;

describe("a request's overrides of the strategy", () => {
  it("refuses issue 12's all-at-once over a canary: more traffic at once, promoted sooner", () => {
    expect(problems({ strategy: { type: 'all-at-once', bake: '1s' } })).toEqual([
      `request.overrides.strategy: puts 100% on the new version at 0s, where the profile's canary strategy puts 10% (at no moment may a request send the new version more traffic, or promote it sooner); ${UNLESS('strategy')}`,
    ]);
  });

  it('takes more steps, lower weights and longer intervals', () => {
    expect(problems({ strategy: { type: 'canary', steps: [1, 5, 10, 25, 50], interval: '5m' } })).toEqual([]);
    expect(problems({ strategy: { type: 'canary', steps: [10, 25, 50], interval: '30m' } })).toEqual([]);
    expect(problems({ strategy: { type: 'linear', stepPercent: 5, interval: '5m' } })).toEqual([]);
  });

  it('refuses a step skipped or a shorter interval, naming the moment', () => {
    expect(problems({ strategy: { type: 'canary', steps: [10, 50], interval: '5m' } })[0]).toContain(
      "puts 50% on the new version at 5m, where the profile's canary strategy puts 25%",
    );
    expect(problems({ strategy: { type: 'canary', steps: [10, 25, 50], interval: '1m' } })[0]).toContain(
      "puts 25% on the new version at 1m, where the profile's canary strategy puts 10%",
    );
  });

  it('refuses a promotion sooner, even after lower weights', () => {
    expect(problems({ strategy: { type: 'canary', steps: [1], interval: '5m' } })[0]).toContain(
      "promotes at 5m, while the profile's canary strategy still watches the new version at 25% until 15m",
    );
  });

  it('lets an all-at-once profile be walked in steps, or baked longer', () => {
    const atOnce = base({ strategy: { type: 'all-at-once', bake: '10m' } });
    expect(problems({ strategy: { type: 'canary', steps: [10, 50], interval: '5m' } }, atOnce)).toEqual([]);
    expect(problems({ strategy: { type: 'all-at-once', bake: '1h' } }, atOnce)).toEqual([]);
    expect(problems({ strategy: { type: 'all-at-once', bake: '5m' } }, atOnce)[0]).toContain(
      "promotes at 5m, while the profile's all-at-once strategy still watches the new version at 100% until 10m",
    );
  });

  it("refuses a side route the profile does not open, or another header's", () => {
    const blueGreen = {
      type: 'blue-green',
      testHeader: { name: 'x-preview', value: 'true' },
      bake: '5m',
    };
    expect(problems({ strategy: blueGreen })[0]).toContain(
      "request.overrides.strategy: opens a blue-green side route the profile's canary strategy does not",
    );
    const profile = base({ strategy: blueGreen as never });
    expect(problems({ strategy: { ...blueGreen, bake: '10m' } }, profile)).toEqual([]);
    expect(
      problems({ strategy: { ...blueGreen, testHeader: { name: 'user-agent', value: 'curl' } } }, profile)[0],
    ).toContain('opens a blue-green side route');
  });

  it('takes any strategy from a profile that allows it', () => {
    const free = base({ allowOverrides: ['strategy'] } as never);
    expect(problems({ strategy: { type: 'all-at-once', bake: '1s' } }, free)).toEqual([]);
  });
});

describe("a request's overrides of the analysis", () => {
  it("refuses issue 12's empty alarm list, naming the dropped alarm", () => {
    expect(problems({ analysis: { alarms: [] } })).toEqual([
      `request.overrides.analysis.alarms: leaves out the profile's "orders-5xx"; a request may add alarms to the profile's, not drop them; ${UNLESS('analysis')}`,
    ]);
  });

  it("adds alarms that profiles name, keeps the rest of the profile's analysis, and tightens thresholds", () => {
    const overrides = {
      analysis: {
        alarms: ['orders-5xx', 'checkout-5xx'],
        failureThreshold: 1,
        interval: '30s',
        inconclusiveLimit: 1,
        metrics: [
          { name: 'error-rate', max: 0.005, min: 0, noData: 'fail' },
          { name: 'p99', tolerance: 0.05, confidence: 0.9 },
        ],
      },
      onFailure: 'rollback',
    };
    expect(problems(overrides)).toEqual([]);
    const merged = applyOverrides(base(), parseRequest({ service: 'orders', version: 'v2', overrides }));
    expect(merged.analysis).toMatchObject({
      alarms: ['orders-5xx', 'checkout-5xx'],
      failureThreshold: 1,
      insufficientData: 'fail',
      interval: 30,
      inconclusiveLimit: 1,
    });
    expect(merged.analysis.metrics?.[0]).toMatchObject({ ...errorRate, max: 0.005, min: 0, noData: 'fail' });
    expect(merged.analysis.metrics?.[1]).toMatchObject({ ...latency, tolerance: 0.05, confidence: 0.9 });
  });

  it('refuses an alarm no profile names: the alarm rule and the grants cover only those', () => {
    expect(problems({ analysis: { alarms: ['orders-5xx', 'billing-secrets-rotated'] } })).toEqual([
      `request.overrides.analysis.alarms[1]: "billing-secrets-rotated" is an alarm no release profile names; a request may add only alarms a profile names (the construct's alarm rule and permissions cover those): name it in a profile's analysis.alarms first`,
    ]);
  });

  it('refuses every loosening, naming the field and the profile setting that allows it', () => {
    const found = problems({
      analysis: {
        failureThreshold: 5,
        insufficientData: 'ignore',
        interval: '5m',
        inconclusiveLimit: 9,
        metrics: [
          { name: 'error-rate', max: 0.5, noData: 'pass', minSamples: 10 },
          { name: 'p99', tolerance: 0.5, confidence: 0.99 },
        ],
      },
      onFailure: 'freeze',
    });
    expect(found.map((p) => p.split(':')[0])).toEqual([
      'request.overrides.analysis.failureThreshold',
      'request.overrides.analysis.insufficientData',
      'request.overrides.analysis.interval',
      'request.overrides.analysis.inconclusiveLimit',
      'request.overrides.analysis.metrics[0].max',
      'request.overrides.analysis.metrics[0].noData',
      'request.overrides.analysis.metrics[0].minSamples',
      'request.overrides.analysis.metrics[1].confidence',
      'request.overrides.analysis.metrics[1].tolerance',
      'request.overrides.onFailure',
    ]);
    expect(found.slice(0, -1).every((p) => p.endsWith(UNLESS('analysis')))).toBe(true);
    expect(found.at(-1)).toBe(
      `request.overrides.onFailure: "freeze" is weaker than the profile's "rollback" ("rollback" is the strictest, then "gradual", then "freeze"); ${UNLESS('onFailure')}`,
    );
  });

  it('takes loosening from a profile that allows it, but never a check the profile lacks', () => {
    const free = base({ allowOverrides: ['analysis', 'onFailure'] } as never);
    expect(
      problems(
        { analysis: { alarms: [], failureThreshold: 5, metrics: [{ name: 'error-rate', max: 1 }] } },
        free,
      ),
    ).toEqual([]);
    expect(problems({ analysis: { metrics: [{ name: 'cpu', max: 90 }] } }, free)).toEqual([
      'request.overrides.analysis.metrics[0].name: "cpu" names no metric check of the profile (it has error-rate, p99); a request may tighten the profile\'s checks by name, never add one: its queries would run under Analyze\'s role',
    ]);
  });

  it('refuses bounds on a comparison, and a min above the max', () => {
    expect(problems({ analysis: { metrics: [{ name: 'p99', max: 300 }] } })).toEqual([
      'request.overrides.analysis.metrics[0].max: p99 compares the canary with the stable version and has no bounds; tighten its tolerance or confidence instead',
    ]);
    expect(problems({ analysis: { metrics: [{ name: 'error-rate', min: 0.5 }] } })).toEqual([
      'request.overrides.analysis.metrics[0].min: 0.5 is above max (0.01); no value could pass',
    ]);
  });
});

describe('metric queries in a request', () => {
  it('are refused at the field, whatever the profile allows', () => {
    expect(() =>
      parseRequest({
        service: 'orders',
        version: 'v2',
        overrides: { analysis: { metrics: [{ ...errorRate, name: 'error-rate' }] } },
      }),
    ).toThrow(
      "request.overrides.analysis.metrics[0].queries: cannot come from a request: a request's metric queries would run under Analyze's role and their values come back in the reason; define the check in the profile, and tighten it here by its name",
    );
  });
});
