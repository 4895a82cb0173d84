import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { HealthUnavailableError } from '#core/errors.ts';
import type { HealthSource, MetricRead, MetricSeries } from '#core/ports.ts';
import { unavailableAs } from './aws-errors.ts';

/** GetMetricData takes at most 500 MetricDataQuery structures a call (CloudWatch API reference). */
const MAX_QUERIES = 500;

/** CloudWatch refused a query's data ("Forbidden" in a result's StatusCode): no retry will change that. */
export class MetricDataForbiddenError extends Error {
  override readonly name = 'MetricDataForbidden';
}

interface Collected {
  timestamps: Date[];
  values: number[];
}

/**
 * The HealthSource's metric reads: one GetMetricData request for all of an analysis' queries, every
 * page of it (NextToken), oldest datapoints first. Core's queries mirror the SDK's MetricDataQuery and
 * pass through unchanged.
 */
export function createMetricHealthSource(client: CloudWatchClient): Pick<HealthSource, 'readMetrics'> {
  return {
    async readMetrics(read: MetricRead): Promise<MetricSeries[]> {
      if (read.queries.length > MAX_QUERIES) {
        throw new RangeError(
          `GetMetricData takes at most ${MAX_QUERIES} queries a call; this analysis has ${read.queries.length}`,
        );
      }
      // Core's query schema holds each field to the API reference's, Unit to StandardUnit's values.
      const queries = read.queries.map((q) => structuredClone(q) as MetricDataQuery);
      const collected = new Map<string, Collected>();
      let nextToken: string | undefined;
      do {
        const out = await send(client, queries, read, nextToken);
        for (const result of out.MetricDataResults ?? []) collect(collected, result);
        nextToken = out.NextToken || undefined;
      } while (nextToken);
      // Returned queries CloudWatch had no datapoints for still come back, empty.
      return queries
        .filter((q) => q.ReturnData !== false && q.Id)
        .map((q) => {
          const found = collected.get(q.Id as string) ?? { timestamps: [], values: [] };
          return { id: q.Id as string, ...found };
        });
    },
  };
}

async function send(
  client: CloudWatchClient,
  queries: MetricDataQuery[],
  read: MetricRead,
  nextToken: string | undefined,
) {
  try {
    return await client.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: read.start,
        EndTime: read.end,
        ScanBy: 'TimestampAscending',
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
  } catch (error) {
    throw unavailableAs('GetMetricData', error, HealthUnavailableError);
  }
}

/** Adds one page's result for a query; a query's datapoints may be spread over several pages. */
function collect(collected: Map<string, Collected>, result: MetricDataResult): void {
  if (!result.Id) return;
  if (result.StatusCode === 'Forbidden') {
    const why = (result.Messages ?? []).map((m) => m.Value).join('; ');
    throw new MetricDataForbiddenError(
      `GetMetricData may not read the data of query ${result.Id}${why ? `: ${why}` : ''}; check the metric's account (AccountId) and the function's permissions`,
    );
  }
  if (result.StatusCode === 'InternalError') {
    throw new HealthUnavailableError(
      `GetMetricData answered InternalError for query ${result.Id}; CloudWatch could not read its data`,
    );
  }
  const entry = collected.get(result.Id) ?? { timestamps: [], values: [] };
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  // CloudWatch pairs Timestamps[i] with Values[i]; a pair missing either half is not a datapoint.
  for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
    entry.timestamps.push(timestamps[i] as Date);
    entry.values.push(values[i] as number);
  }
  collected.set(result.Id, entry);
}
