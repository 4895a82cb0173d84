import { describe, expect, it } from 'vitest';
import { metricRequest, metricWindow } from '#core/health/metric-request.ts';
import { judgeMetricChecks } from '#core/health/metric-verdicts.ts';
import { haltReason } from '#core/health/signals.ts';
import type { MetricRead } from '#core/ports.ts';
import { type MetricCheck, metricCheckSchema, metricChecksSchema } from '#core/profile/metric-checks.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { describeIssues } from '#core/validation.ts';
import { routerKinds } from '#routers/registry.ts';
import { execution, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const stat = (id: string, metric: string, node = '{canary}') => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'Shop/Orders',
      MetricName: metric,
      Dimensions: [{ Name: 'VirtualNode', Value: node }],
    },
    Period: 60,
    Stat: 'Sum',
  },
});

const errorRate = {
  name: 'error-rate',
  queries: [
    stat('errors', 'HTTP5xx'),
    stat('requests', 'Requests'),
    { Id: 'rate', Expression: 'errors / requests' },
  ],
  returnId: 'rate',
  max: 0.01,
};

const latency = {
  name: 'p99 latency',
  queries: [stat('p99', 'Latency')],
  returnId: 'p99',
  compare: 'stable',
  minSamples: 5,
  unit: 'ms',
};

const targets = { version: 'v2', canary: 'orders-v2', stable: 'orders-v1' };

function problems(input: unknown): string[] {
  const result = metricChecksSchema.safeParse(input);
  return result.success ? [] : describeIssues(result.error, 'analysis.metrics');
}

function check(input: unknown): MetricCheck {
  return metricCheckSchema.parse(input);
}

describe('the metrics block of a profile', () => {
  it('takes bound checks and comparisons, noData "inconclusive" by default', () => {
    // Act
    const profile = parseProfile(
      {
        ...ordersProfile(),
        analysis: { alarms: [], metrics: [errorRate, latency], inconclusiveLimit: 2 },
      },
      routerKinds,
    );

    // Assess
    expect(profile.analysis.metrics?.map((c) => [c.name, c.noData])).toEqual([
      ['error-rate', 'inconclusive'],
      ['p99 latency', 'inconclusive'],
    ]);
    expect(profile.analysis.inconclusiveLimit).toBe(2);
  });

  it('refuses a returnId naming no query, and a check without bounds, in sentences', () => {
    // Act
    const found = problems([
      { ...errorRate, returnId: 'ratio' },
      { ...errorRate, name: 'unbounded', max: undefined },
    ]);

    // Assess
    expect(found).toEqual([
      'analysis.metrics[0].returnId: "ratio" names none of the check\'s queries; use one of: errors, requests, rate',
      'analysis.metrics[1]: sets neither "max" nor "min"; bound the value (max, min or both), or add "compare": "stable" to judge the canary against the stable version',
    ]);
  });

  it('refuses ids CloudWatch would refuse, repeated ids, and a query with both or neither of Expression and MetricStat', () => {
    // Act
    const found = problems([
      {
        ...errorRate,
        queries: [
          { ...stat('Errors', 'HTTP5xx') },
          stat('requests', 'Requests'),
          stat('requests', 'Requests'),
          { Id: 'rate', Expression: 'errors / requests', MetricStat: stat('x', 'y').MetricStat },
          { Id: 'empty' },
        ],
      },
    ]);

    // Assess
    expect(found).toEqual([
      'analysis.metrics[0].queries[0].Id: "Errors" is not a CloudWatch query id; start with a lowercase letter and use only letters, digits and "_", such as "errorRate"',
      'analysis.metrics[0].queries[3]: has both "Expression" and "MetricStat"; CloudWatch takes exactly one of them per query',
      'analysis.metrics[0].queries[4]: has neither "Expression" nor "MetricStat"; a query either reads a metric (MetricStat) or computes one (Expression)',
      'analysis.metrics[0].queries[2].Id: repeats "requests"; each query of a check needs its own Id',
      'analysis.metrics[0].queries[3].Expression: refers to "errors", which is not an Id of this check\'s queries; use one of: Errors, requests, empty',
    ]);
    expect(problems([{ ...errorRate, queries: [...errorRate.queries, stat('rate', 'Other')] }])).toEqual([
      'analysis.metrics[0].queries[3].Id: repeats "rate"; each query of a check needs its own Id',
    ]);
  });

  it('refuses an expression using an id the check does not have, or its own', () => {
    // Act
    const found = problems([
      {
        ...errorRate,
        queries: [
          stat('errors', 'HTTP5xx'),
          stat('requests', 'Requests'),
          {
            Id: 'rate',
            Expression: "FILL(errors, 0) / requestz + rate + SEARCH('{Shop/Orders} latency', 'Sum', 60)",
          },
        ],
      },
    ]);

    // Assess: FILL and SEARCH are functions, the quoted text is not an id
    expect(found).toEqual([
      'analysis.metrics[0].queries[2].Expression: refers to "requestz", which is not an Id of this check\'s queries; use one of: errors, requests',
      'analysis.metrics[0].queries[2].Expression: refers to its own Id "rate"; an expression computes from the check\'s other queries',
    ]);
  });

  it('takes one Metrics Insights query, whose words are not ids, and refuses a second in the same call', () => {
    // Prepare
    const insights = {
      name: 'latency insights',
      queries: [
        {
          Id: 'q',
          Expression: 'SELECT AVG(latency) FROM "Shop/Orders" WHERE VirtualNode = \'{canary}\'',
          Period: 60,
        },
      ],
      returnId: 'q',
      max: 300,
    };

    // Act & Assess
    expect(problems([insights])).toEqual([]);
    expect(metricRequest([check(insights)], targets).queries[0]?.Expression).toBe(
      'SELECT AVG(latency) FROM "Shop/Orders" WHERE VirtualNode = \'orders-v2\'',
    );
    expect(problems([insights, { ...insights, name: 'second' }])).toEqual([
      "analysis.metrics: hold 2 Metrics Insights queries (SELECT ..., a comparison's count twice); one GetMetricData call takes only one, so use metric math or MetricStat for the others",
    ]);
  });

  it('refuses CloudWatch periods and units that do not exist, and min above max', () => {
    // Act
    const found = problems([
      {
        ...errorRate,
        queries: [
          {
            ...stat('rate', 'Rate'),
            MetricStat: { ...stat('rate', 'Rate').MetricStat, Period: 90, Unit: 'ms' },
          },
        ],
      },
      { ...errorRate, name: 'impossible', min: 0.5 },
    ]);

    // Assess
    expect(found).toEqual([
      'analysis.metrics[0].queries[0].MetricStat.Period: 90 is not a CloudWatch period; use 60 or a multiple of it (1, 5, 10, 20 or 30 for high-resolution metrics)',
      'analysis.metrics[0].queries[0].MetricStat.Unit: "ms" is not a CloudWatch unit; use one of CloudWatch\'s StandardUnit values, such as "Milliseconds", "Count" or "Percent"',
      'analysis.metrics[1].min: 0.5 is above max (0.01); no value could pass',
    ]);
  });

  it('keeps comparisons and bounds apart, and makes comparisons name their target with {canary} only', () => {
    // Act
    const found = problems([
      { ...latency, max: 300 },
      { ...latency, name: 'by version', queries: [stat('p99', 'Latency', 'orders-{version}')] },
      { ...errorRate, name: 'bounded', tolerance: 0.1 },
    ]);

    // Assess
    expect(found).toEqual([
      'analysis.metrics[0].max: does not go with "compare"; a comparison judges the canary against the stable version, so bound the value in a check of its own',
      'analysis.metrics[1].queries: never names {canary}; a comparison runs its queries once as written for the canary and once with the stable version\'s target in place of {canary}, so name the target with {canary}, e.g. {"Name": "VirtualNode", "Value": "{canary}"}',
      "analysis.metrics[1].queries: names {version}; in a comparison only {canary} names the target, which stepshift fills with each version's target in turn",
      'analysis.metrics[2].tolerance: applies only to a comparison; add "compare": "stable" or leave it out',
    ]);
  });

  it('refuses repeated check names and more queries than one GetMetricData call takes', () => {
    // Prepare: 250 comparisons of one query each count 500; one more query makes 501
    const many = Array.from({ length: 250 }, (_, i) => ({ ...latency, name: `c${i}` }));

    // Act & Assess
    expect(problems([errorRate, errorRate])).toEqual([
      'analysis.metrics[1].name: repeats "error-rate"; each check needs its own name, which signals and world.metrics go by',
    ]);
    expect(problems(many)).toEqual([]);
    expect(problems([...many, { ...errorRate, queries: [stat('rate', 'Rate')] }])).toEqual([
      "analysis.metrics: ask CloudWatch for 501 queries in all (a comparison's count twice); one GetMetricData call takes at most 500, so use fewer checks or queries",
    ]);
  });
});

describe('metricRequest', () => {
  it('namespaces ids per target and check, renames them in expressions, fills placeholders, returns only the judged query', () => {
    // Act
    const plan = metricRequest([check(errorRate)], targets);

    // Assess
    expect(plan.returned).toEqual([{ id: 'canary_0_rate', check: 'error-rate', side: 'canary' }]);
    expect(plan.queries.map((q) => [q.Id, q.ReturnData, q.Label])).toEqual([
      ['canary_0_errors', false, undefined],
      ['canary_0_requests', false, undefined],
      ['canary_0_rate', true, 'error-rate'],
    ]);
    expect(plan.queries[2]?.Expression).toBe('canary_0_errors / canary_0_requests');
    expect(plan.queries[0]?.MetricStat?.Metric.Dimensions).toEqual([
      { Name: 'VirtualNode', Value: 'orders-v2' },
    ]);
  });

  it('takes numbers in scientific notation in an expression, and leaves them alone', () => {
    // Prepare
    const c = {
      ...errorRate,
      queries: [stat('errors', 'HTTP5xx'), { Id: 'rate', Expression: 'errors * 1e3 + 2.5e-3' }],
    };

    // Act & Assess
    expect(problems([c])).toEqual([]);
    expect(metricRequest([check(c)], targets).queries[1]?.Expression).toBe('canary_0_errors * 1e3 + 2.5e-3');
  });

  it('leaves quoted text and functions in expressions alone', () => {
    // Prepare
    const c = check({
      ...errorRate,
      queries: [
        stat('errors', 'HTTP5xx'),
        { Id: 'rate', Expression: "FILL(errors, 0) / SEARCH('{Shop/Orders} errors', 'Sum', 60)" },
      ],
    });

    // Act
    const plan = metricRequest([c], targets);

    // Assess
    expect(plan.queries[1]?.Expression).toBe(
      "FILL(canary_0_errors, 0) / SEARCH('{Shop/Orders} errors', 'Sum', 60)",
    );
  });

  it('runs a comparison twice, the stable copy with the stable target in place of {canary}', () => {
    // Act
    const plan = metricRequest([check(errorRate), check(latency)], targets);

    // Assess
    expect(plan.returned).toEqual([
      { id: 'canary_0_rate', check: 'error-rate', side: 'canary' },
      { id: 'canary_1_p99', check: 'p99 latency', side: 'canary' },
      { id: 'stable_1_p99', check: 'p99 latency', side: 'stable' },
    ]);
    const nodes = plan.queries.slice(3).map((q) => q.MetricStat?.Metric.Dimensions?.[0]?.Value);
    expect(nodes).toEqual(['orders-v2', 'orders-v1']);
  });

  it('measures the stable target for a bound check that names only {stable}', () => {
    // Act
    const plan = metricRequest(
      [check({ ...errorRate, queries: [stat('rate', 'Rate', '{stable}')] })],
      targets,
    );

    // Assess
    expect(plan.returned).toEqual([{ id: 'stable_0_rate', check: 'error-rate', side: 'stable' }]);
    expect(plan.queries[0]?.MetricStat?.Metric.Dimensions?.[0]?.Value).toBe('orders-v1');
  });
});

describe('judgeMetricChecks', () => {
  const judge = (
    raw: unknown,
    values: Record<string, number[]>,
    limit = 3,
    previous: Record<string, number> = {},
  ) => {
    const c = check(raw);
    const plan = metricRequest([c], targets);
    return judgeMetricChecks([c], plan, new Map(Object.entries(values)), limit, previous);
  };

  it('fails the mean of the window above max, showing the value against its bound over its samples', () => {
    // Act
    const { signals } = judge(errorRate, { canary_0_rate: [0.04, 0.044, 0.042] });

    // Assess
    expect(signals).toEqual([
      {
        name: 'error-rate',
        kind: 'metric',
        value: '0.042',
        verdict: 'fail',
        detail: '0.042 above max 0.01 over 3 samples',
        samples: 3,
        measured: { canary: 0.042, max: 0.01 },
      },
    ]);
  });

  it('passes within the bounds, fails below min, and drops values that are not finite', () => {
    // Act
    const within = judge({ ...errorRate, min: 0.001 }, { canary_0_rate: [0.002, Number.NaN] });
    const below = judge({ ...errorRate, max: undefined, min: 0.5, unit: 'req/s' }, { canary_0_rate: [0.25] });

    // Assess
    expect(within.signals[0]?.detail).toBe('0.002 within min 0.001 and max 0.01 over 1 sample');
    expect(within.signals[0]?.verdict).toBe('pass');
    expect(below.signals[0]?.detail).toBe('0.25 req/s below min 0.5 req/s over 1 sample');
  });

  it.each([
    ['fail', 'fail'],
    ['pass', 'pass'],
    ['inconclusive', 'inconclusive'],
  ] as const)('follows noData "%s" when the series has no datapoints', (noData, verdict) => {
    // Act
    const { signals } = judge({ ...errorRate, noData }, {});

    // Assess
    expect(signals[0]).toMatchObject({
      value: 'NO DATA',
      verdict,
      detail: `has no datapoints in the window; noData is "${noData}"`,
      samples: 0,
    });
  });

  it('is inconclusive with fewer samples than minSamples', () => {
    // Act
    const { signals } = judge({ ...errorRate, minSamples: 5 }, { canary_0_rate: [0.5, 0.5] });

    // Assess
    expect(signals[0]).toMatchObject({
      verdict: 'inconclusive',
      detail: 'has 2 samples, fewer than the 5 minSamples asks for',
    });
  });

  it('fails a check inconclusive inconclusiveLimit analyses in a row, and counts afresh after a verdict', () => {
    // Act
    const second = judge(errorRate, {}, 3, { 'error-rate': 1 });
    const third = judge(errorRate, {}, 3, { 'error-rate': 2 });
    const afterPass = judge(errorRate, { canary_0_rate: [0.001] }, 3, { 'error-rate': 2 });

    // Assess
    expect(second.signals[0]?.verdict).toBe('inconclusive');
    expect(second.inconclusiveRuns).toEqual({ 'error-rate': 2 });
    expect(third.signals[0]).toMatchObject({
      verdict: 'fail',
      detail:
        'has no datapoints in the window; noData is "inconclusive"; inconclusive 3 analyses in a row, the inconclusiveLimit of 3',
    });
    expect(afterPass.inconclusiveRuns).toEqual({ 'error-rate': 0 });
  });

  it('judges a comparison with the Mann-Whitney judge, its verdict and score in the signal', () => {
    // Prepare: the canary 65% slower, every value
    const values = { canary_0_p99: [412, 405, 430, 398, 415], stable_0_p99: [250, 245, 262, 255, 240] };

    // Act
    const { signals } = judge(latency, values);

    // Assess: the same numbers as the judge's own reference test
    expect(signals[0]).toMatchObject({
      kind: 'comparison',
      value: 'FAIL',
      verdict: 'fail',
      detail:
        'canary p99 latency 412 ms vs baseline 250 ms (+65%, p=0.0061 < 0.05): fail, higher beyond the 10% tolerance (score 0)',
      judgement: { verdict: 'fail', score: 0 },
    });
  });

  it('carries the numbers it judged, for a chart: the medians and the bound the tolerance puts on the canary', () => {
    // Prepare: medians 412 and 250; a 10% tolerance, higher is bad, then lower is bad
    const values = { canary_0_p99: [412, 405, 430, 398, 415], stable_0_p99: [250, 245, 262, 255, 240] };

    // Act
    const higher = judge(latency, values).signals[0];
    const lower = judge({ ...latency, direction: 'decrease-is-bad' }, values).signals[0];
    const bounded = judge({ ...errorRate, min: 0.001 }, { canary_0_rate: [0.002, 0.004] }).signals[0];
    const missing = judge(latency, { stable_0_p99: [1, 2, 3, 4, 5] }).signals[0];

    // Assess
    expect(higher?.measured).toEqual({ canary: 412, stable: 250, max: 275 });
    expect(lower?.measured).toEqual({ canary: 412, stable: 250, min: 225 });
    expect(bounded?.measured).toEqual({ canary: 0.003, min: 0.001, max: 0.01 });
    expect(missing?.measured).toBeUndefined();
  });

  it('counts a marginal comparison as inconclusive', () => {
    // Prepare: 5% slower every time: significant, within the 10% tolerance
    const values = {
      canary_0_p99: [105, 106, 104, 107, 103, 105],
      stable_0_p99: [100, 101, 99, 102, 98, 100],
    };

    // Act
    const { signals, inconclusiveRuns } = judge(latency, values);

    // Assess
    expect(signals[0]?.verdict).toBe('inconclusive');
    expect(signals[0]?.judgement?.verdict).toBe('marginal');
    expect(signals[0]?.detail).toMatch(
      /marginal, significantly higher but within the 10% tolerance \(score 45\)$/,
    );
    expect(inconclusiveRuns).toEqual({ 'p99 latency': 1 });
  });

  it('applies noData to the canary series of a comparison', () => {
    // Act
    const { signals } = judge({ ...latency, noData: 'fail' }, { stable_0_p99: [1, 2, 3, 4, 5] });

    // Assess
    expect(signals[0]).toMatchObject({ verdict: 'fail', value: 'NO DATA' });
  });
});

describe('haltReason with metric signals', () => {
  it("says each failed check in words: the value against its bound, or the judge's reason", () => {
    // Prepare
    const bound = judgeMetricChecks(
      [check(errorRate)],
      metricRequest([check(errorRate)], targets),
      new Map([['canary_0_rate', [0.042]]]),
      3,
    ).signals;
    const compared = judgeMetricChecks(
      [check(latency)],
      metricRequest([check(latency)], targets),
      new Map([
        ['canary_0_p99', [412, 405, 430, 398, 415]],
        ['stable_0_p99', [250, 245, 262, 255, 240]],
      ]),
      3,
    ).signals;

    // Act
    const reason = haltReason([...bound, ...compared], 1, 25, 1);

    // Assess
    expect(reason).toBe(
      'error-rate 0.042 above max 0.01 over 1 sample; canary p99 latency 412 ms vs baseline 250 ms (+65%, p=0.0061 < 0.05): fail, higher beyond the 10% tolerance (score 0), at step 2 with 25% on the new version; 1 failed check reached the threshold',
    );
  });
});

describe('metricWindow', () => {
  it('covers the whole minutes since the last analysis, leaving the running minute to the next', () => {
    // Act
    const window = metricWindow(new Date('2026-01-01T00:05:00.650Z'), new Date('2026-01-01T00:10:00.950Z'));

    // Assess
    expect(window).toEqual({
      start: new Date('2026-01-01T00:05:00Z'),
      end: new Date('2026-01-01T00:10:00Z'),
    });
    expect(metricWindow(new Date('2026-01-01T00:05:10Z'), new Date('2026-01-01T00:05:50Z'))).toBeUndefined();
  });
});

describe('analyzeHealth with metric checks', () => {
  async function shifted(clockAt: () => Date) {
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const profile = ordersProfile({ analysis: { alarms: [], metrics: [errorRate] } });
    const { deps, events } = fakeDeps(router, profile);
    const reads: MetricRead[] = [];
    const values: Record<string, number[]> = {};
    const ports = {
      ...deps,
      clock: { now: clockAt },
      health: {
        ...deps.health,
        readMetrics: async (read: MetricRead) => {
          reads.push(read);
          return read.queries
            .filter((q) => q.ReturnData !== false)
            .map((q) => ({ id: q.Id, timestamps: [], values: values[q.Id] ?? [] }));
        },
      },
    };
    const state = await shiftTraffic(
      await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ports),
      ports,
    );
    return { state, ports, reads, values, events };
  }

  it('reads every check with one call over the whole minutes since the last analysis, and carries the count of inconclusive analyses', async () => {
    // Prepare: prepared at 00:00:10, analysed at 00:05:00.5
    let now = new Date('2026-01-01T00:00:10Z');
    const { state, ports, reads } = await shifted(() => now);
    now = new Date('2026-01-01T00:05:00.500Z');

    // Act
    const next = await analyzeHealth(state, ports);

    // Assess
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      start: new Date('2026-01-01T00:00:00Z'),
      end: new Date('2026-01-01T00:05:00Z'),
    });
    expect(reads[0]?.queries.map((q) => q.Id)).toEqual([
      'canary_0_errors',
      'canary_0_requests',
      'canary_0_rate',
    ]);
    expect(next.inconclusiveRuns).toEqual({ 'error-rate': 1 });
    expect(next.next).toBe('shift');
  });

  it('rolls back when a check fails, with its words as the reason', async () => {
    // Prepare
    let now = new Date('2026-01-01T00:00:10Z');
    const { state, ports, values } = await shifted(() => now);
    now = new Date('2026-01-01T00:05:00Z');
    values.canary_0_rate = [0.03, 0.05];

    // Act
    const next = await analyzeHealth(state, ports);

    // Assess
    expect(next.next).toBe('rollback');
    expect(next.halt?.reason).toBe(
      'error-rate 0.04 above max 0.01 over 2 samples, at step 1 with 10% on the new version; 1 failed check reached the threshold',
    );
  });

  it('reads no metrics when less than a whole minute has passed since the last analysis', async () => {
    // Prepare
    let now = new Date('2026-01-01T00:00:10Z');
    const { state, ports, reads, events } = await shifted(() => now);
    now = new Date('2026-01-01T00:00:50Z');

    // Act
    const next = await analyzeHealth(state, ports);

    // Assess
    expect(reads).toEqual([]);
    expect(next.inconclusiveRuns).toBeUndefined();
    const completed = events.find((e) => e.type === 'analysis.completed');
    expect(completed && 'signals' in completed ? completed.signals : undefined).toEqual([]);
  });
});
