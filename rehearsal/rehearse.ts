import { parseProfile } from '#core/profile/profile.ts';
import type { RouterConfig } from '#core/shapes.ts';
import { routerKinds } from '#routers/registry.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
import type { Json } from '#routers/sim/service.ts';
import { finalRoutesOf, routeWeightsOf } from '#routers/simulators.ts';
import './platform/polyfills.ts';
import { performance } from 'node:perf_hooks';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { createStaticProfileSource } from '#adapters/config/static-profile-source.ts';
import { outcomeOf, STOPPED_ERROR } from '#core/outcome.ts';
import type { ProfileSource, ReleaseDeps } from '#core/ports.ts';
import { seededRandom } from '#core/seeded-random.ts';
import { makeGuardHandler } from '#functions/guard.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#functions/timeouts.ts';
import { scheduleAlarmEvents } from './platform/alarm-events.ts';
import { ExecutionContext, watchedDefinition } from './platform/context-object.ts';
import type { Definition } from './platform/definition.ts';
import { historyEnding, historyEventOf } from './platform/execution-history.ts';
import { depsFor } from './platform/function-deps.ts';
import { GuardMachine } from './platform/guard-machine.ts';
import {
  ASYNC_RETRY_DELAYS_SECONDS,
  type Execution,
  GUARD_DELIVERY_SECONDS,
  interpreter,
  readableCause,
  STATE_MACHINE,
  type Wait,
} from './platform/interpreter.ts';
import { functionTimeout } from './platform/lambda.ts';
import { PayloadMeter } from './platform/payload-limits.ts';
import { RetryClock } from './platform/retry-clock.ts';
import { type ExecutionStatus, statusChangeEvent } from './platform/status-change.ts';
import { taskHandlers } from './platform/tasks.ts';
import { clockText } from './report/format.ts';
import { type Detection, detectionsOf, type RehearsalReport, type RehearseOptions } from './report/report.ts';
import { Timeline, type TimelineEntry } from './report/timeline.ts';
import { Agenda } from './script/agenda.ts';
import { VirtualClock } from './script/clock.ts';
import { act, actOnRouter } from './script/operator.ts';
import { type PersonRouterAction, personActionOf } from './script/operator-actions.ts';
import type { Scenario } from './script/scenario.ts';
import type { World } from './script/world.ts';
import { SimulatedAws, type TaskResponse } from './transport.ts';

export type { Invocation, RehearsalReport, RehearseOptions } from './report/report.ts';

/**
 * The weights of the route the profile names, whichever router it is (target -> weight: virtual nodes
 * on App Mesh, target group names on Lattice and ALB), read through the router's simulator from the
 * profile as core parses it. None for a profile core refuses: that release moves no weight.
 */
function routeWeights(sim: SimulatedAws, profile: unknown): () => Record<string, number> {
  let router: RouterConfig;
  try {
    router = parseProfile(profile, routerKinds).router;
  } catch {
    return () => ({});
  }
  return () => routeWeightsOf(sim.routers, router);
}

/**
 * Runs statemachines/release.asl.json with aws-local-stepfunctions, each Task state served by the
 * real function handler, whose real adapters talk to a simulated AWS through the SDK clients' transport.
 *
 * Callback timeouts belong to the rehearsal: the Bake task's handler runs, then the rehearsal moves
 * the virtual clock by the state's TimeoutSecondsPath value and answers States.Timeout, which is what
 * Step Functions does when no callback arrives before the timeout. The clock moves in steps, so
 * whatever is due during the bake (a person's action, the guard's delivery) happens at its time.
 *
 * Around the execution the rehearsal plays what the deployed stack does after one: an execution that
 * ends FAILED, ABORTED or TIMED_OUT reaches the guard function as EventBridge's "Step Functions
 * Execution Status Change" event, with Lambda's retries when the guard fails.
 */ export async function rehearse(
  scenario: Scenario,
  options: RehearseOptions = {},
): Promise<RehearsalReport> {
  const wallStart = performance.now();
  const rehearsal = new Rehearsal(scenario, options);
  const main = rehearsal.start(scenario.request ?? null);
  await rehearsal.settle();
  await Promise.all(rehearsal.executions.map((e) => e.watched));
  // Whoever asks may read the simulated AWS as the release left it, through SDK clients of its own.
  await options.afterwards?.({
    requestHandler: rehearsal.sim.requestHandler,
    region: SIMULATED_REGION,
    stateMachineArn: `arn:aws:states:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:stateMachine:${STATE_MACHINE}`,
  });

  const { clock, sim, timeline } = rehearsal;
  const outcome = outcomeOf(main.error?.name);
  const detections = detectionsOf(rehearsal);
  const planned = timeline.entries.find((e) => e.event === 'release.planned')?.detail;
  return {
    name: scenario.name,
    outcome,
    ...(main.error ? { error: main.error } : {}),
    ...(scenario.expect
      ? {
          expectation: {
            ...scenario.expect,
            met:
              scenario.expect.outcome === outcome &&
              (scenario.expect.error === undefined || scenario.expect.error === main.error?.name),
          },
        }
      : {}),
    durationSeconds: clock.seconds,
    wallMilliseconds: Math.round((performance.now() - wallStart) * 10) / 10,
    stateTransitions: main.stateTransitions,
    ...(planned
      ? {
          plan: {
            steps: planned.steps as number[],
            stateTransitions: planned.stateTransitions as number,
            historyEvents: planned.historyEvents as number,
            priceUsd: planned.priceUsd as number,
          },
        }
      : {}),
    finalRoutes: finalRoutesOf(sim.routers),
    timeline: timeline.entries,
    events: sim.busEvents,
    heldLocks: await sim.heldLocks(),
    calls: sim.calls,
    others: rehearsal.executions.slice(1).map((e) => ({
      name: e.name,
      executionArn: e.arn,
      outcome: outcomeOf(e.error?.name),
      ...(e.error ? { error: e.error } : {}),
    })),
    guard: rehearsal.guard.runs,
    guardExecutions: rehearsal.guard.executions,
    ...(detections[0]?.detectionDelaySeconds === undefined
      ? {}
      : { detectionDelaySeconds: detections[0].detectionDelaySeconds }),
    detections,
    ...(rehearsal.payloads.largest ? { largestPayload: rehearsal.payloads.largest } : {}),
  };
}

/**
 * The timeline's listener: the caller's `onEntry`, and with `stopWhen` a StopExecution of the first
 * execution, due at once (it fires before the next task or within the next bake), the first time an
 * entry satisfies it.
 */
function stopping(r: Rehearsal, options: RehearseOptions): ((entry: TimelineEntry) => void) | undefined {
  const { onEntry, stopWhen } = options;
  if (stopWhen === undefined) return onEntry;
  let asked = false;
  return (entry) => {
    onEntry?.(entry);
    if (asked || !stopWhen(entry)) return;
    asked = true;
    r.agenda.at(entry.at, () => act(r, { at: entry.at, action: 'stop-execution' }));
  };
}

/** The world one rehearsal runs in: the clock, the simulated AWS, the functions, and every execution. */
export class Rehearsal {
  readonly clock = new VirtualClock();
  readonly sim: SimulatedAws;
  readonly timeline: Timeline;
  readonly agenda: Agenda;
  readonly executions: Execution[] = [];
  readonly payloads = new PayloadMeter();
  /** The guard's state machine, run on every ended execution. */
  readonly guard: GuardMachine;
  /** Every alarm event delivered to the alarm function, in order. */
  readonly alarmDeliveries: Omit<Detection, 'answeredAt' | 'answer' | 'detectionDelaySeconds'>[] = [];

  readonly world: World;
  readonly random: () => number;
  readonly profiles: ProfileSource;
  readonly definition: Definition;
  readonly callbackStates: ReadonlySet<string>;
  readonly retryOverrides: Record<string, number>;
  /** The guard function for each execution it acts on (its events are tagged with that execution). */
  readonly guards = new Map<string, (event: never) => Promise<unknown>>();
  /** The ports of each execution, built once: its tasks and the guard acting on it share them. */
  readonly deps = new Map<string, ReleaseDeps>();
  /** Lambda invocations of each task state so far, across executions (faults count them). */
  readonly invocations = new Map<string, number>();
  lambdaRequests = 0;
  statusEvents = 0;
  /** Bakes waiting for a callback, by task token. */
  readonly waits = new Map<string, Wait>();
  /** Bakes a callback ended, in order: when each would have ended on its own. */
  readonly answered: number[] = [];
  tokens = 0;
  /** Each execution's release id, as its Prepare announced it: operator commands default to it. */
  readonly releaseIds = new Map<string, string>();
  alarmFunction: ((event: never) => Promise<unknown>) | undefined;
  readonly onInvocation: NonNullable<RehearseOptions['onInvocation']>;

  constructor(scenario: Scenario, options: RehearseOptions) {
    const { clock } = this;
    this.onInvocation = options.onInvocation ?? (() => {});
    this.world = scenario.world;
    this.sim = new SimulatedAws(scenario.world, clock);
    this.timeline = new Timeline(clock, routeWeights(this.sim, scenario.profile), stopping(this, options));
    this.timeline.tagExecutions = scenario.world.operator.some((a) => a.action === 'start-release');
    this.agenda = new Agenda(clock);
    if (options.interleave) this.agenda.interleave();
    this.sim.passTime = (seconds) => this.agenda.pass(seconds);
    this.random = seededRandom(scenario.seed ?? 1);
    this.guard = new GuardMachine({
      clock,
      agenda: this.agenda,
      timeline: this.timeline,
      random: this.random,
      guardFor: (execution) => this.guardFor(execution),
      locksHeldBy: (executionArn) => this.locksHeldBy(executionArn),
    });
    const profiles = [
      ...(scenario.profile === undefined ? [] : [scenario.profile]),
      ...(options.profiles ?? []),
    ];
    this.profiles = createStaticProfileSource(profiles);
    ({
      definition: this.definition,
      callbackStates: this.callbackStates,
      retryOverrides: this.retryOverrides,
    } = interpreter());
    for (const action of scenario.world.operator) {
      const before = personActionOf(action) && (action as PersonRouterAction).beforeCall;
      this.agenda.at(
        action.at,
        before
          ? () => this.sim.beforeNextCall(before, () => actOnRouter(this, action as PersonRouterAction))
          : () => act(this, action),
      );
    }
    this.sim.taskResponder = (token, response) => this.answerTask(token, response);
    for (const profile of profiles) this.sim.hookFunctionsOf(profile);
    scheduleAlarmEvents(this, scenario.world, profiles);
  }

  /** SendTaskSuccess or SendTaskFailure reached the simulated AWS: end that bake, if one waits. */
  answerTask(token: string, response: TaskResponse): boolean {
    const wait = this.waits.get(token);
    if (!wait || wait.answer) return false;
    wait.answer = response;
    this.answered.push(wait.end);
    return true;
  }

  /**
   * Settles when every execution has ended, every task still running after a stop has returned, and
   * the agenda is empty (a person's later actions, the guard's deliveries and retries), whatever each
   * of those started meanwhile. Only then is the world final. The agenda is drained only once no task
   * runs: a running task fires it itself, in its own time.
   */
  async settle(): Promise<void> {
    if (this.agenda.interleaved) await this.agenda.run();
    for (;;) {
      await Promise.all(this.executions.map((e) => this.settled(e)));
      if (this.agenda.pending === 0) return;
      await this.agenda.drain();
    }
  }

  /** Settles when this execution has ended and none of its tasks runs any more. */
  async settled(execution: Execution): Promise<void> {
    await execution.ended;
    while (execution.running.size > 0) await Promise.all([...execution.running]);
  }

  /** The next execution's name: "rehearsal", then "rehearsal-2", "rehearsal-3", ... */
  nextName(): string {
    const n = this.executions.length + 1;
    return n === 1 ? 'rehearsal' : `rehearsal-${n}`;
  }

  /** Starts an execution of the state machine with this input, as StartExecution would. */
  start(input: unknown): Execution {
    const name = this.nextName();
    const arn = `arn:aws:states:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:execution:${STATE_MACHINE}:${name}`;
    const execution: Execution = {
      name,
      arn,
      input,
      startedAt: this.clock.seconds,
      status: 'RUNNING',
      stopped: false,
      stateTransitions: 0,
      abort: () => {},
      ended: Promise.resolve(),
      watched: Promise.resolve(),
      running: new Set(),
      context: new ExecutionContext(
        {
          stateMachineArn: `arn:aws:states:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:stateMachine:${STATE_MACHINE}`,
          roleArn: `arn:aws:iam::${SIMULATED_ACCOUNT}:role/${STATE_MACHINE}`,
          executionArn: arn,
          name,
          input,
          startTime: this.clock.dateAt(this.clock.seconds),
        },
        this.callbackStates,
        () => `${name}:task:${++this.tokens}`,
      ),
    };
    this.executions.push(execution);
    this.agenda.started();
    this.sim.executions.set(arn, 'RUNNING');
    const retries = new RetryClock((state) => this.definition.States[state]?.Retry, this.clock, this.random);
    const machine = new StateMachine(
      watchedDefinition(this.definition, (state) =>
        execution.context.enter(state, this.clock.dateAt(this.clock.seconds)),
      ) as unknown as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );
    const run = machine.run(input as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: taskHandlers(this, execution, retries) as NonNullable<
          RunOptions['overrides']
        >['taskResourceLocalHandlers'],
        // The interpreter retries at once; RetryClock has already moved virtual time by AWS's pause.
        retryIntervalOverrides: this.retryOverrides,
      },
      context: execution.context.object as unknown as RunOptions['context'],
    });
    execution.abort = run.abort;
    // What GetExecutionHistory answers for this execution (the CLI's list, history, status and watch).
    const record = (event: Json | undefined) => {
      if (event) this.sim.stepFunctions.record(arn, name, this.clock.now().getTime() / 1000, event);
    };
    execution.watched = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') execution.stateTransitions++;
        record(historyEventOf(event));
      }
      await execution.ended;
      record(historyEnding(execution.status, execution.error));
    })();
    execution.ended = run.result.then(
      () => this.ended(execution),
      (error: unknown) => this.ended(execution, error),
    );
    return execution;
  }

  /** Records how an execution ended; one that did not succeed goes to the guard. */
  ended(execution: Execution, error?: unknown): void {
    this.agenda.ended();
    if (execution.stopped || error instanceof ExecutionAbortedError) {
      // StopExecution already recorded the end and sent the status change on its way.
      execution.error ??= {
        name: STOPPED_ERROR,
        message: `stopped with StopExecution at ${clockText(execution.stoppedAt ?? this.clock.seconds)}; a stopped execution runs no Catch`,
      };
      return;
    }
    if (error === undefined) {
      execution.status = 'SUCCEEDED';
      this.sim.executions.set(execution.arn, 'SUCCEEDED');
      this.timeline.add('execution.succeeded', {}, execution.name);
      // A promoted release whose Finish could not free the lock still succeeds: the guard frees it.
      this.sendToGuard(execution);
      return;
    }
    if (error instanceof ExecutionTimeoutError) {
      execution.status = 'TIMED_OUT';
      execution.error = { name: 'States.Timeout', message: 'the execution ran out of time' };
    } else {
      const cause =
        error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
      execution.status = 'FAILED';
      execution.error = { name: cause.name, message: readableCause(cause.message) };
    }
    this.sim.executions.set(execution.arn, execution.status);
    if (execution.error)
      this.sim.executionFailures.set(execution.arn, {
        error: execution.error.name,
        cause: execution.error.message,
      });
    this.timeline.add(
      execution.status === 'TIMED_OUT' ? 'execution.timed_out' : 'execution.failed',
      { error: execution.error.name, cause: execution.error.message },
      execution.name,
    );
    this.sendToGuard(execution);
  }

  /** EventBridge delivers the execution's status change to the guard, a second after it ended. */
  sendToGuard(execution: Execution): void {
    const stoppedAt = this.clock.seconds;
    const event = statusChangeEvent({
      executionArn: execution.arn,
      name: execution.name,
      status: execution.status as Exclude<ExecutionStatus, 'RUNNING'>,
      input: execution.input,
      startDate: this.clock.dateAt(execution.startedAt),
      stopDate: this.clock.dateAt(stoppedAt),
      sequence: ++this.statusEvents,
      account: SIMULATED_ACCOUNT,
      region: SIMULATED_REGION,
    });
    this.agenda.at(stoppedAt + GUARD_DELIVERY_SECONDS, () =>
      this.guard.start(execution.name, execution.arn, event),
    );
  }

  /** The routes (lock keys) this execution holds now, read from the table directly. */
  async locksHeldBy(executionArn: string): Promise<string[]> {
    const suffix = ` by ${executionArn}`;
    return (await this.sim.heldLocks())
      .filter((lock) => lock.endsWith(suffix))
      .map((lock) => lock.slice(0, -suffix.length));
  }

  /** The guard function acting for this execution, with the function timeouts this rehearsal runs. */
  guardFor(execution: string): (event: never) => Promise<unknown> {
    let guard = this.guards.get(execution);
    if (guard === undefined) {
      const timeouts = Object.fromEntries(
        Object.keys(FUNCTION_TIMEOUT_SECONDS).map((fn) => [
          fn,
          functionTimeout(fn, this.world.functionTimeouts),
        ]),
      ) as typeof FUNCTION_TIMEOUT_SECONDS;
      guard = makeGuardHandler(depsFor(this, execution), timeouts) as (event: never) => Promise<unknown>;
      this.guards.set(execution, guard);
    }
    return guard;
  }

  /**
   * Lambda's answer to a failed asynchronous invocation (the guard's, the alarm function's): on the
   * timeline, and invoked again after its retry delay while retries are left.
   */
  failedAsync(
    event: string,
    detail: { readonly attempt: number } & Record<string, unknown>,
    error: unknown,
    again: () => unknown,
  ): { name: string; message: string } {
    const delay = ASYNC_RETRY_DELAYS_SECONDS[detail.attempt - 1];
    const failure = { name: (error as Error).name, message: readableCause((error as Error).message) };
    this.timeline.add(event, {
      ...detail,
      error: failure.name,
      cause: failure.message,
      ...(delay === undefined ? { retriesLeft: 0 } : { retryInSeconds: delay }),
    });
    if (delay !== undefined) this.agenda.at(this.clock.seconds + delay, again);
    return failure;
  }
}
