import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  InvalidNextToken,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMetricHealthSource } from '#adapters/aws/cloudwatch-metrics.ts';
import { HealthUnavailableError } from '#core/errors.ts';
import type { MetricQuery } from '#core/shapes.ts';

const cloudWatch = mockClient(CloudWatchClient);
const health = createMetricHealthSource(new CloudWatchClient({ region: 'us-east-1' }));

const start = new Date('2026-01-01T00:05:00Z');
const end = new Date('2026-01-01T00:10:00Z');
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

const queries: MetricQuery[] = [
  {
    Id: 'canary_0_errors',
    MetricStat: {
      Metric: {
        Namespace: 'Shop/Orders',
        MetricName: 'HTTP5xx',
        Dimensions: [{ Name: 'VirtualNode', Value: 'orders-v2' }],
      },
      Period: 60,
      Stat: 'Sum',
    },
    ReturnData: false,
  },
  { Id: 'canary_0_rate', Expression: 'canary_0_errors / 100', Label: 'error-rate', ReturnData: true },
  { Id: 'canary_1_p99', Expression: "SEARCH('p99', 'p99', 60)", Label: 'p99 latency', ReturnData: true },
];

beforeEach(() => {
  cloudWatch.reset();
});

describe('createMetricHealthSource', () => {
  it('sends every query in one GetMetricData over the window, oldest first, as the SDK takes them', async () => {
    // Prepare
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'canary_0_rate', Timestamps: [at(5), at(6)], Values: [0.001, 0.002], StatusCode: 'Complete' },
      ],
    });

    // Act
    const series = await health.readMetrics({ queries, start, end });

    // Assess
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      MetricDataQueries: queries,
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
    });
    // A returned query CloudWatch sent nothing for comes back empty; one that returns no data does not.
    expect(series).toEqual([
      { id: 'canary_0_rate', timestamps: [at(5), at(6)], values: [0.001, 0.002] },
      { id: 'canary_1_p99', timestamps: [], values: [] },
    ]);
  });

  it('follows NextToken, joining a query whose datapoints span pages', async () => {
    // Prepare
    cloudWatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'canary_0_rate', Timestamps: [at(5)], Values: [0.001], StatusCode: 'PartialData' },
          { Id: 'canary_1_p99', Timestamps: [], Values: [], StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'canary_0_rate', Timestamps: [at(6)], Values: [0.003], StatusCode: 'Complete' },
          { Id: 'canary_1_p99', Timestamps: [at(5), at(6)], Values: [250, 260], StatusCode: 'Complete' },
        ],
      });

    // Act
    const series = await health.readMetrics({ queries, start, end });

    // Assess
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(series).toEqual([
      { id: 'canary_0_rate', timestamps: [at(5), at(6)], values: [0.001, 0.003] },
      { id: 'canary_1_p99', timestamps: [at(5), at(6)], values: [250, 260] },
    ]);
  });

  it('reports throttling that outlived the retries as HealthUnavailable, and passes other errors on', async () => {
    // Prepare
    cloudWatch.on(GetMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'Throttling',
        message: 'Rate exceeded',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act & Assess
    await expect(health.readMetrics({ queries, start, end })).rejects.toThrow(HealthUnavailableError);
    await expect(health.readMetrics({ queries, start, end })).rejects.toThrow(
      'GetMetricData failed with Throttling after retries: Rate exceeded',
    );

    cloudWatch
      .on(GetMetricDataCommand)
      .rejects(new InvalidNextToken({ message: 'bad token', $metadata: {} }));
    await expect(health.readMetrics({ queries, start, end })).rejects.toThrow(InvalidNextToken);
  });

  it('refuses a result CloudWatch marks Forbidden, with its message, and InternalError as unavailable', async () => {
    // Prepare
    cloudWatch.on(GetMetricDataCommand).resolvesOnce({
      MetricDataResults: [
        {
          Id: 'canary_0_rate',
          StatusCode: 'Forbidden',
          Messages: [
            { Code: 'Forbidden', Value: 'Authentication too complex to retrieve cross region data' },
          ],
        },
      ],
    });

    // Act & Assess
    await expect(health.readMetrics({ queries, start, end })).rejects.toThrow(
      "GetMetricData may not read the data of query canary_0_rate: Authentication too complex to retrieve cross region data; check the metric's account (AccountId) and the function's permissions",
    );

    cloudWatch.reset();
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'canary_0_rate', StatusCode: 'InternalError' }],
    });
    await expect(health.readMetrics({ queries, start, end })).rejects.toThrow(HealthUnavailableError);
  });

  it('refuses more than 500 queries before calling CloudWatch', async () => {
    // Prepare
    const many = Array.from({ length: 501 }, (_, i) => ({ Id: `q${i}`, Expression: '1' }));

    // Act & Assess
    await expect(health.readMetrics({ queries: many, start, end })).rejects.toThrow(
      'GetMetricData takes at most 500 queries a call; this analysis has 501',
    );
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });
});
