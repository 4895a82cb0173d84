import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  DescribeAlarmsForMetricCommand,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import type { WorldInput } from '#rehearsal/script/world.ts';
import { failureOf, simulate } from '../../support.ts';

const ALARMS: WorldInput = {
  alarms: [
    {
      name: 'orders-5xx',
      type: 'metric',
      states: [
        {
          at: '0s',
          state: 'OK',
          reason: 'Threshold Crossed: 1 datapoint [0.2] was not greater than the threshold (1.0).',
        },
        {
          at: '12m',
          state: 'ALARM',
          reason: 'Threshold Crossed: 1 datapoint [4.7] was greater than the threshold (1.0).',
        },
        { at: '1h', state: 'OK' },
      ],
    },
    { name: 'orders-latency', type: 'metric', states: [{ at: '5m', state: 'OK' }] },
    {
      name: 'orders-health',
      type: 'composite',
      states: [{ at: '0s', state: 'ALARM', reason: 'child alarm' }],
    },
  ],
};

function names(out: { MetricAlarms?: { AlarmName?: string }[]; CompositeAlarms?: { AlarmName?: string }[] }) {
  return {
    metric: (out.MetricAlarms ?? []).map((a) => a.AlarmName),
    composite: (out.CompositeAlarms ?? []).map((a) => a.AlarmName),
  };
}

describe('DescribeAlarms through the real CloudWatchClient', () => {
  it('returns metric alarms only when AlarmTypes is not given, as CloudWatch does', async () => {
    // Prepare
    const { cloudWatch } = simulate(ALARMS);

    // Act
    const out = await cloudWatch.send(new DescribeAlarmsCommand({}));

    // Assess
    expect(names(out)).toEqual({ metric: ['orders-5xx', 'orders-latency'], composite: [] });
    expect(out.CompositeAlarms).toBeUndefined();
  });

  it.each<[string, DescribeAlarmsCommandInput['AlarmTypes'], { metric: string[]; composite: string[] }]>([
    ['metric', ['MetricAlarm'], { metric: ['orders-5xx', 'orders-latency'], composite: [] }],
    ['composite', ['CompositeAlarm'], { metric: [], composite: ['orders-health'] }],
    [
      'both',
      ['MetricAlarm', 'CompositeAlarm'],
      { metric: ['orders-5xx', 'orders-latency'], composite: ['orders-health'] },
    ],
  ])('filters by AlarmTypes (%s)', async (_label, types, expected) => {
    // Prepare
    const { cloudWatch } = simulate(ALARMS);

    // Act
    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmTypes: types }));

    // Assess
    expect(names(out)).toEqual(expected);
  });

  it('filters by AlarmNames and leaves out names it does not know', async () => {
    // Prepare
    const { cloudWatch } = simulate(ALARMS);

    // Act
    const out = await cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: ['orders-health', 'orders-5xx', 'no-such-alarm'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );

    // Assess
    expect(names(out)).toEqual({ metric: ['orders-5xx'], composite: ['orders-health'] });
  });

  it('filters by AlarmNamePrefix and StateValue', async () => {
    // Prepare
    const { cloudWatch } = simulate(ALARMS);

    // Act
    const byPrefix = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'orders-l' }));
    const byState = await cloudWatch.send(
      new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );

    // Assess
    expect(names(byPrefix)).toEqual({ metric: ['orders-latency'], composite: [] });
    expect(names(byState)).toEqual({ metric: [], composite: ['orders-health'] });
  });

  it('answers each alarm with name, ARN, state, reason and the virtual time the state began', async () => {
    // Prepare
    const { cloudWatch } = simulate(ALARMS);

    // Act
    const out = await cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: ['orders-5xx', 'orders-health'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );

    // Assess
    expect(out.MetricAlarms).toEqual([
      {
        AlarmName: 'orders-5xx',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx',
        StateValue: 'OK',
        StateReason: 'Threshold Crossed: 1 datapoint [0.2] was not greater than the threshold (1.0).',
        StateUpdatedTimestamp: new Date('2026-01-01T00:00:00Z'),
        StateTransitionedTimestamp: new Date('2026-01-01T00:00:00Z'),
      },
    ]);
    expect(out.CompositeAlarms).toMatchObject([
      { AlarmName: 'orders-health', StateValue: 'ALARM', StateReason: 'child alarm' },
    ]);
  });

  it.each([
    [0, 'OK', '2026-01-01T00:00:00Z'],
    [719, 'OK', '2026-01-01T00:00:00Z'],
    [720, 'ALARM', '2026-01-01T00:12:00Z'],
    [3599.9, 'ALARM', '2026-01-01T00:12:00Z'],
    [3600, 'OK', '2026-01-01T01:00:00Z'],
  ])('at %ss of virtual time orders-5xx is %s (since %s)', async (seconds, state, since) => {
    // Prepare
    const { cloudWatch, clock } = simulate(ALARMS);
    clock.advanceTo(seconds);

    // Act
    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] }));

    // Assess
    expect(out.MetricAlarms?.[0]?.StateValue).toBe(state);
    expect(out.MetricAlarms?.[0]?.StateUpdatedTimestamp).toEqual(new Date(since));
  });

  it('reports INSUFFICIENT_DATA before an alarm first state, and no reason when the scenario gives none', async () => {
    // Prepare
    const { cloudWatch, clock } = simulate(ALARMS);

    // Act
    const before = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-latency'] }));
    clock.advanceTo(300);
    const after = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-latency'] }));

    // Assess
    expect(before.MetricAlarms?.[0]).toMatchObject({
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
    });
    expect(after.MetricAlarms?.[0]?.StateValue).toBe('OK');
    expect(after.MetricAlarms?.[0]?.StateReason).toBeUndefined();
  });

  it('watches states change as calls themselves move the clock', async () => {
    // Prepare: the alarm fires at 1s; each call takes 400 ms.
    const { cloudWatch } = simulate({
      callLatency: '400ms',
      alarms: [
        {
          name: 'a',
          type: 'metric',
          states: [
            { at: '0s', state: 'OK' },
            { at: '1s', state: 'ALARM' },
          ],
        },
      ],
    });

    // Act
    const states: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['a'] }));
      states.push(out.MetricAlarms?.[0]?.StateValue);
    }

    // Assess: calls arrive at 0, 0.4, 0.8 and 1.2 seconds.
    expect(states).toEqual(['OK', 'OK', 'OK', 'ALARM']);
  });
});

describe('DescribeAlarms pagination', () => {
  const many: WorldInput = {
    alarms: Array.from({ length: 120 }, (_, i) => ({
      name: `alarm-${String(i).padStart(3, '0')}`,
      type: i % 3 === 0 ? ('composite' as const) : ('metric' as const),
      states: [{ at: '0s', state: 'OK' as const }],
    })),
  };

  async function allPages(input: DescribeAlarmsCommandInput) {
    const { cloudWatch } = simulate(many);
    const pages: { metric: number; composite: number; next: boolean }[] = [];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await cloudWatch.send(
        new DescribeAlarmsCommand({ ...input, ...(token ? { NextToken: token } : {}) }),
      );
      const metric = (out.MetricAlarms ?? []).map((a) => a.AlarmName!);
      const composite = (out.CompositeAlarms ?? []).map((a) => a.AlarmName!);
      // Within a page the two kinds come in separate lists; across pages names only rise.
      seen.push(...[...metric, ...composite].sort());
      token = out.NextToken;
      pages.push({ metric: metric.length, composite: composite.length, next: token !== undefined });
    } while (token);
    return { pages, seen };
  }

  it('pages 50 records at a time by default', async () => {
    // Act
    const { pages, seen } = await allPages({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });

    // Assess
    expect(pages.map((p) => p.metric + p.composite)).toEqual([50, 50, 20]);
    expect(pages.map((p) => p.next)).toEqual([true, true, false]);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(120);
  });

  it('honours MaxRecords up to 100', async () => {
    // Act
    const { pages, seen } = await allPages({ AlarmTypes: ['MetricAlarm'], MaxRecords: 30 });
    const { pages: big } = await allPages({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 });

    // Assess
    expect(pages.map((p) => p.metric)).toEqual([30, 30, 20]);
    expect(seen).toHaveLength(80);
    expect(big.map((p) => p.metric + p.composite)).toEqual([100, 20]);
  });

  it.each([
    [{ MaxRecords: 0 }, 'InvalidParameterValueException', 'MaxRecords must be a whole number 1..100, not 0'],
    [
      { MaxRecords: 101 },
      'InvalidParameterValueException',
      'MaxRecords must be a whole number 1..100, not 101',
    ],
    [
      { NextToken: 'not-a-token' },
      'InvalidNextToken',
      'NextToken is not one this CloudWatch returned; start again without it',
    ],
    [
      { AlarmNames: ['a'], AlarmNamePrefix: 'a' },
      'InvalidParameterCombinationException',
      'AlarmNamePrefix and AlarmNames cannot be used together; give one of them',
    ],
    [
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) },
      'InvalidParameterValueException',
      'AlarmNames lists 101 names; DescribeAlarms takes at most 100',
    ],
    [
      { ChildrenOfAlarmName: 'orders-health' },
      'InvalidParameterValueException',
      'The simulated CloudWatch does not filter by ChildrenOfAlarmName; use AlarmNames, AlarmNamePrefix, AlarmTypes or StateValue',
    ],
  ] as [DescribeAlarmsCommandInput, string, string][])('refuses %j with %s', async (input, name, message) => {
    // Prepare
    const { cloudWatch } = simulate(many);

    // Act
    const error = await failureOf(cloudWatch.send(new DescribeAlarmsCommand(input)));

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('CloudWatch operations the simulator does not serve', () => {
  it('answers a clear 400 naming the operation', async () => {
    // Prepare
    const { cloudWatch, sim } = simulate(ALARMS);

    // Act
    const error = await failureOf(
      cloudWatch.send(new DescribeAlarmsForMetricCommand({ MetricName: '5xx', Namespace: 'orders' })),
    );

    // Assess
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('does not serve DescribeAlarmsForMetric');
    expect(sim.calls[0]).toMatchObject({ service: 'cloudwatch', operation: 'DescribeAlarmsForMetric' });
  });
});

describe('DescribeAlarmHistory', () => {
  it('lists the state changes since StartDate, oldest first when asked, up to now', async () => {
    // Prepare
    const { cloudWatch, clock } = simulate({
      alarms: [
        {
          name: 'flappy',
          type: 'metric',
          states: [
            { at: '0s', state: 'OK' },
            { at: '4m', state: 'ALARM', reason: 'burst' },
            { at: '6m', state: 'OK' },
            { at: '20m', state: 'ALARM' },
          ],
        },
      ],
      callLatency: '0ms',
    });
    clock.advanceTo(600);
    const start = new Date(clock.now().getTime() - 420_000);

    // Act
    const out = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: 'flappy',
        HistoryItemType: 'StateUpdate',
        StartDate: start,
        ScanBy: 'TimestampAscending',
      }),
    );

    // Assess: from 3m on, and not the change at 20m, which has not happened yet
    const items = out.AlarmHistoryItems ?? [];
    expect(items.map((i) => i.HistorySummary)).toEqual([
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
    expect(JSON.parse(items[0]?.HistoryData ?? '{}')).toMatchObject({
      oldState: { stateValue: 'OK' },
      newState: { stateValue: 'ALARM', stateReason: 'burst' },
    });
    expect(items[0]?.Timestamp?.getTime()).toBe(clock.now().getTime() - 360_000);
  });
});

describe('a metric alarm with a scripted threshold and datapoints', () => {
  it('answers as CloudWatch does: Threshold, ComparisonOperator, StateReasonData and a StateReason', async () => {
    // Prepare
    const { cloudWatch, clock } = simulate({
      alarms: [
        {
          name: 'p99',
          type: 'metric',
          threshold: 250,
          comparison: 'GreaterThanOrEqualToThreshold',
          states: [
            { at: '0s', state: 'OK', value: 120 },
            { at: '3m', state: 'ALARM', value: 310 },
          ],
        },
      ],
    });
    clock.advance(200);

    // Act
    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['p99'] }));

    // Assess
    const alarm = out.MetricAlarms?.[0];
    expect(alarm).toMatchObject({
      StateValue: 'ALARM',
      Threshold: 250,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(JSON.parse(alarm?.StateReasonData ?? '{}')).toMatchObject({
      recentDatapoints: [310],
      threshold: 250,
    });
    expect(alarm?.StateReason).toMatch(
      /^Threshold Crossed: 1 datapoint \[310 \(.*\)\] was greater than or equal to the threshold \(250\)\.$/,
    );
  });
});
