import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  InternalServiceFault,
  InvalidNextToken,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAlarmHealthSource, measurementOf } from '#adapters/aws/cloudwatch-alarms.ts';
import { TEXT_LIMITS } from '#core/bounded-text.ts';
import { HealthUnavailableError } from '#core/errors.ts';

const cloudWatch = mockClient(CloudWatchClient);
const health = createAlarmHealthSource(new CloudWatchClient({ region: 'us-east-1' }));

beforeEach(() => {
  cloudWatch.reset();
});

function inputs(): DescribeAlarmsCommandInput[] {
  return cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
}

/** CloudWatch's unmodeled throttling error, as the SDK builds it: HTTP 400 named "Throttling". */
function throttling(): CloudWatchServiceException {
  return new CloudWatchServiceException({
    name: 'Throttling',
    message: 'Rate exceeded',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('createAlarmHealthSource', () => {
  it("bounds an alarm's StateReason and an error's message, which go on into reasons", async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'x'.repeat(300_000) }],
    });
    const [reading] = await health.readAlarms(['orders-5xx']);
    expect(Buffer.byteLength(reading?.reason ?? '')).toBeLessThanOrEqual(TEXT_LIMITS.reason);

    cloudWatch.reset();
    cloudWatch
      .on(DescribeAlarmsCommand)
      .rejects(
        new InternalServiceFault({ message: 'y'.repeat(300_000), $metadata: { httpStatusCode: 500 } }),
      );
    const error = await health.readAlarms(['orders-5xx']).catch((e: Error) => e);
    expect(error).toBeInstanceOf(HealthUnavailableError);
    expect(Buffer.byteLength((error as Error).message)).toBeLessThan(TEXT_LIMITS.reason + 200);
  });

  it('reads metric and composite alarms with their state and reason, leaving unknown names out', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'orders-5xx',
          StateValue: 'ALARM',
          StateReason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
        },
        { AlarmName: 'orders-latency', StateValue: 'INSUFFICIENT_DATA' },
      ],
      CompositeAlarms: [{ AlarmName: 'orders-health', StateValue: 'OK', StateReason: 'All children OK' }],
    });

    // Act
    const readings = await health.readAlarms([
      'orders-health',
      'orders-5xx',
      'orders-gone',
      'orders-latency',
    ]);

    // Assess
    expect(readings).toStrictEqual([
      { name: 'orders-health', type: 'composite', state: 'OK', reason: 'All children OK' },
      {
        name: 'orders-5xx',
        type: 'metric',
        state: 'ALARM',
        reason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).',
      },
      { name: 'orders-latency', type: 'metric', state: 'INSUFFICIENT_DATA' },
    ]);
  });

  it('asks for metric and composite alarms by name', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves({});

    // Act
    await health.readAlarms(['orders-5xx', 'orders-health']);

    // Assess
    expect(inputs()).toStrictEqual([
      {
        AlarmNames: ['orders-5xx', 'orders-health'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: 100,
      },
    ]);
  });

  it('follows NextToken until the last page', async () => {
    // Prepare
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK' }], NextToken: 'page-2' })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'b', StateValue: 'ALARM' }], NextToken: 'page-3' })
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'c', StateValue: 'OK' }] });

    // Act
    const readings = await health.readAlarms(['a', 'b', 'c']);

    // Assess
    expect(readings.map((r) => `${r.name}:${r.type}:${r.state}`)).toEqual([
      'a:metric:OK',
      'b:composite:ALARM',
      'c:metric:OK',
    ]);
    expect(inputs().map((i) => i.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(inputs().every((i) => i.AlarmNames?.join() === 'a,b,c')).toBe(true);
  });

  it('splits 150 names into calls of 100 and 50', async () => {
    // Prepare
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    cloudWatch.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
      MetricAlarms: (input.AlarmNames ?? []).map((name) => ({ AlarmName: name, StateValue: 'OK' })),
    }));

    // Act
    const readings = await health.readAlarms(names);

    // Assess
    expect(inputs().map((i) => i.AlarmNames)).toEqual([names.slice(0, 100), names.slice(100)]);
    expect(readings.map((r) => r.name)).toEqual(names);
  });

  it('makes no call for no names', async () => {
    // Act
    const readings = await health.readAlarms([]);

    // Assess
    expect(readings).toEqual([]);
    expect(inputs()).toHaveLength(0);
  });

  it.each([
    ['Throttling', throttling()],
    [
      'InternalServiceFault',
      new InternalServiceFault({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    ],
  ])('turns %s into HealthUnavailable naming the error', async (name, thrown) => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).rejects(thrown);

    // Act
    const error = await health.readAlarms(['orders-5xx']).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(HealthUnavailableError);
    expect(error).toMatchObject({ name: 'HealthUnavailable' });
    expect((error as Error).message).toContain(`DescribeAlarms failed with ${name}`);
  });

  it('rethrows request errors unchanged', async () => {
    // Prepare
    const thrown = new InvalidNextToken({ message: 'bad token', $metadata: { httpStatusCode: 400 } });
    cloudWatch.on(DescribeAlarmsCommand).rejects(thrown);

    // Act
    const error = await health.readAlarms(['orders-5xx']).catch((e: unknown) => e);

    // Assess
    expect(error).toBe(thrown);
  });
});

describe('measurementOf', () => {
  it('reads the latest datapoint from StateReasonData next to the threshold', () => {
    expect(
      measurementOf({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        StateReasonData: '{"version":"1.0","recentDatapoints":[0.5,4.7],"threshold":1.0}',
      }),
    ).toEqual({ value: 4.7, threshold: 1, comparison: 'GreaterThanThreshold' });
  });

  it('keeps the threshold when StateReasonData is absent or unreadable', () => {
    expect(
      measurementOf({ Threshold: 5, ComparisonOperator: 'LessThanThreshold', StateReasonData: 'nope' }),
    ).toEqual({
      threshold: 5,
      comparison: 'LessThanThreshold',
    });
  });

  it('has nothing to say for an alarm without a static threshold (anomaly detection, metric math bands)', () => {
    expect(
      measurementOf({ ThresholdMetricId: 'ad1', ComparisonOperator: 'GreaterThanUpperThreshold' }),
    ).toBeUndefined();
  });
});

describe('changesSince', () => {
  const item = (at: string, to: string) => ({
    AlarmName: 'orders-5xx',
    Timestamp: new Date(at),
    HistoryItemType: 'StateUpdate' as const,
    HistoryData: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: 'OK' },
      newState: { stateValue: to },
    }),
  });

  it('reads the state history since a time, both alarm types, oldest first, across pages', async () => {
    // Prepare
    const since = new Date('2026-01-01T00:05:00Z');
    cloudWatch
      .on(DescribeAlarmHistoryCommand)
      .resolvesOnce({ AlarmHistoryItems: [item('2026-01-01T00:06:00Z', 'ALARM')], NextToken: 'p2' })
      .resolvesOnce({
        AlarmHistoryItems: [
          item('2026-01-01T00:08:00Z', 'OK'),
          { ...item('2026-01-01T00:09:00Z', 'x'), HistoryData: 'not json' },
        ],
      });

    // Act
    const changes = await health.changesSince('orders-5xx', since);

    // Assess
    expect(changes).toEqual([
      { at: new Date('2026-01-01T00:06:00Z'), state: 'ALARM' },
      { at: new Date('2026-01-01T00:08:00Z'), state: 'OK' },
    ]);
    const inputs = cloudWatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      AlarmName: 'orders-5xx',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      HistoryItemType: 'StateUpdate',
      StartDate: since,
      ScanBy: 'TimestampAscending',
      MaxRecords: 100,
    });
    expect(inputs[1]?.NextToken).toBe('p2');
  });

  it('reports a history that cannot be read after retries as HealthUnavailable', async () => {
    cloudWatch
      .on(DescribeAlarmHistoryCommand)
      .rejects(new InternalServiceFault({ message: 'boom', $metadata: {} }));
    await expect(health.changesSince('orders-5xx', new Date(0))).rejects.toBeInstanceOf(
      HealthUnavailableError,
    );
  });
});
