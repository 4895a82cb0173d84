import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { expectLambdaAliasInvariant } from '../../support/invariant.ts';

/**
 * The Lambda alias examples (examples/lambda/) through the state machine: each meets its expectation,
 * and the alias ends as read, fully promoted, or, where a person edited it, as the person left it.
 */
const dir = new URL('../../../examples/lambda/', import.meta.url).pathname;

describe('Lambda alias releases', () => {
  it.each([
    ['canary-healthy.json', 'promoted', undefined],
    ['canary-alarm-rollback.json', 'snapshot', undefined],
    ['canary-alarm-polling.json', 'snapshot', undefined],
    ['judge-duration-rollback.json', 'snapshot', undefined],
    ['operator-edit-alias.json', 'person', { '6': 50, '7': 50 }],
    ['operator-edit-alias-revision.json', 'person', { '6': 70, '7': 30 }],
  ] as const)('%s ends %s', async (file, ended, person) => {
    const scenario = await loadScenario(`${dir}${file}`);
    const report = await rehearse(scenario);

    expect(report.expectation?.met, `${report.outcome}: ${report.error?.message}`).toBe(true);
    expect(expectLambdaAliasInvariant(scenario, report, '7', person)).toBe(ended);
  });

  it("refuses a stale RevisionId rather than writing over a person's edit made between the read and the write", async () => {
    const report = await rehearse(await loadScenario(`${dir}operator-edit-alias-revision.json`));
    const writes = report.calls.filter((c) => c.operation === 'UpdateAlias');

    expect(writes.at(-1)?.error?.name).toBe('PreconditionFailedException');
    expect(report.error?.name).toBe('RouteDrifted');
  });

  it.each([0.02, 0.2])(
    "lands the person's edit between the release's read and its write when each call takes %ss",
    async (latency) => {
      // The edit waits for the release's next UpdateAlias ("beforeCall"), not for a time to the
      // millisecond, so calls slower or faster than the example's own still put it in between.
      const scenario = await loadScenario(`${dir}operator-edit-alias-revision.json`);
      const slower = { ...scenario, world: { ...scenario.world, callLatency: latency } };

      const report = await rehearse(slower);

      const writes = report.calls.filter((c) => c.operation === 'UpdateAlias');
      expect(writes.at(-1)?.error?.name).toBe('PreconditionFailedException');
      expect(report.error?.name).toBe('RouteDrifted');
      expect(expectLambdaAliasInvariant(slower, report, '7', { '6': 70, '7': 30 })).toBe('person');
    },
  );

  it("refuses while the profile's CodeDeploy deployment group has a deployment not ended, naming it, with no weight written", async () => {
    const scenario = await loadScenario(`${dir}codedeploy-in-progress.json`);
    const report = await rehearse(scenario);

    expect(report.expectation?.met, `${report.outcome}: ${report.error?.message}`).toBe(true);
    expect(report.error?.message).toContain(
      'route lambda:orders-api:live: CodeDeploy deployment group "orders-live" of application "orders" has a deployment not yet ended (d-ORDERS0042) that may be shifting alias "live"; wait for it to end or stop it (aws deploy stop-deployment --deployment-id d-ORDERS0042), then release again',
    );
    expect(report.calls.filter((c) => c.operation === 'UpdateAlias')).toEqual([]);
    expect(report.calls.filter((c) => c.operation === 'ListDeployments').map((c) => c.input)).toEqual([
      {
        applicationName: 'orders',
        deploymentGroupName: 'orders-live',
        includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'],
      },
    ]);
    expect(expectLambdaAliasInvariant(scenario, report, '7', undefined)).toBe('snapshot');
  });

  it.each([
    ['throttled once: retried, and the deployment still named', { call: 1 }, 'rejected', 'InvalidRequest'],
    ['throttled past the retries: the router unavailable', { from: 0 }, 'failed', 'RouterUnavailable'],
  ] as const)(
    'reads the CodeDeploy group through the route-call wrapper when %s',
    async (_, when, outcome, name) => {
      const scenario = await loadScenario(`${dir}codedeploy-in-progress.json`);
      const fault = { operation: 'ListDeployments' as const, error: 'ThrottlingException' as const, ...when };
      const throttled = { ...scenario, world: { ...scenario.world, faults: [fault] } };

      const report = await rehearse(throttled);

      expect([report.outcome, report.error?.name]).toEqual([outcome, name]);
      expect(report.calls.filter((c) => c.operation === 'UpdateAlias')).toEqual([]);
      expect(expectLambdaAliasInvariant(throttled, report, '7', undefined)).toBe('snapshot');
    },
  );

  it('judges the new version against the stable by the ExecutedVersion dimension of the alias', async () => {
    const report = await rehearse(await loadScenario(`${dir}judge-duration-rollback.json`));
    const queries = report.calls
      .filter((c) => c.operation === 'GetMetricData')
      .flatMap((c) => c.input.MetricDataQueries as { MetricStat: { Metric: { Dimensions: unknown[] } } }[]);

    expect(queries.map((q) => q.MetricStat.Metric.Dimensions)).toContainEqual([
      { Name: 'FunctionName', Value: 'orders-api' },
      { Name: 'Resource', Value: 'orders-api:live' },
      { Name: 'ExecutedVersion', Value: '7' },
    ]);
    expect(queries.map((q) => q.MetricStat.Metric.Dimensions)).toContainEqual([
      { Name: 'FunctionName', Value: 'orders-api' },
      { Name: 'Resource', Value: 'orders-api:live' },
      { Name: 'ExecutedVersion', Value: '6' },
    ]);
    expect(report.outcome).toBe('rolled_back');
  });
});
