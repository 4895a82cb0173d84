import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { createMetricHealthSource } from '#adapters/aws/cloudwatch-metrics.ts';
import { describeIssues } from '#core/validation.ts';
import { parseWorld, type WorldInput } from '#rehearsal/script/world.ts';
import { failureOf, simulate } from '../../support.ts';

const WORLD: WorldInput = {
  metrics: {
    'error-rate': {
      canary: [
        { at: '0s', value: 0.001 },
        { at: '1m', value: 0.002 },
        { at: '2m', value: 0.003 },
        { at: '12m', value: 0.05 },
      ],
      stable: [{ at: '1m', value: 0.0005 }],
    },
  },
};

const EPOCH = Date.UTC(2026, 0, 1);
const at = (seconds: number) => new Date(EPOCH + seconds * 1000);

/** A check's judged query as stepshift sends it: the target in the Id's prefix, the check in the Label. */
const judged = (id: string, label = 'error-rate'): MetricDataQuery => ({
  Id: id,
  Expression: 'errors / requests',
  Label: label,
  ReturnData: true,
});

describe('GetMetricData through the real CloudWatchClient', () => {
  it("answers each returned query from its check's series for its target, within [StartTime, EndTime)", async () => {
    // Prepare
    const { cloudWatch, clock } = simulate(WORLD);
    clock.advance(900);

    // Act
    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: 'canary_0_errors', Expression: '1', ReturnData: false },
          judged('canary_0_rate'),
          judged('stable_0_rate'),
          judged('canary_1_rate', 'no such check'),
        ],
        StartTime: at(60),
        EndTime: at(12 * 60),
        ScanBy: 'TimestampAscending',
      }),
    );

    // Assess: 12m is EndTime, excluded; the query returning no data is not answered
    expect(out.MetricDataResults).toEqual([
      {
        Id: 'canary_0_rate',
        Label: 'error-rate',
        Timestamps: [at(60), at(120)],
        Values: [0.002, 0.003],
        StatusCode: 'Complete',
      },
      {
        Id: 'stable_0_rate',
        Label: 'error-rate',
        Timestamps: [at(60)],
        Values: [0.0005],
        StatusCode: 'Complete',
      },
      { Id: 'canary_1_rate', Label: 'no such check', Timestamps: [], Values: [], StatusCode: 'Complete' },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  it('rounds StartTime down to the minute, returns the newest first by default, and nothing from the future', async () => {
    // Prepare
    const { cloudWatch, clock } = simulate(WORLD);
    clock.advance(150);

    // Act
    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [judged('canary_0_rate')],
        StartTime: at(30),
        EndTime: at(3600),
      }),
    );

    // Assess
    expect(out.MetricDataResults?.[0]?.Timestamps).toEqual([at(120), at(60), at(0)]);
  });

  it('pages by MaxDatapoints with a NextToken, and the adapter joins the pages', async () => {
    // Prepare
    const { sim, cloudWatch, clock } = simulate(WORLD);
    clock.advance(3600);

    // Act
    const first = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [judged('canary_0_rate')],
        StartTime: at(0),
        EndTime: at(3600),
        ScanBy: 'TimestampAscending',
        MaxDatapoints: 3,
      }),
    );
    const series = await createMetricHealthSource(cloudWatch).readMetrics({
      queries: [{ Id: 'canary_0_rate', Expression: 'x', Label: 'error-rate', ReturnData: true }],
      start: at(0),
      end: at(3600),
    });

    // Assess
    expect(first.MetricDataResults?.[0]).toMatchObject({
      Values: [0.001, 0.002, 0.003],
      StatusCode: 'PartialData',
    });
    expect(first.NextToken).toBeDefined();
    expect(series[0]?.values).toEqual([0.001, 0.002, 0.003, 0.05]);
    expect(sim.calls.filter((c) => c.operation === 'GetMetricData')).toHaveLength(2);
  });

  it('refuses what CloudWatch refuses: a bad Id, a query with both Expression and MetricStat, an empty window', async () => {
    // Prepare
    const { cloudWatch } = simulate(WORLD);
    const send = (queries: MetricDataQuery[], start = at(0), end = at(60)) =>
      failureOf(
        cloudWatch.send(
          new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end }),
        ),
      );

    // Act
    const badId = await send([judged('Rate')]);
    const both = await send([
      {
        ...judged('rate'),
        MetricStat: { Metric: { Namespace: 'n', MetricName: 'm' }, Period: 60, Stat: 'Sum' },
      },
    ]);
    const empty = await send([judged('rate')], at(60), at(60));

    // Assess
    expect(badId.name).toBe('InvalidParameterValueException');
    expect(both.message).toBe('The query "rate" must have exactly one of Expression and MetricStat');
    expect(empty.message).toBe('The parameter StartTime must be less than the parameter EndTime');
  });

  it('fails with an injected fault like the other CloudWatch reads', async () => {
    // Prepare
    const { cloudWatch } = simulate({
      ...WORLD,
      faults: [{ operation: 'GetMetricData', call: 1, error: 'Throttling' }],
    });

    // Act
    const error = await failureOf(
      cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: [judged('rate')], StartTime: at(0), EndTime: at(60) }),
      ),
    );

    // Assess
    expect(error.name).toBe('Throttling');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('world.metrics', () => {
  it('refuses datapoints out of time order and values that are not numbers, naming the field', () => {
    // Act
    const result = (() => {
      try {
        parseWorld({
          metrics: {
            'error-rate': {
              canary: [
                { at: '2m', value: 1 },
                { at: '1m', value: 'high' },
              ],
            },
          },
        });
        return [];
      } catch (error) {
        return describeIssues(error as never, 'world');
      }
    })();

    // Assess
    expect(result).toEqual([
      'world.metrics.error-rate.canary[1].value: "high" is not a number; give the datapoint\'s value',
    ]);
    expect(() =>
      parseWorld({
        metrics: {
          'error-rate': {
            canary: [
              { at: '2m', value: 1 },
              { at: '1m', value: 2 },
            ],
          },
        },
      }),
    ).toThrow(
      'comes at 60s, not after the previous datapoint (120s); list datapoints in time order, one per timestamp',
    );
  });
});
