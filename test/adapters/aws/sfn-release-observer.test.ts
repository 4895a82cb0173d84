import { readFile } from 'node:fs/promises';
import {
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSfnReleaseObserver,
  FIRST_PAGE,
  observedEventsOf,
} from '#adapters/aws/sfn-release-observer.ts';
import { viewOf } from '../../../cli/view/release-view.ts';
import {
  CHECK_SIGNALS,
  CROWDED_CHECK,
  event,
  HISTORY_START,
  recordedHistory,
  releaseHistory,
} from '../../support/execution-history.ts';
import { pagedHistories } from '../../support/paged-histories.ts';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:orders-v2';
const sfn = mockClient(SFNClient);

beforeEach(() => sfn.reset());

describe('observedEventsOf', () => {
  it("tells a release's moments from what each state handed on, and how it ended", () => {
    const events = observedEventsOf(releaseHistory('rolled back'));
    expect(events.map((e) => e.type)).toEqual([
      'execution.started',
      'release.planned',
      'traffic.shifted',
      'bake.started',
      'traffic.shifted',
      'bake.started',
      'release.halted',
      'release.rolled_back',
    ]);
    expect(events[0]?.detail).toEqual({ trigger: 'request', service: 'orders' });
    expect(events[3]).toEqual({
      at: HISTORY_START + 2000,
      type: 'bake.started',
      detail: { version: 'v2', seconds: 300 },
    });
    expect(events.at(-1)?.detail).toMatchObject({
      error: 'ReleaseRolledBack',
      targets: [{ name: 'orders-v1', weight: 100 }],
    });
  });

  it('gives the view the step, the weights, the hold and the outcome', () => {
    const baking = viewOf('orders-v2', '', observedEventsOf(releaseHistory('baking')));
    expect(baking).toMatchObject({
      service: 'orders',
      version: 'v2',
      trigger: 'request',
      state: 'baking',
      step: 0,
      steps: [10, 50],
      nextCheckAt: HISTORY_START + 302_000,
    });
    expect(viewOf('orders-v2', '', observedEventsOf(releaseHistory('awaiting approval')))).toMatchObject({
      state: 'held for approval',
      step: 1,
    });
    expect(viewOf('orders-v2', '', observedEventsOf(releaseHistory('promoted')))).toMatchObject({
      state: 'ended',
      outcome: 'promoted',
      weights: [{ target: 'orders-v2', weight: 100 }],
    });
    expect(viewOf('orders-v2', '', observedEventsOf(releaseHistory('rolled back')))).toMatchObject({
      outcome: 'rolled_back',
      step: 1,
      weights: [{ target: 'orders-v1', weight: 100 }],
    });
  });

  it("tells each check's signals from Analyze's output, so the view shows each one's latest value", () => {
    const events = observedEventsOf(releaseHistory('rolled back', { signals: true }));
    const checks = events.filter((e) => e.type === 'analysis.completed');
    expect(checks.map((e) => e.detail)).toEqual([
      { version: 'v2', step: 0, check: 0, signals: CHECK_SIGNALS.passed, passed: true },
      { version: 'v2', step: 1, check: 0, signals: CHECK_SIGNALS.failed, passed: false },
    ]);
    // The check comes before the halt it caused, as the release told it.
    expect(events.map((e) => e.type).slice(-3)).toEqual([
      'analysis.completed',
      'release.halted',
      'release.rolled_back',
    ]);
    const baking = releaseHistory('awaiting approval', { signals: true });
    expect(viewOf('orders-v2', '', observedEventsOf(baking)).signals).toEqual(CHECK_SIGNALS.passed);
    expect(viewOf('orders-v2', '', observedEventsOf(releaseHistory('rolled back'))).signals).toEqual([]);
  });

  it('tells a timed-out execution by its cause, and a stopped one as aborted', () => {
    const ended = (e: Omit<HistoryEvent, 'id' | 'timestamp'>) =>
      observedEventsOf([...releaseHistory('baking'), event(9, e)]).at(-1);
    expect(
      ended({
        type: 'ExecutionTimedOut',
        executionTimedOutEventDetails: { error: 'States.Timeout', cause: 'ran past TimeoutSeconds' },
      }),
    ).toMatchObject({
      type: 'release.failed',
      detail: { version: 'v2', error: 'ExecutionTimedOut', reason: 'ran past TimeoutSeconds' },
    });
    expect(
      ended({ type: 'ExecutionAborted', executionAbortedEventDetails: { cause: 'stopped by alice' } }),
    ).toEqual({ at: HISTORY_START + 9000, type: 'execution.aborted', detail: { version: 'v2' } });
  });

  it("says how many signals Analyze's output and its halt left out, so the view can say so", () => {
    const events = observedEventsOf(releaseHistory('rolled back', { crowded: true }));
    const detail = (type: string) => events.find((e) => e.type === type)?.detail;
    expect(detail('analysis.completed')).toMatchObject({ signals: CROWDED_CHECK.signals, signalsOmitted: 3 });
    expect(detail('release.halted')).toMatchObject({ signals: CROWDED_CHECK.briefs, signalsOmitted: 6 });
    expect(detail('release.rolled_back')).toMatchObject({ signals: CROWDED_CHECK.briefs, signalsOmitted: 6 });
    // A check that left none out says no count.
    const whole = observedEventsOf(releaseHistory('rolled back', { signals: true }));
    expect(whole.find((e) => e.type === 'analysis.completed')?.detail).not.toHaveProperty('signalsOmitted');
  });

  it('names the trigger from the input: an ECR push, or another event', () => {
    const started = (input: object) =>
      observedEventsOf([
        {
          id: 1,
          timestamp: new Date(0),
          type: 'ExecutionStarted',
          executionStartedEventDetails: { input: JSON.stringify(input) },
        },
      ])[0]?.detail.trigger;
    expect(started({ source: 'aws.ecr', 'detail-type': 'ECR Image Action', detail: {} })).toBe('ecr');
    expect(started({ source: 'stepshift', 'detail-type': 'Release Requested', detail: {} })).toBe(
      'eventbridge',
    );
  });
});

describe('createSfnReleaseObserver', () => {
  const execution = (name: string, minutesAgo: number) => ({
    name,
    executionArn: `${ARN}-${name}`,
    stateMachineArn: MACHINE,
    status: 'RUNNING' as const,
    startDate: new Date(Date.UTC(2026, 0, 1, 12) - minutesAgo * 60_000),
  });

  it('lists executions newest first across pages, down to `since` and at most `limit`', async () => {
    sfn
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [execution('a', 1), execution('b', 2)], nextToken: 't' })
      .resolvesOnce({ executions: [execution('c', 30), execution('d', 90)] });
    const observer = createSfnReleaseObserver(new SFNClient({}), MACHINE);
    const found = await observer.executions({
      running: true,
      limit: 10,
      since: new Date(Date.UTC(2026, 0, 1, 11)),
    });
    expect(found.map((e) => e.name)).toEqual(['a', 'b', 'c']);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE, maxResults: 10, statusFilter: 'RUNNING' },
      { stateMachineArn: MACHINE, maxResults: 8, statusFilter: 'RUNNING', nextToken: 't' },
    ]);
    sfn.reset();
    sfn
      .on(ListExecutionsCommand)
      .resolves({ executions: [execution('a', 1), execution('b', 2)], nextToken: 't' });
    expect(await observer.executions({ limit: 1 })).toHaveLength(1);
  });

  it("reads every page of an execution's history, and answers undefined for one Step Functions does not know", async () => {
    const history = releaseHistory('promoted');
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: history.slice(0, 3), nextToken: 'n' })
      .resolvesOnce({ events: history.slice(3) });
    const observer = createSfnReleaseObserver(new SFNClient({}), MACHINE);
    expect((await observer.events(ARN))?.at(-1)?.type).toBe('release.finished');
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[1]?.args[0].input).toEqual({
      executionArn: ARN,
      maxResults: 1000,
      nextToken: 'n',
    });
    sfn.on(GetExecutionHistoryCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    expect(await observer.events(ARN)).toBeUndefined();
  });
});

describe("createSfnReleaseObserver's events for a service", () => {
  const observer = () => createSfnReleaseObserver(new SFNClient({}), MACHINE);
  const promoted = (service: string) => recordedHistory(releaseHistory('promoted'), { service });
  // A request Prepare refused: its catch, the Pass state that explains it, the Fail state.
  const rejected: HistoryEvent[] = recordedHistory([
    releaseHistory('baking')[0] as HistoryEvent,
    ...(
      [
        { type: 'TaskScheduled' },
        { type: 'TaskStarted' },
        {
          type: 'TaskFailed',
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'InvalidRequest' },
        },
        { type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Explain the rejection' } },
        { type: 'PassStateExited', stateExitedEventDetails: { name: 'Explain the rejection' } },
        { type: 'FailStateEntered', stateEnteredEventDetails: { name: 'Request rejected' } },
        {
          type: 'ExecutionFailed',
          executionFailedEventDetails: { error: 'InvalidRequest', cause: 'version: required' },
        },
      ] as const
    ).map((e) => event(0, e)),
  ]);

  it("reads another service's release no further than one page of FIRST_PAGE events", async () => {
    const payments = promoted('payments');
    expect(payments.length).toBeGreaterThan(FIRST_PAGE);
    const { callsFor } = pagedHistories(sfn, { [ARN]: payments });
    expect(await observer().events(ARN, 'orders')).toBeUndefined();
    expect(callsFor(ARN)).toEqual([{ maxResults: FIRST_PAGE }]);
  });

  it("reads the service's own release whole, the same events as without a service", async () => {
    const { seen, callsFor } = pagedHistories(sfn, { [ARN]: promoted('orders') });
    const whole = await observer().events(ARN);
    expect(whole?.at(-1)?.type).toBe('release.finished');
    seen.calls.length = 0;
    expect(await observer().events(ARN, 'orders')).toEqual(whole);
    expect(callsFor(ARN)).toEqual([{ maxResults: FIRST_PAGE }, { maxResults: 1000 }]);
  });

  it('reads whole a release whose first page does not tell whose it is, as without a service', async () => {
    // Prepare waited for the canary: 8 failed attempts push its output past the first page.
    const waited = recordedHistory(releaseHistory('promoted'), { service: 'payments', prepareRetries: 8 });
    const { seen, callsFor } = pagedHistories(sfn, { [ARN]: waited });
    const whole = await observer().events(ARN);
    seen.calls.length = 0;
    expect(await observer().events(ARN, 'orders')).toEqual(whole);
    expect(callsFor(ARN)).toEqual([{ maxResults: FIRST_PAGE }, { maxResults: 1000 }]);
  });

  it('answers a history shorter than the page from that page: a request refused before Prepare handed on', async () => {
    const { seen, callsFor } = pagedHistories(sfn, { [ARN]: rejected });
    const whole = await observer().events(ARN);
    expect(whole?.map((e) => e.type)).toEqual(['execution.started', 'release.rejected']);
    seen.calls.length = 0;
    // Told by its input only, as the views tell it: the commands keep or drop it by that.
    expect(await observer().events(ARN, 'payments')).toEqual(whole);
    expect(callsFor(ARN)).toEqual([{ maxResults: FIRST_PAGE }]);
    expect(await observer().events(`${ARN}-gone`, 'orders')).toBeUndefined();
  });

  it("holds Prepare's pass with every retry the ASL gives it for a transient error", async () => {
    const asl = JSON.parse(await readFile('statemachines/release.asl.json', 'utf8'));
    const retries = (
      asl.States['Prepare the release'].Retry as { ErrorEquals: string[]; MaxAttempts: number }[]
    )
      .filter((r) => !r.ErrorEquals.includes('CanaryNotReadyYet'))
      .reduce((n, r) => n + r.MaxAttempts, 0);
    // ExecutionStarted; TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited; 3 a retry.
    expect(FIRST_PAGE).toBe(1 + 5 + 3 * retries);
    const retried = recordedHistory(releaseHistory('promoted'), {
      service: 'payments',
      prepareRetries: retries,
    });
    const { callsFor } = pagedHistories(sfn, { [ARN]: retried });
    expect(await observer().events(ARN, 'orders')).toBeUndefined();
    expect(callsFor(ARN)).toHaveLength(1);
  });
});
