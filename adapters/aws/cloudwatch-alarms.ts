import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { bounded } from '#core/bounded-text.ts';
import { HealthUnavailableError } from '#core/errors.ts';
import type { AlarmChange, AlarmReading, AlarmState, HealthSource } from '#core/ports.ts';
import { unavailableAs } from './aws-errors.ts';

/** DescribeAlarms takes at most 100 AlarmNames and returns at most 100 records a page. */
const NAMES_PER_CALL = 100;
const STATES: ReadonlySet<string> = new Set<AlarmState>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

/** The HealthSource's alarm reads: CloudWatch metric and composite alarms by name, and their history. */
export function createAlarmHealthSource(
  client: CloudWatchClient,
): Pick<HealthSource, 'readAlarms' | 'changesSince'> {
  return {
    async readAlarms(names) {
      const wanted = [...new Set(names)];
      const found = new Map<string, AlarmReading>();
      for (let i = 0; i < wanted.length; i += NAMES_PER_CALL) {
        const chunk = wanted.slice(i, i + NAMES_PER_CALL);
        let nextToken: string | undefined;
        do {
          const out = await describe(client, chunk, nextToken);
          for (const alarm of out.MetricAlarms ?? []) addReading(found, alarm, 'metric');
          for (const alarm of out.CompositeAlarms ?? []) addReading(found, alarm, 'composite');
          nextToken = out.NextToken || undefined;
        } while (nextToken);
      }
      // In the order asked for; alarms CloudWatch does not know are left out.
      return wanted.flatMap((name) => found.get(name) ?? []);
    },

    async changesSince(name, since) {
      const changes: AlarmChange[] = [];
      let nextToken: string | undefined;
      do {
        const out = await healthCall('DescribeAlarmHistory', () =>
          client.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name,
              // Like DescribeAlarms, history covers metric alarms only unless told otherwise.
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              HistoryItemType: 'StateUpdate',
              StartDate: since,
              ScanBy: 'TimestampAscending',
              MaxRecords: NAMES_PER_CALL,
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            }),
          ),
        );
        for (const item of out.AlarmHistoryItems ?? []) {
          const state = newStateOf(item.HistoryData);
          if (state && item.Timestamp) changes.push({ at: item.Timestamp, state });
        }
        nextToken = out.NextToken || undefined;
      } while (nextToken);
      return changes;
    },
  };
}

/** The state an alarm entered, from a StateUpdate history item's HistoryData document. */
function newStateOf(historyData: string | undefined): AlarmState | undefined {
  try {
    const value = (JSON.parse(historyData ?? '{}') as { newState?: { stateValue?: unknown } }).newState
      ?.stateValue;
    return typeof value === 'string' && STATES.has(value) ? (value as AlarmState) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a CloudWatch call, reporting throttling and server failures that outlived retries as HealthUnavailable. */
async function healthCall<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw unavailableAs(operation, error, HealthUnavailableError);
  }
}

async function describe(client: CloudWatchClient, names: string[], nextToken: string | undefined) {
  return healthCall('DescribeAlarms', () =>
    client.send(
      new DescribeAlarmsCommand({
        AlarmNames: names,
        // Without AlarmTypes CloudWatch returns metric alarms only, and composite alarms look missing.
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: NAMES_PER_CALL,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    ),
  );
}

function addReading(
  found: Map<string, AlarmReading>,
  alarm: MetricAlarm | CompositeAlarm,
  type: AlarmReading['type'],
): void {
  if (!alarm.AlarmName) return;
  // An unknown or missing state is not OK; INSUFFICIENT_DATA lets the profile's policy decide.
  const state = STATES.has(alarm.StateValue ?? '') ? (alarm.StateValue as AlarmState) : 'INSUFFICIENT_DATA';
  const measurement = 'Threshold' in alarm ? measurementOf(alarm) : undefined;
  found.set(alarm.AlarmName, {
    name: alarm.AlarmName,
    type,
    state,
    ...(alarm.StateReason === undefined ? {} : { reason: bounded(alarm.StateReason) }),
    ...((alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp)
      ? { changedAt: (alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp) as Date }
      : {}),
    ...(measurement ? { measurement } : {}),
  });
}

/**
 * The threshold and the latest evaluated datapoint of a static-threshold metric alarm. The datapoint
 * comes from StateReasonData's recentDatapoints, CloudWatch's machine-readable record of the evaluation.
 */
export function measurementOf(alarm: MetricAlarm): AlarmReading['measurement'] {
  if (alarm.Threshold === undefined || !alarm.ComparisonOperator) return undefined;
  let value: number | undefined;
  try {
    const data = JSON.parse(alarm.StateReasonData ?? '{}') as { recentDatapoints?: unknown };
    const points = Array.isArray(data.recentDatapoints) ? data.recentDatapoints : [];
    const last: unknown = points[points.length - 1];
    if (typeof last === 'number') value = last;
  } catch {
    // StateReasonData is documentation-grade JSON; without it the threshold alone is still worth showing.
  }
  return {
    threshold: alarm.Threshold,
    comparison: alarm.ComparisonOperator,
    ...(value === undefined ? {} : { value }),
  };
}
