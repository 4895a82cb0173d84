import { SIMULATED_ACCOUNT } from '#routers/sim/account.ts';
import { type Json, ServiceError } from '#routers/sim/service.ts';
import type { AlarmsWorld, MetricsWorld, WorldAlarm } from './world.ts';

/** The operations the simulated CloudWatch serves; a scenario's fault may target any of them. */
export const CLOUDWATCH_OPERATIONS = ['DescribeAlarms', 'DescribeAlarmHistory', 'GetMetricData'] as const;

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATES)[number];

/** DescribeAlarms returns 50 records a page unless MaxRecords says otherwise (1..100). */
const ALARMS_PAGE_SIZE = 50;
const MAX_ALARMS_PAGE_SIZE = 100;
const MAX_ALARM_NAMES = 100;
/** GetMetricData: at most 500 queries a call, and 100,800 datapoints a page unless MaxDatapoints says fewer. */
const MAX_METRIC_QUERIES = 500;
const MAX_METRIC_DATAPOINTS = 100_800;
const METRIC_QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm', 'LogAlarm'] as const;

/**
 * CloudWatch's alarms and metrics as the world scripts them: each alarm's state at a virtual time,
 * its history of transitions, and the datapoints of the series a check's queries name.
 */
export class CloudWatchModel {
  readonly #alarms: AlarmsWorld;
  readonly #metrics: MetricsWorld;
  /** Wall-clock milliseconds at virtual time 0: timestamps CloudWatch returns are epoch-based. */
  readonly #epochMs: number;

  constructor(alarms: AlarmsWorld, metrics: MetricsWorld, epochMs: number) {
    this.#alarms = alarms;
    this.#metrics = metrics;
    this.#epochMs = epochMs;
  }

  describeAlarms(input: Json, region: string, at: number): Json {
    const query = alarmsQuery(input);
    const matching = this.#alarms
      .filter((a) => query.types.has(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
      .filter((a) => query.names === undefined || query.names.has(a.name))
      .filter((a) => query.prefix === undefined || a.name.startsWith(query.prefix))
      .map((a) => ({ alarm: a, ...stateAt(a, at) }))
      .filter((a) => query.state === undefined || a.state === query.state)
      // CloudWatch lists alarms by name; both kinds share one sequence of pages here.
      .sort((a, b) => (a.alarm.name < b.alarm.name ? -1 : a.alarm.name > b.alarm.name ? 1 : 0));

    const page = matching.slice(query.offset, query.offset + query.pageSize);
    const next = query.offset + query.pageSize;
    const records = page.map(({ alarm, state, since, reason, value }) => {
      const evaluated = this.#evaluation(alarm, since, value);
      return {
        type: alarm.type,
        record: {
          AlarmName: alarm.name,
          AlarmArn: `arn:aws:cloudwatch:${region}:${SIMULATED_ACCOUNT}:alarm:${alarm.name}`,
          StateValue: state,
          ...((reason ?? evaluated.reason) === undefined ? {} : { StateReason: reason ?? evaluated.reason }),
          ...evaluated.fields,
          StateUpdatedTimestamp: this.#epochSeconds(since),
          StateTransitionedTimestamp: this.#epochSeconds(since),
        },
      };
    });
    return {
      ...(query.types.has('MetricAlarm')
        ? { MetricAlarms: records.filter((r) => r.type === 'metric').map((r) => r.record) }
        : {}),
      ...(query.types.has('CompositeAlarm')
        ? { CompositeAlarms: records.filter((r) => r.type === 'composite').map((r) => r.record) }
        : {}),
      ...(query.types.has('LogAlarm') ? { LogAlarms: [] } : {}),
      ...(next < matching.length ? { NextToken: pageToken(next) } : {}),
    };
  }

  /**
   * A metric alarm's threshold fields, and for a scripted datapoint the StateReasonData and
   * StateReason CloudWatch writes when it evaluates one (recentDatapoints is what operators look at).
   */
  #evaluation(
    alarm: WorldAlarm,
    since: number,
    value: number | undefined,
  ): { fields: Json; reason?: string } {
    if (alarm.type !== 'metric' || alarm.threshold === undefined) return { fields: {} };
    const comparison = alarm.comparison ?? 'GreaterThanThreshold';
    const fields: Json = { Threshold: alarm.threshold, ComparisonOperator: comparison };
    if (value === undefined) return { fields };
    const when = new Date(this.#epochSeconds(since) * 1000).toISOString();
    fields.StateReasonData = JSON.stringify({
      version: '1.0',
      queryDate: when,
      statistic: 'Average',
      period: 60,
      recentDatapoints: [value],
      threshold: alarm.threshold,
    });
    const crossed = compare(value, comparison, alarm.threshold);
    const verb = COMPARISON_WORDS[comparison];
    return {
      fields,
      reason: `Threshold Crossed: 1 datapoint [${value} (${when})] was ${crossed ? '' : 'not '}${verb} the threshold (${alarm.threshold}).`,
    };
  }

  /**
   * The alarm's state changes (HistoryItemType StateUpdate) in [StartDate, EndDate], up to now, as
   * CloudWatch reports them: a summary line and HistoryData, a JSON document with oldState/newState.
   */
  describeAlarmHistory(input: Json, at: number): Json {
    if (input.HistoryItemType !== undefined && input.HistoryItemType !== 'StateUpdate') {
      throw new ServiceError(
        'InvalidParameterValueException',
        400,
        'The simulated CloudWatch keeps only StateUpdate history; ask for HistoryItemType StateUpdate',
        'InvalidParameterValue',
      );
    }
    const types = new Set(Array.isArray(input.AlarmTypes) ? (input.AlarmTypes as string[]) : ['MetricAlarm']);
    const toVirtual = (epoch: unknown) =>
      typeof epoch === 'number' ? epoch - this.#epochMs / 1000 : undefined;
    const start = toVirtual(input.StartDate) ?? Number.NEGATIVE_INFINITY;
    const end = Math.min(toVirtual(input.EndDate) ?? Number.POSITIVE_INFINITY, at);
    const pageSize = typeof input.MaxRecords === 'number' ? input.MaxRecords : ALARMS_PAGE_SIZE;
    const offset = typeof input.NextToken === 'string' ? (pageOffset(input.NextToken) ?? 0) : 0;
    const items = this.#alarms
      .filter((a) => input.AlarmName === undefined || a.name === input.AlarmName)
      .filter((a) => types.has(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
      .flatMap((alarm) =>
        alarm.states
          .map((entry, i) => ({ alarm, entry, before: alarm.states[i - 1]?.state ?? 'INSUFFICIENT_DATA' }))
          // History records transitions; a repeated state is a new datapoint, not an update.
          .filter(({ entry, before }) => entry.state !== before),
      )
      .filter(({ entry }) => entry.at >= start && entry.at <= end)
      .sort((a, b) => a.entry.at - b.entry.at);
    if (input.ScanBy !== 'TimestampAscending') items.reverse();
    const page = items.slice(offset, offset + pageSize).map(({ alarm, entry, before }) => ({
      AlarmName: alarm.name,
      AlarmType: alarm.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm',
      Timestamp: this.#epochSeconds(entry.at),
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${before} to ${entry.state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: before },
        newState: {
          stateValue: entry.state,
          ...(entry.reason === undefined ? {} : { stateReason: entry.reason }),
        },
      }),
    }));
    return {
      AlarmHistoryItems: page,
      ...(offset + pageSize < items.length ? { NextToken: pageToken(offset + pageSize) } : {}),
    };
  }

  /**
   * GetMetricData answered from world.metrics. The simulator cannot evaluate metrics or metric math,
   * so it serves each query that returns data from the series the scenario scripted for it: the check
   * is the query's Label (stepshift labels a check's judged query with the check's name) and the target
   * is its Id's prefix ("canary_" or "stable_", as stepshift namespaces ids). Datapoints with `at` in
   * [StartTime rounded down to the minute, EndTime) come back, as CloudWatch rounds a recent StartTime
   * and treats EndTime as exclusive; pages hold MaxDatapoints (default 100,800) datapoints.
   */
  getMetricData(input: Json, at: number): Json {
    const invalid = (message: string) =>
      new ServiceError('InvalidParameterValueException', 400, message, 'InvalidParameterValue');
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length < 1 || queries.length > MAX_METRIC_QUERIES) {
      throw invalid(`MetricDataQueries must hold 1 to ${MAX_METRIC_QUERIES} queries`);
    }
    const ids = new Set<string>();
    for (const raw of queries as Json[]) {
      const id = raw?.Id;
      if (typeof id !== 'string' || !METRIC_QUERY_ID.test(id) || id.length > 255) {
        throw invalid(
          `The query Id ${JSON.stringify(id)} must start with a lowercase letter and hold only letters, digits and underscores (1..255 characters)`,
        );
      }
      if (ids.has(id)) throw invalid(`The query Id "${id}" is used more than once`);
      ids.add(id);
      if ((raw.Expression === undefined) === (raw.MetricStat === undefined)) {
        throw invalid(`The query "${id}" must have exactly one of Expression and MetricStat`);
      }
    }
    const toVirtual = (epoch: unknown) =>
      typeof epoch === 'number' ? epoch - this.#epochMs / 1000 : undefined;
    const start = toVirtual(input.StartTime);
    const end = toVirtual(input.EndTime);
    if (start === undefined || end === undefined) throw invalid('StartTime and EndTime are required');
    if (!(start < end)) throw invalid('The parameter StartTime must be less than the parameter EndTime');
    const from = Math.floor(start / 60) * 60;
    const until = Math.min(end, at);
    const pageSize = typeof input.MaxDatapoints === 'number' ? input.MaxDatapoints : MAX_METRIC_DATAPOINTS;
    const offset = input.NextToken === undefined ? 0 : pageOffset(String(input.NextToken));
    if (offset === undefined) {
      throw new ServiceError(
        'InvalidNextToken',
        400,
        'NextToken is not one this CloudWatch returned; start again without it',
      );
    }
    const descending = input.ScanBy !== 'TimestampAscending';
    const series = (queries as Json[])
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const side = /^(canary|stable)_/.exec(String(q.Id))?.[1] as 'canary' | 'stable' | undefined;
        const scripted = side && typeof q.Label === 'string' ? this.#metrics[q.Label]?.[side] : undefined;
        const points = (scripted ?? []).filter((p) => p.at >= from && p.at < until);
        return { query: q, points: descending ? [...points].reverse() : points };
      });
    // One sequence of datapoints across the results, cut into pages of pageSize.
    let skip = offset;
    let room = pageSize;
    let total = 0;
    const results = series.map(({ query, points }) => {
      total += points.length;
      const first = Math.min(skip, points.length);
      skip -= first;
      const taken = points.slice(first, first + room);
      room -= taken.length;
      return {
        Id: query.Id,
        ...(typeof query.Label === 'string' ? { Label: query.Label } : {}),
        Timestamps: taken.map((p) => this.#epochSeconds(p.at)),
        Values: taken.map((p) => p.value),
        StatusCode: first + taken.length < points.length ? 'PartialData' : 'Complete',
      };
    });
    const next = offset + pageSize;
    return {
      MetricDataResults: results,
      Messages: [],
      ...(next < total ? { NextToken: pageToken(next) } : {}),
    };
  }

  /** Epoch seconds for a virtual time, as App Mesh and CloudWatch put timestamps on the wire. */

  /** Epoch seconds for a virtual time, as CloudWatch puts timestamps on the wire. */
  #epochSeconds(virtualSeconds: number): number {
    return (this.#epochMs + Math.round(virtualSeconds * 1000)) / 1000;
  }
}

type Comparison = NonNullable<WorldAlarm['comparison']>;

const COMPARISON_WORDS: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** The alarm's state at a virtual time: its last entry at or before it; INSUFFICIENT_DATA before the first. */
function stateAt(
  alarm: WorldAlarm,
  at: number,
): { state: AlarmStateValue; since: number; reason?: string; value?: number } {
  let current: WorldAlarm['states'][number] | undefined;
  // A scripted entry that repeats the state (a new datapoint, OK to OK) is no transition: the state
  // dates from the first entry of the run, as StateTransitionedTimestamp does.
  let since = 0;
  for (const entry of alarm.states) {
    if (entry.at > at) break;
    if (entry.state !== current?.state) since = entry.at;
    current = entry;
  }
  // CloudWatch's own reason for an alarm that has not been evaluated yet; later states carry the
  // scenario's reason, or none when it gives none, so rehearsal output shows only what it scripted.
  if (!current) return { state: 'INSUFFICIENT_DATA', since: 0, reason: 'Unchecked: Initial alarm creation' };
  return {
    state: current.state,
    since,
    ...(current.reason === undefined ? {} : { reason: current.reason }),
    ...(current.value === undefined ? {} : { value: current.value }),
  };
}

interface AlarmsQuery {
  names?: Set<string>;
  prefix?: string;
  types: Set<string>;
  state?: AlarmStateValue;
  pageSize: number;
  offset: number;
}

/** Reads DescribeAlarms' input, refusing what CloudWatch refuses (and the filters this simulator lacks). */
function alarmsQuery(input: Json): AlarmsQuery {
  const invalid = (message: string) =>
    new ServiceError('InvalidParameterValueException', 400, message, 'InvalidParameterValue');
  for (const unsupported of ['ChildrenOfAlarmName', 'ParentsOfAlarmName', 'ActionPrefix']) {
    if (input[unsupported] !== undefined) {
      throw invalid(
        `The simulated CloudWatch does not filter by ${unsupported}; use AlarmNames, AlarmNamePrefix, AlarmTypes or StateValue`,
      );
    }
  }
  const query: AlarmsQuery = { types: new Set(['MetricAlarm']), pageSize: ALARMS_PAGE_SIZE, offset: 0 };
  if (input.AlarmNames !== undefined) {
    const names = input.AlarmNames;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length < 1 || n.length > 255)) {
      throw invalid('AlarmNames must be a list of alarm names, each 1..255 characters');
    }
    if (names.length > MAX_ALARM_NAMES) {
      throw invalid(
        `AlarmNames lists ${names.length} names; DescribeAlarms takes at most ${MAX_ALARM_NAMES}`,
      );
    }
    query.names = new Set(names as string[]);
  }
  if (input.AlarmNamePrefix !== undefined) {
    if (query.names !== undefined) {
      throw new ServiceError(
        'InvalidParameterCombinationException',
        400,
        'AlarmNamePrefix and AlarmNames cannot be used together; give one of them',
        'InvalidParameterCombination',
      );
    }
    if (
      typeof input.AlarmNamePrefix !== 'string' ||
      input.AlarmNamePrefix.length < 1 ||
      input.AlarmNamePrefix.length > 255
    ) {
      throw invalid('AlarmNamePrefix must be 1..255 characters');
    }
    query.prefix = input.AlarmNamePrefix;
  }
  if (input.AlarmTypes !== undefined) {
    const types = input.AlarmTypes;
    if (!Array.isArray(types) || types.some((t) => !(ALARM_TYPES as readonly unknown[]).includes(t))) {
      throw invalid(`AlarmTypes must list alarm types from: ${ALARM_TYPES.join(', ')}`);
    }
    // AWS: without AlarmTypes only metric alarms come back; an empty list behaves the same.
    if (types.length > 0) query.types = new Set(types as string[]);
  }
  if (input.StateValue !== undefined) {
    if (!(ALARM_STATES as readonly unknown[]).includes(input.StateValue)) {
      throw invalid(`StateValue must be one of: ${ALARM_STATES.join(', ')}`);
    }
    query.state = input.StateValue as AlarmStateValue;
  }
  if (input.MaxRecords !== undefined) {
    const max = input.MaxRecords;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_ALARMS_PAGE_SIZE) {
      throw invalid(`MaxRecords must be a whole number 1..${MAX_ALARMS_PAGE_SIZE}, not ${String(max)}`);
    }
    query.pageSize = max;
  }
  if (input.NextToken !== undefined) {
    const offset = typeof input.NextToken === 'string' ? pageOffset(input.NextToken) : undefined;
    if (offset === undefined) {
      throw new ServiceError(
        'InvalidNextToken',
        400,
        'NextToken is not one this CloudWatch returned; start again without it',
      );
    }
    query.offset = offset;
  }
  return query;
}

function pageToken(offset: number): string {
  return Buffer.from(`stepshift-sim:${offset}`, 'utf8').toString('base64');
}

function pageOffset(token: string): number | undefined {
  const match = /^stepshift-sim:(0|[1-9][0-9]*)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
