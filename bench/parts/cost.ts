// What one release costs, counted from rehearsals: state transitions, Lambda invocations and
// GB-seconds, DynamoDB requests and request units, events and CloudWatch reads, each priced
// (bench/parts/prices.ts); beside it the AWS sample's loop (bench/parts/sample-loop.ts) for the same
// number of bakes.

import { type Invocation, rehearse } from '#rehearsal/rehearse.ts';
import type { CallRecord } from '#rehearsal/transport.ts';
import { canaryWith } from '../rehearsal-speed.ts';
import { round } from '../stats.ts';
import { FUNCTION_MEMORY_GB, PRICES_READ_ON, PRICES_USD } from './prices.ts';
import { countSampleLoop, SAMPLE_SOURCE } from './sample-loop.ts';
import { evenSteps } from './scaling.ts';

type Item = Record<string, unknown>;
const keyOf = (table: unknown, key: Item) =>
  `${String(table)}|${JSON.stringify((key.pk as Item)?.S)}|${JSON.stringify((key.sk as Item)?.S)}`;
/** An item's size as its marshalled JSON: a little above DynamoDB's own count (names and values). */
const sizeOf = (item: unknown) => JSON.stringify(item ?? {}).length;

/**
 * DynamoDB requests and the request units they cost: a write 1 unit per KB of the item (the last size
 * written for that key, for an update or delete), twice that inside a transaction; a strongly
 * consistent read 1 unit per 4 KB of the item last written under its key.
 */
export function dynamoUnits(calls: readonly CallRecord[]) {
  const sizes = new Map<string, number>();
  let requests = 0;
  let readUnits = 0;
  let writeUnits = 0;
  const write = (table: unknown, item: Item | undefined, key: Item | undefined, factor: number) => {
    const k = keyOf(table, key ?? item ?? {});
    const size = item ? sizeOf(item) : (sizes.get(k) ?? 1);
    if (item) sizes.set(k, size);
    writeUnits += factor * Math.max(1, Math.ceil(size / 1024));
  };
  for (const call of calls) {
    if (call.service !== 'dynamodb') continue;
    requests++;
    const input = call.input as { TableName?: unknown; Item?: Item; Key?: Item; TransactItems?: Item[] };
    switch (call.operation) {
      case 'GetItem':
        readUnits += Math.max(1, Math.ceil((sizes.get(keyOf(input.TableName, input.Key ?? {})) ?? 1) / 4096));
        break;
      case 'PutItem':
        write(input.TableName, input.Item, undefined, 1);
        break;
      case 'UpdateItem':
      case 'DeleteItem':
        write(input.TableName, undefined, input.Key, 1);
        break;
      case 'TransactWriteItems':
        for (const entry of input.TransactItems ?? []) {
          const op = (entry.Put ?? entry.Update ?? entry.Delete ?? entry.ConditionCheck ?? {}) as Item;
          write(op.TableName, op.Item as Item | undefined, op.Key as Item | undefined, 2);
        }
        break;
      default:
        readUnits += 1;
    }
  }
  return { requests, readUnits, writeUnits };
}

/** Counts one rehearsed release. */
async function countRelease(name: string, strategy: Record<string, unknown>) {
  const invocations: Invocation[] = [];
  const report = await rehearse(await canaryWith(name, strategy), {
    onInvocation: (i) => invocations.push(i),
  });
  if (report.outcome !== 'promoted') throw new Error(`cost scenario ${name} ended ${report.outcome}`);
  const count = (service: string, operation: string) =>
    report.calls.filter((c) => c.service === service && c.operation === operation);
  // The guard's function runs on every ended execution, its steps counted as invocations too.
  const lambdaInvocations = invocations.length + report.guard.length;
  // Billed per 1 ms, at least 1 ms; the guard's runs are not timed here and count as 1 ms each.
  const billedSeconds =
    invocations.reduce((s, i) => s + Math.max(0.001, Math.ceil(i.seconds * 1000) / 1000), 0) +
    report.guard.length * 0.001;
  const gbSeconds = billedSeconds * FUNCTION_MEMORY_GB;
  const dynamo = dynamoUnits(report.calls);
  const events = count('events', 'PutEvents').reduce(
    (n, c) => n + ((c.input.Entries as unknown[] | undefined)?.length ?? 1),
    0,
  );
  const describeAlarms = count('cloudwatch', 'DescribeAlarms').length;
  const metrics = count('cloudwatch', 'GetMetricData').reduce(
    (n, c) => n + ((c.input.MetricDataQueries as unknown[] | undefined)?.length ?? 0),
    0,
  );
  const price = {
    stepFunctions: report.stateTransitions * PRICES_USD.stateTransition,
    lambda: lambdaInvocations * PRICES_USD.lambdaRequest + gbSeconds * PRICES_USD.lambdaArmGbSecond,
    dynamodb: dynamo.readUnits * PRICES_USD.dynamoReadUnit + dynamo.writeUnits * PRICES_USD.dynamoWriteUnit,
    eventBridge: events * PRICES_USD.eventBridgeEvent,
    cloudWatch: describeAlarms * PRICES_USD.cloudWatchRequest + metrics * PRICES_USD.getMetricDataMetric,
  };
  const bakes = report.timeline.filter((e) => e.event === 'bake.started').length;
  const sample = await countSampleLoop(bakes);
  return {
    release: name,
    virtualMinutes: round(report.durationSeconds / 60),
    stepshift: {
      bakes,
      stateTransitions: report.stateTransitions,
      lambdaInvocations,
      gbSeconds: round(gbSeconds, 4),
      dynamodb: dynamo,
      events,
      cloudWatch: { describeAlarms, getMetricDataMetrics: metrics },
      priceUsd: Object.fromEntries(Object.entries(price).map(([k, v]) => [k, round(v, 7)])),
      totalUsd: round(
        Object.values(price).reduce((s, v) => s + v, 0),
        6,
      ),
    },
    sample: {
      ...sample,
      // Its functions' durations are not known here: transitions and requests only.
      priceUsd: round(
        sample.stateTransitions * PRICES_USD.stateTransition +
          sample.lambdaInvocations * PRICES_USD.lambdaRequest +
          sample.calls.getMetricDataMetrics * PRICES_USD.getMetricDataMetric,
        6,
      ),
    },
  };
}

export async function measureCost() {
  return {
    pricesReadOn: PRICES_READ_ON,
    pricesUsd: PRICES_USD,
    sampleSource: SAMPLE_SOURCE,
    releases: [
      await countRelease('3 steps of 5 minutes', { type: 'canary', steps: [10, 25, 50], interval: '5m' }),
      await countRelease('10 steps of 5 minutes', { type: 'canary', steps: evenSteps(10), interval: '5m' }),
      await countRelease('2 hours: 4 steps of 30 minutes', {
        type: 'canary',
        steps: [10, 25, 50, 75],
        interval: '30m',
      }),
    ],
  };
}
