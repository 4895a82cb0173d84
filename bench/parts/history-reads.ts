// `npm run bench`'s historyReads part, or alone `npx tsx bench/parts/history-reads.ts [--json] [--quota]
// [--latency ms]`: what `stepshift history <service>` costs in a busy account.
// A mocked Step Functions of 1,000 executions of the release state machine, 5 of them the service's,
// each history as Step Functions records a release of two steps (every task's Scheduled, Started and
// Succeeded events included), each call answered after a fixed latency. Measured: the command's wall
// time, its GetExecutionHistory calls, the history events they carried, and the most calls in flight.
// With --quota, the fake also throttles as Step Functions' default quota for the call does.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { releaseObserverOn } from '#adapters/aws/sfn-release-observer.ts';
import { historyCommand } from '../../cli/history-command.ts';
import type { ObserveContext } from '../../cli/observe.ts';
import { printers } from '../print.ts';
import { round } from '../stats.ts';

/** A history event as the JSON wire carries it (GetExecutionHistory's answer): times in epoch seconds. */
type WireEvent = { id: number; timestamp: number; type: string } & Record<string, unknown>;

export const EXECUTIONS = 1000;
export const LATENCY_MS = 20;
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const T0 = Date.UTC(2026, 0, 1);
/** The service's executions among the others, newest first. */
const THE_SERVICES = new Set([3, 200, 450, 700, 999]);

/** A two-step release of `service` that promoted, event by event as Step Functions records it. */
export function benchHistory(service: string, releaseId: string): WireEvent[] {
  const events: WireEvent[] = [];
  const add = (e: { type: string } & Record<string, unknown>) =>
    events.push({ id: events.length + 1, timestamp: T0 / 1000 + events.length, ...e });
  const state = (step: number, written: boolean) => ({
    v: 2,
    releaseId,
    service,
    version: 'v2',
    plan: { steps: [{ weight: 10 }, { weight: 50 }] },
    cast: { stable: `${service}-v1`, canary: `${service}-v2` },
    snapshot: [{ name: `${service}-v1`, weight: 100 }],
    written: written
      ? [
          { name: `${service}-v1`, weight: 100 - [10, 50][step]! },
          { name: `${service}-v2`, weight: [10, 50][step]! },
        ]
      : null,
    step,
    check: 0,
    bakeSeconds: 300,
  });
  const task = (name: string, output: object, callback = false) => {
    add({ type: 'TaskStateEntered', stateEnteredEventDetails: { name, input: JSON.stringify(output) } });
    add({ type: 'TaskScheduled' });
    add({ type: 'TaskStarted' });
    if (callback) add({ type: 'TaskSubmitted' });
    add({ type: 'TaskSucceeded' });
    add({ type: 'TaskStateExited', stateExitedEventDetails: { name, output: JSON.stringify(output) } });
  };
  add({
    type: 'ExecutionStarted',
    executionStartedEventDetails: { input: JSON.stringify({ service, version: 'v2' }) },
  });
  task('Prepare the release', state(0, false));
  for (const step of [0, 1]) {
    task('Shift traffic', state(step, true));
    task('Wait for the step to bake', state(step, true), true);
    task('Analyze health', state(step, true));
    add({ type: 'ChoiceStateEntered', stateEnteredEventDetails: { name: 'Decide what comes next' } });
    add({ type: 'ChoiceStateExited', stateExitedEventDetails: { name: 'Decide what comes next' } });
  }
  task('Promote the new version', state(1, true));
  task('Finish the release', state(1, true));
  add({ type: 'SucceedStateEntered', stateEnteredEventDetails: { name: 'Released' } });
  add({ type: 'SucceedStateExited', stateExitedEventDetails: { name: 'Released' } });
  add({ type: 'ExecutionSucceeded' });
  return events;
}

/**
 * Step Functions' JSON wire for ListExecutions and GetExecutionHistory (awsJson1_0: the operation in
 * X-Amz-Target), each answer sent after `latencyMs`; GetExecutionHistory pages as Step Functions does,
 * maxResults events (100 by default) and a token for the rest.
 */
function fakeStepFunctions(histories: Map<string, WireEvent[]>, latencyMs: number, quota: boolean) {
  const seen = {
    historyCalls: [] as { maxResults?: number; nextToken?: string }[],
    throttled: 0,
    eventsRead: 0,
    inFlight: 0,
    mostInFlight: 0,
  };
  const arns = [...histories.keys()];
  // GetExecutionHistory's default quota, per account and region: a bucket of 400 calls refilled at 20 a
  // second (Step Functions developer guide, "Quotas related to API action throttling").
  let tokens = 400;
  let filledAt = performance.now();
  const take = () => {
    const now = performance.now();
    tokens = Math.min(400, tokens + ((now - filledAt) / 1000) * 20);
    filledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const input = JSON.parse(body || '{}');
      const operation = String(request.headers['x-amz-target']).split('.').at(-1);
      let answer: object;
      if (operation === 'ListExecutions') {
        answer = {
          executions: arns.map((executionArn, i) => ({
            executionArn,
            stateMachineArn: MACHINE,
            name: executionArn.split(':').at(-1),
            status: 'SUCCEEDED',
            startDate: T0 / 1000 - i * 60,
            stopDate: T0 / 1000 - i * 60 + 60,
          })),
        };
      } else if (quota && !take()) {
        seen.throttled += 1;
        setTimeout(() => {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
        }, latencyMs);
        return;
      } else {
        seen.historyCalls.push({ maxResults: input.maxResults, nextToken: input.nextToken });
        seen.inFlight += 1;
        seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
        const all = histories.get(input.executionArn) ?? [];
        const from = Number(input.nextToken ?? 0);
        const to = from + (input.maxResults || 100);
        const events = all.slice(from, to);
        seen.eventsRead += events.length;
        answer = { events, ...(to < all.length ? { nextToken: String(to) } : {}) };
      }
      setTimeout(() => {
        if (operation !== 'ListExecutions') seen.inFlight -= 1;
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(answer));
      }, latencyMs);
    });
  });
  return { server, seen };
}

export async function measureHistoryReads(executions = EXECUTIONS, latencyMs = LATENCY_MS, quota = false) {
  const arnOf = (i: number) => `${MACHINE.replace('stateMachine', 'execution')}:release-${i}`;
  const serviceOf = (i: number) => (THE_SERVICES.has(i) ? 'orders' : `svc-${i % 97}`);
  const histories = new Map(
    Array.from({ length: executions }, (_, i) => [arnOf(i), benchHistory(serviceOf(i), `release-${i}`)]),
  );
  const { server, seen } = fakeStepFunctions(histories, latencyMs, quota);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID ??= 'BENCH';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'BENCH';
  let out = '';
  const context = {
    out: { write: (t: string) => (out += t) },
    err: { write: () => true },
    executions: () => ({}),
    observer: (arn: string) => releaseObserverOn(arn, { endpoint }),
    now: () => T0,
    env: { STEPSHIFT_STATE_MACHINE_ARN: MACHINE },
  } as unknown as ObserveContext;
  const start = performance.now();
  // Past its THROTTLED_TRIES attempts, a throttled call fails the command, as the CLI's guard would say (exit 2).
  let failure: string | undefined;
  const code = await historyCommand('orders', { json: true }, context).catch((error: Error) => {
    failure = `${error.name}: ${error.message}`;
    return 2;
  });
  const wallSeconds = round((performance.now() - start) / 1000, 2);
  server.close();
  const found = code === 0 ? (JSON.parse(out) as { releases: unknown[] }).releases : [];
  const calls = seen.historyCalls;
  const byMaxResults = new Map<string, number>();
  for (const c of calls)
    byMaxResults.set(String(c.maxResults), (byMaxResults.get(String(c.maxResults)) ?? 0) + 1);
  return {
    executions,
    latencyMs,
    eventsPerHistory: benchHistory('orders', 'x').length,
    exitCode: code,
    ...(failure ? { failure } : {}),
    releasesFound: found.length,
    wallSeconds,
    quota,
    historyCalls: calls.length,
    throttledCalls: seen.throttled,
    historyCallsByMaxResults: Object.fromEntries(byMaxResults),
    eventsRead: seen.eventsRead,
    mostInFlight: seen.mostInFlight,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, quota: { type: 'boolean' }, latency: { type: 'string' } },
  });
  const r = await measureHistoryReads(
    EXECUTIONS,
    Number(values.latency ?? LATENCY_MS),
    values.quota ?? false,
  );
  if (values.json) console.log(JSON.stringify(r, null, 2));
  else printers.historyReads(r);
}
