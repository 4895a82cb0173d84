import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { jsonObjectIn, type ObservedReleaseState, releaseStateIn } from '#core/observed-release.ts';
import type { ObservedEvent, ObservedExecution, ReleaseObserver } from '#core/observing-ports.ts';
import { outcomeOf, STOPPED_ERROR } from '#core/outcome.ts';
import { looksLikeEnvelope } from '#core/triggers/eventbridge-envelope.ts';
import { awsErrorName } from './aws-errors.ts';
import { personClientConfig, type ReleaseExecutionsOptions } from './release-executions.ts';
import { type BackoffRetryOptions, BackoffRetryStrategy } from './retry.ts';
import { historyStepOf } from './sfn-execution-history.ts';

/** The callback task a release bakes in (statemachines/release.asl.json): its input carries bakeSeconds. */
const BAKE_STATE = 'Wait for the step to bake';
/** The task state whose output carries the check's signals (core/release/state.ts's `signals`). */
const ANALYZE_STATE = 'Analyze health';
/**
 * ListExecutions and GetExecutionHistory return at most 1,000 items a page (maxResults, Step Functions
 * API reference); ListExecutions sorts by time, the most recent execution first.
 */
const PAGE = 1000;
/**
 * The events read first to tell whose release an execution is: ExecutionStarted, then the pass through
 * statemachines/release.asl.json's first state, Prepare, whose output (its TaskStateExited) names the
 * service. A Lambda task's pass is TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded and
 * TaskStateExited (the history event types core/plan.ts counts); each retry adds a failed attempt's
 * TaskScheduled, TaskStarted and TaskFailed. The page holds the first attempt and the 6 retries the ASL
 * gives Prepare for a transient error (3 for Lambda's, 3 for the *Unavailable ones), not its wait for
 * the canary to be ready (CanaryNotReadyYet, up to 75 retries): a history this page does not tell is
 * read whole, as before.
 */
export const FIRST_PAGE = 1 + 5 + 3 * 6;
/**
 * Attempts of one call while Step Functions throttles it: list and history read many histories at once,
 * which can outrun GetExecutionHistory's quota (by default 400 calls at once, refilled at 20 a second,
 * per account and region; Step Functions developer guide, "Quotas related to API action throttling").
 * Other errors keep personClientConfig's one retry.
 */
export const THROTTLED_TRIES = 8;

/** The release a task state handed on, when it is one this version of stepshift writes (v2). */
const asRelease = (state: ObservedReleaseState | undefined): ObservedReleaseState | undefined =>
  state?.v === 2 ? state : undefined;

function holdOf(release: ObservedReleaseState): 'frozen' | 'approval' | 'paused' | undefined {
  if (release.frozen) return 'frozen';
  if (release.awaiting && release.heldSince) return 'approval';
  return release.heldSince ? 'paused' : undefined;
}

/** What started the release, from the execution's input: a request, or an event (EventBridge's envelope). */
function triggerOf(input: Record<string, unknown> | undefined): string {
  if (!looksLikeEnvelope(input)) return 'request';
  const source = String(input.source);
  return source === 'aws.ecr' ? 'ecr' : source === 'aws.lambda' ? 'lambda' : 'eventbridge';
}

/**
 * A release's moments from its execution's history, in the release's own event names: what each task
 * state handed on (the release state, read as the report reads it: historyStepOf, then
 * core/observed-release.ts) compared with the one before, the bakes
 * entered, each check's signals (Analyze's output carries the last check's, bounded), and how the
 * execution ended.
 */
export function observedEventsOf(history: readonly HistoryEvent[]): ObservedEvent[] {
  const events: ObservedEvent[] = [];
  let last: ObservedReleaseState | undefined;
  let trigger: string | undefined;
  for (const h of history.map(historyStepOf)) {
    const at = h.at.getTime();
    const add = (type: string, detail: Record<string, unknown>) => events.push({ at, type, detail });
    if (h.type === 'ExecutionStarted') {
      const input = jsonObjectIn(h.data);
      const service = typeof input?.service === 'string' ? input.service : undefined;
      trigger = triggerOf(input);
      add('execution.started', { trigger, ...(service ? { service } : {}) });
    } else if (h.type === 'TaskStateExited') {
      const release = asRelease(releaseStateIn(h.data));
      if (!release) continue;
      const version = release.version;
      if (!last) {
        add('release.planned', {
          version,
          ...(typeof release.service === 'string' ? { service: release.service } : {}),
          ...(trigger ? { trigger } : {}),
          steps: release.plan?.steps?.map((s) => s.weight) ?? [],
          ...(release.cast ?? {}),
          snapshot: release.snapshot ?? [],
        });
      }
      if (h.state === ANALYZE_STATE && Array.isArray(release.signals)) {
        // The check ran at the step and check the state came in with; Analyze may have moved them on.
        const signals = release.signals;
        add('analysis.completed', {
          version,
          step: last?.step ?? release.step ?? 0,
          check: last?.check ?? release.check ?? 0,
          signals,
          ...(release.signalsOmitted ? { signalsOmitted: release.signalsOmitted } : {}),
          passed: !signals.some((s) => s.verdict === 'fail'),
          ...(release.failedChecks === undefined ? {} : { failedChecks: release.failedChecks }),
        });
      }
      const written = release.written ?? undefined;
      if (written && JSON.stringify(written) !== JSON.stringify(last?.written ?? undefined)) {
        const steps = release.plan?.steps?.length;
        add('traffic.shifted', { version, step: release.step ?? 0, steps, targets: written });
      }
      if (release.halt && !last?.halt) add('release.halted', { version, ...release.halt });
      const hold = holdOf(release);
      const held = last ? holdOf(last) : undefined;
      if (hold && hold !== held) {
        const reason =
          release.frozen?.reason ?? (release.awaiting ? `until ${release.awaiting.deadline}` : '');
        add('release.held', { version, why: hold, reason, targets: written ?? release.snapshot });
      } else if (!hold && held) {
        add('release.resumed', { version, after: held });
      }
      last = release;
    } else if (h.type === 'TaskStateEntered' && h.state === BAKE_STATE) {
      const seconds = asRelease(releaseStateIn(h.data))?.bakeSeconds;
      if (seconds !== undefined) add('bake.started', { version: last?.version, seconds });
    } else if (h.type === 'ExecutionSucceeded') {
      add('release.finished', { version: last?.version, outcome: 'promoted' });
    } else if (
      h.type === 'ExecutionFailed' ||
      h.type === 'ExecutionTimedOut' ||
      h.type === 'ExecutionAborted'
    ) {
      const error =
        h.type === 'ExecutionAborted'
          ? STOPPED_ERROR
          : h.type === 'ExecutionTimedOut'
            ? 'ExecutionTimedOut'
            : h.error;
      const reason = h.cause ?? error ?? '';
      const outcome = outcomeOf(error ?? 'ExecutionFailed');
      const version = last?.version;
      if (outcome === 'rolled_back') {
        // Where it got to and what failed, from the last state handed on, as the rollback tells it.
        const step = last?.step;
        const weight = step === undefined ? undefined : last?.plan?.steps?.[step]?.weight;
        add('release.rolled_back', {
          version,
          error,
          reason,
          targets: last?.snapshot,
          ...(step === undefined ? {} : { step }),
          ...(weight === undefined ? {} : { weight }),
          ...(last?.halt?.signals ? { signals: last.halt.signals } : {}),
          ...(last?.halt?.signalsOmitted ? { signalsOmitted: last.halt.signalsOmitted } : {}),
        });
      } else if (outcome === 'rejected') add('release.rejected', { problems: [reason] });
      else if (outcome === 'stopped') add('execution.aborted', { version });
      else add('release.failed', { version, error, reason });
    }
  }
  return events;
}

/** Step Functions, read for the CLI's views: ListExecutions and GetExecutionHistory. */
export function createSfnReleaseObserver(client: SFNClient, stateMachineArn: string): ReleaseObserver {
  /** Every page of the history, the SDK's paginator, as the report's reader (sfn-execution-history.ts) pages it. */
  const wholeHistory = async (executionArn: string) => {
    const history: HistoryEvent[] = [];
    for await (const page of paginateGetExecutionHistory({ client, pageSize: PAGE }, { executionArn })) {
      history.push(...(page.events ?? []));
    }
    return history;
  };
  return {
    async executions({ running, since, limit }) {
      const found: ObservedExecution[] = [];
      let nextToken: string | undefined;
      // Each page asks for no more than is still wanted, which the SDK's paginator cannot do.
      do {
        const page = await client.send(
          new ListExecutionsCommand({
            stateMachineArn,
            maxResults: Math.min(PAGE, Math.max(1, limit - found.length)),
            ...(running ? { statusFilter: 'RUNNING' } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        for (const e of page.executions ?? []) {
          // Newest first: once one started before `since`, the rest did too.
          if (since && e.startDate && e.startDate < since) return found;
          if (!e.name || !e.executionArn || !e.startDate) continue;
          found.push({
            name: e.name,
            executionArn: e.executionArn,
            status: e.status ?? 'RUNNING',
            startedAt: e.startDate,
            ...(e.stopDate ? { stoppedAt: e.stopDate } : {}),
          });
          if (found.length >= limit) return found;
        }
        nextToken = page.nextToken;
      } while (nextToken);
      return found;
    },
    async events(executionArn, service) {
      try {
        if (service === undefined) return observedEventsOf(await wholeHistory(executionArn));
        // Oldest first by default (GetExecutionHistory, API reference), so the service comes early.
        const first = await client.send(
          new GetExecutionHistoryCommand({ executionArn, maxResults: FIRST_PAGE }),
        );
        const events = observedEventsOf(first.events ?? []);
        const planned = events.find((e) => e.type === 'release.planned')?.detail.service;
        if (typeof planned === 'string' && planned !== '' && planned !== service) return undefined;
        if (!first.nextToken) return events;
        // Its release, or not told yet: read whole from the start, since a page token must be used
        // with "all other arguments unchanged" (GetExecutionHistory, nextToken), maxResults included.
        return observedEventsOf(await wholeHistory(executionArn));
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },
  };
}

/**
 * The observer's client configuration: personClientConfig's, whose one retry stays for every error but
 * throttling, which is tried up to THROTTLED_TRIES times with growing pauses. `retry` lets a test wait
 * in no time.
 */
export function observerClientConfig(
  stateMachineArn: string,
  options: ReleaseExecutionsOptions = {},
  retry: Pick<BackoffRetryOptions, 'sleep' | 'random'> = {},
) {
  const person = personClientConfig(stateMachineArn, options);
  return {
    ...person,
    retryStrategy: new BackoffRetryStrategy({
      maxAttempts: person.maxAttempts,
      throttledAttempts: THROTTLED_TRIES,
      ...retry,
    }),
  };
}

/** The CLI's observer of the state machine of this ARN, its client configured as observerClientConfig says. */
export function releaseObserverOn(
  stateMachineArn: string,
  options: ReleaseExecutionsOptions = {},
): ReleaseObserver {
  return createSfnReleaseObserver(
    new SFNClient(observerClientConfig(stateMachineArn, options)),
    stateMachineArn,
  );
}
