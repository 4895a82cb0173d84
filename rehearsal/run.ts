import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
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
import { createAwsClients } from '#adapters/aws/clients.ts';
import { createEventBridgeEventSink } from '#adapters/aws/eventbridge-event-sink.ts';
import { createStaticProfileSource } from '#adapters/config/static-profile-source.ts';
import { fanOut } from '#adapters/fan-out-event-sink.ts';
import { createReleaseDeps } from '#adapters/release-deps.ts';
import { causeOf } from '#core/errors.ts';
import { type Outcome, outcomeOf, STOPPED_ERROR } from '#core/outcome.ts';
import type { ProfileSource, ReleaseDeps } from '#core/ports.ts';
import { operate } from '#core/release/operate.ts';
import { makeAlarmHandler } from '#functions/alarm.ts';
import { makeGuardHandler } from '#functions/guard.ts';
import { handlerFactories } from '#functions/index.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#functions/timeouts.ts';
import { weightsInSpec } from '#routers/appmesh/sim/model.ts';
import { type Definition, loadDefinition, taskFunctions } from './platform/definition.ts';
import { type GuardExecution, GuardMachine, type GuardRun } from './platform/guard-machine.ts';
import {
  functionTimeout,
  type InvokeParameters,
  invocationFailure,
  invokeLikeLambda,
  lambdaInvokeResult,
} from './platform/lambda.ts';
import type { LambdaFault } from './platform/lambda-faults.ts';
import { type LargestPayload, PayloadMeter } from './platform/payload-limits.ts';
import { RetryClock } from './platform/retry-clock.ts';
import { type ExecutionStatus, statusChangeEvent } from './platform/status-change.ts';
import { clockText } from './report/format.ts';
import { Timeline, type TimelineEntry } from './report/timeline.ts';
import { Agenda } from './script/agenda.ts';
import { VirtualClock } from './script/clock.ts';
import type {
  CommandAction,
  EditRouteAction,
  OperatorAction,
  StartReleaseAction,
} from './script/operator-actions.ts';
import type { Scenario } from './script/scenario.ts';
import type { World } from './script/world.ts';
import {
  type BusEvent,
  type CallRecord,
  REHEARSAL_TABLE,
  SimulatedAws,
  type TaskResponse,
} from './transport.ts';
import { rehearsalWebhooks } from './webhooks.ts';

export interface RehearsalReport {
  readonly name: string;
  /** How the scenario's execution (the first one) ended. */
  readonly outcome: Outcome;
  readonly error?: { readonly name: string; readonly message: string };
  /** Present when the scenario states what it expects; the CLI's exit code follows it. */
  readonly expectation?: { readonly outcome: Outcome; readonly error?: string; readonly met: boolean };
  /** Virtual seconds from start to end, the guard's work after the executions included. */
  readonly durationSeconds: number;
  readonly wallMilliseconds: number;
  /** States the scenario's execution entered (Step Functions bills each one). */
  readonly stateTransitions: number;
  readonly plan?: {
    readonly steps: readonly number[];
    readonly stateTransitions: number;
    readonly historyEvents: number;
    readonly priceUsd: number;
  };
  readonly finalRoutes: ReturnType<SimulatedAws['finalRoutes']>;
  /** The Lattice and ALB rules and listeners as the rehearsal ends with them, created rules included. */
  readonly finalTargetGroupRoutes: ReturnType<SimulatedAws['finalTargetGroupRoutes']>;
  readonly timeline: readonly TimelineEntry[];
  /** The lifecycle events the release put on its EventBridge bus, as a team's rules would see them. */
  readonly events: readonly BusEvent[];
  /**
   * Route locks still held when the rehearsal ended ("<route ARN> by <execution ARN>"), after every
   * execution ended and the guard did its work; none when every release let go.
   */
  readonly heldLocks: readonly string[];
  readonly calls: readonly CallRecord[];
  /** Executions a person started during the rehearsal (world.operator start-release), in order. */
  readonly others: readonly OtherExecution[];
  /**
   * The guard function's invocations by its state machine, run for each execution that ended: its
   * first step (take the route over, put it back), its retries, and after its wait its second (look
   * again, let go). Those that changed something or failed are on the timeline too.
   */
  readonly guard: readonly GuardRun[];
  /** The runs of the guard's state machine, one per ended execution, and how each ended. */
  readonly guardExecutions: readonly GuardExecution[];
  /**
   * Virtual seconds from the first alarm that went into ALARM during a bake to the release's answer to
   * it (traffic restored, a step back, or a hold), when an alarm ended a bake early.
   */
  readonly detectionDelaySeconds?: number;
  /** Every alarm event delivered to the alarm function, and what came of it. */
  readonly detections: readonly Detection[];
  /** The largest task input or output of the rehearsal, against Step Functions' 256 KiB quota. */
  readonly largestPayload?: LargestPayload;
}

/** An alarm that went into ALARM, delivered to the alarm function as EventBridge would. */
export interface Detection {
  readonly alarm: string;
  /** Virtual seconds when the alarm went into ALARM. */
  readonly alarmAt: number;
  /** Whether it ended a waiting bake. */
  readonly endedBake: boolean;
  /** Virtual seconds when the release answered: restored, stepped back or held. */
  readonly answeredAt?: number;
  readonly answer?: string;
  readonly detectionDelaySeconds?: number;
  /** When the bake it ended would have ended on its own: when polling alone would have looked. */
  readonly pollingWouldLookAt?: number;
}

export interface OtherExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly outcome: Outcome;
  readonly error?: { readonly name: string; readonly message: string };
}

export type { GuardExecution, GuardRun } from './platform/guard-machine.ts';

export interface RehearseOptions {
  /** Called as each timeline entry happens, for a live printout. */
  readonly onEntry?: (entry: TimelineEntry) => void;
}

const STATE_MACHINE = 'stepshift-release';
const TASK_TOKEN = 'rehearsal-task-token';
/** The bus the functions are told to use, as STEPSHIFT_EVENT_BUS_NAME tells them on AWS. */
const EVENT_BUS = 'stepshift';
/**
 * Virtual seconds from an execution's end to the guard's invocation. EventBridge delivers AWS
 * service events "on a best-effort basis", usually within seconds; the rehearsal takes one.
 */
const GUARD_DELIVERY_SECONDS = 1;
/**
 * Lambda's retries of an asynchronous invocation whose function fails (the alarm function's): two, the
 * first about a minute after the failure, the second about two minutes after that (Lambda developer
 * guide, "Error handling and automatic retries in Lambda" / asynchronous invocation). After the last,
 * the event goes to the function's on-failure destination or dead-letter queue, if it has one.
 */
const ASYNC_RETRY_DELAYS_SECONDS = [60, 120] as const;

/** A small deterministic generator, so retry jitter (and so the timeline) is the same on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The route a profile names, as the simulated AWS keys it, whichever router it is; the timeline shows
 * its weights (target -> percent: virtual nodes on App Mesh, target group names on Lattice and ALB).
 */
function routeWeights(sim: SimulatedAws, profile: unknown): () => Record<string, number> {
  const router = (profile as { router?: Record<string, string | undefined> } | null)?.router ?? {};
  if (router.type === 'vpc-lattice') {
    const key = {
      ...(router.serviceIdentifier === undefined ? {} : { serviceIdentifier: router.serviceIdentifier }),
      ...(router.listenerIdentifier === undefined ? {} : { listenerIdentifier: router.listenerIdentifier }),
      ...(router.ruleIdentifier === undefined ? {} : { ruleIdentifier: router.ruleIdentifier }),
    };
    return () => sim.latticeWeightsOf(key);
  }
  if (router.type === 'alb') {
    const key = {
      ...(router.listenerArn === undefined ? {} : { listenerArn: router.listenerArn }),
      ...(router.ruleArn === undefined ? {} : { ruleArn: router.ruleArn }),
    };
    return () => sim.albWeightsOf(key);
  }
  const key = {
    meshName: router.meshName ?? '',
    virtualRouterName: router.virtualRouterName ?? '',
    routeName: router.routeName ?? '',
    meshOwner: router.meshOwner,
  };
  return () => sim.weightsOf(key);
}

/**
 * The definition and its interpreter, read and built once per process: every rehearsal runs the same
 * file, and StateMachine.run starts an independent execution each time.
 */
let built:
  | { definition: Definition; machine: StateMachine; retryOverrides: Record<string, number> }
  | undefined;
function interpreter() {
  if (!built) {
    const definition = loadDefinition();
    built = {
      definition,
      machine: new StateMachine(definition as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      }),
      retryOverrides: Object.fromEntries(
        Object.entries(definition.States)
          .filter(([, s]) => s.Retry)
          .map(([state]) => [state, 0]),
      ),
    };
  }
  return built;
}

/** How people read a Lambda error's cause: "Type: message". */
function readableCause(cause: string): string {
  const { type, message } = causeOf(cause);
  return type ? `${type}: ${message}` : message;
}

/**
 * What a task of a stopped execution answers the interpreter. On AWS nothing reads it; here the
 * execution's result has already settled as aborted, so the interpreter's own run is only wound down:
 * States.Runtime is the one error no Catch or Retry (States.ALL) matches, so no further state runs. A
 * promise that never settled would hold the interpreter's task timer (60 seconds of real time) instead.
 */
class ExecutionStoppedAnswer extends Error {
  constructor() {
    super('the execution was stopped');
    this.name = 'States.Runtime';
  }
}
function never(): Promise<never> {
  return Promise.reject(new ExecutionStoppedAnswer());
}

/** A bake waiting for its timeout or a callback. */
interface Wait {
  /** Virtual seconds when it times out. */
  end: number;
  answer?: TaskResponse;
}

/** One execution of the state machine in a rehearsal. */
interface Execution {
  readonly name: string;
  readonly arn: string;
  readonly input: unknown;
  /** Virtual seconds when it started. */
  readonly startedAt: number;
  status: ExecutionStatus;
  /**
   * Set by StopExecution: no task of it is invoked again. A task already running runs on to its end,
   * as a Lambda function does after its execution is stopped, and its result goes nowhere.
   */
  stopped: boolean;
  stoppedAt?: number;
  error?: { name: string; message: string };
  stateTransitions: number;
  abort: () => void;
  /** Settles when the execution has ended, however it ended. */
  ended: Promise<void>;
  /** Settles when its event log is read to the end. */
  watched: Promise<void>;
  /** Task invocations still running (after a stop, until they return), with their retry pauses. */
  readonly running: Set<Promise<unknown>>;
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
 */
export async function rehearse(scenario: Scenario, options: RehearseOptions = {}): Promise<RehearsalReport> {
  const wallStart = performance.now();
  const rehearsal = new Rehearsal(scenario, options);
  const main = rehearsal.start(scenario.request ?? null);
  await rehearsal.settle();
  await Promise.all(rehearsal.executions.map((e) => e.watched));

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
    finalRoutes: sim.finalRoutes(),
    finalTargetGroupRoutes: sim.finalTargetGroupRoutes(),
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

/** Releases' answers to an alarm, as the timeline names them. */
const ANSWERS = new Set(['release.rolled_back', 'release.retreating', 'release.held']);

/** Each delivered alarm with the release's answer to it, read off the timeline. */
function detectionsOf(rehearsal: Rehearsal): Detection[] {
  return rehearsal.alarmDeliveries.map((d) => {
    const answer = d.endedBake
      ? rehearsal.timeline.entries.find((e) => e.at >= d.alarmAt && ANSWERS.has(e.event))
      : undefined;
    return {
      ...d,
      ...(answer
        ? {
            answeredAt: answer.at,
            answer: answer.event,
            detectionDelaySeconds: Math.round((answer.at - d.alarmAt) * 1000) / 1000,
          }
        : {}),
    };
  });
}

type LocalHandler = (input: unknown) => Promise<unknown>;

/** The world one rehearsal runs in: the clock, the simulated AWS, the functions, and every execution. */
class Rehearsal {
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

  readonly #world: World;
  readonly #random: () => number;
  readonly #profiles: ProfileSource;
  readonly #definition: Definition;
  readonly #machine: StateMachine;
  readonly #retryOverrides: Record<string, number>;
  /** The guard function for each execution it acts on (its events are tagged with that execution). */
  readonly #guards = new Map<string, (event: never) => Promise<unknown>>();
  /** The ports of each execution, built once: its tasks and the guard acting on it share them. */
  readonly #deps = new Map<string, ReleaseDeps>();
  /** Lambda invocations of each task state so far, across executions (faults count them). */
  readonly #invocations = new Map<string, number>();
  #lambdaRequests = 0;
  #statusEvents = 0;
  /** Bakes waiting for a callback, by task token. */
  readonly #waits = new Map<string, Wait>();
  /** Bakes a callback ended, in order: when each would have ended on its own. */
  readonly #answered: number[] = [];
  #tokens = 0;
  /** Each execution's release id, as its Prepare announced it: operator commands default to it. */
  readonly #releaseIds = new Map<string, string>();
  #alarmFunction: ((event: never) => Promise<unknown>) | undefined;

  constructor(scenario: Scenario, options: RehearseOptions) {
    const { clock } = this;
    this.#world = scenario.world;
    this.sim = new SimulatedAws(scenario.world, clock);
    this.timeline = new Timeline(clock, routeWeights(this.sim, scenario.profile), options.onEntry);
    this.timeline.tagExecutions = scenario.world.operator.some((a) => a.action === 'start-release');
    this.agenda = new Agenda(clock);
    this.sim.passTime = (seconds) => this.agenda.pass(seconds);
    this.#random = seededRandom(scenario.seed ?? 1);
    this.guard = new GuardMachine({
      clock,
      agenda: this.agenda,
      timeline: this.timeline,
      random: this.#random,
      guardFor: (execution) => this.#guardFor(execution),
      locksHeldBy: (executionArn) => this.#locksHeldBy(executionArn),
    });
    this.#profiles = createStaticProfileSource(scenario.profile === undefined ? [] : [scenario.profile]);
    ({
      definition: this.#definition,
      machine: this.#machine,
      retryOverrides: this.#retryOverrides,
    } = interpreter());
    for (const action of scenario.world.operator) this.agenda.at(action.at, () => this.#operate(action));
    this.sim.taskResponder = (token, response) => this.#answerTask(token, response);
    const hooks = (scenario.profile as { hooks?: { name?: unknown; functionName?: unknown }[] } | undefined)
      ?.hooks;
    for (const hook of Array.isArray(hooks) ? hooks : []) {
      if (typeof hook.functionName === 'string' && typeof hook.name === 'string')
        this.sim.hookFunctions.set(hook.functionName, hook.name);
    }
    this.#scheduleAlarmEvents(scenario);
  }

  /**
   * CloudWatch's "Alarm State Change" events, as the construct's rule delivers them to the alarm
   * function: each time an alarm the profile reads goes into ALARM (its first state is where it
   * starts, not a change), after world.alarmEventDelay.
   */
  #scheduleAlarmEvents(scenario: Scenario): void {
    const world = scenario.world;
    if (world.alarmEvents === 'lost') return;
    const analysis = (scenario.profile as { analysis?: { alarms?: unknown } } | undefined)?.analysis;
    const watched = new Set(Array.isArray(analysis?.alarms) ? (analysis.alarms as unknown[]) : []);
    for (const alarm of world.alarms) {
      if (!watched.has(alarm.name)) continue;
      alarm.states.forEach((state, i) => {
        const before = alarm.states[i - 1];
        if (before === undefined || state.state !== 'ALARM' || before.state === 'ALARM') return;
        this.agenda.at(state.at + world.alarmEventDelay, () => this.#deliverAlarm(alarm.name, state));
      });
    }
  }

  /**
   * One alarm event, delivered to the alarm function (its ports act for no execution in particular).
   * An asynchronous invocation: Lambda retries a failed one twice, as for the guard.
   */
  async #deliverAlarm(
    name: string,
    state: { at: number; reason?: string | undefined },
    attempt = 1,
  ): Promise<void> {
    this.#alarmFunction ??= makeAlarmHandler(this.#depsFor('alarm')) as (event: never) => Promise<unknown>;
    const answered = this.#answered.length;
    const event = {
      version: '0',
      id: `alarm-${this.alarmDeliveries.length + 1}`,
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: SIMULATED_ACCOUNT,
      time: this.clock.dateAt(state.at).toISOString(),
      region: SIMULATED_REGION,
      resources: [`arn:aws:cloudwatch:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:alarm:${name}`],
      detail: {
        alarmName: name,
        state: {
          value: 'ALARM',
          ...(state.reason ? { reason: state.reason } : {}),
          timestamp: this.clock.dateAt(state.at).toISOString(),
        },
        previousState: { value: 'OK' },
      },
    };
    try {
      await invokeLikeLambda(this.#alarmFunction, { FunctionName: 'alarm', Payload: event });
    } catch (error) {
      this.#failedAsync('alarm.failed', { alarm: name, attempt }, error, () =>
        this.#deliverAlarm(name, state, attempt + 1),
      );
      return;
    }
    const endedAt = this.#answered[answered];
    this.alarmDeliveries.push({
      alarm: name,
      alarmAt: state.at,
      endedBake: endedAt !== undefined,
      ...(endedAt === undefined ? {} : { pollingWouldLookAt: endedAt }),
    });
  }

  /** SendTaskSuccess or SendTaskFailure reached the simulated AWS: end that bake, if one waits. */
  #answerTask(token: string, response: TaskResponse): boolean {
    const wait = this.#waits.get(token);
    if (!wait || wait.answer) return false;
    wait.answer = response;
    this.#answered.push(wait.end);
    return true;
  }

  /**
   * The ports the functions of one execution use (or the guard acting on it): real adapters over SDK
   * clients whose transport is the simulated AWS. What they add to the timeline names the execution.
   */
  #depsFor(execution: string): ReleaseDeps {
    const built = this.#deps.get(execution);
    if (built) return built;
    const { clock, sim, timeline } = this;
    const clients = createAwsClients({
      region: SIMULATED_REGION,
      credentials: { accessKeyId: 'REHEARSAL', secretAccessKey: 'REHEARSAL' },
      requestHandler: sim.requestHandler,
      retry: {
        random: this.#random,
        // Back-off passes like any virtual time: what falls due meanwhile happens then.
        sleep: (ms: number) => this.agenda.pass(ms / 1000),
        onRetry: ({ attempt, delayMs, errorType }) => {
          const failed = sim.calls.findLast((c) => c.error);
          timeline.add(
            'api.retry',
            {
              operation: failed?.operation ?? 'call',
              error: failed?.error?.name ?? errorType,
              attempt: attempt + 1,
              delaySeconds: delayMs / 1000,
            },
            execution,
          );
        },
      },
    });
    const deps = createReleaseDeps({
      clients,
      events: fanOut(
        timeline.sink(execution),
        {
          emit: (event) => {
            if (event.type === 'release.planned') this.#releaseIds.set(execution, event.releaseId);
          },
        },
        createEventBridgeEventSink(clients.eventBridge, EVENT_BUS, (undelivered) =>
          timeline.add('event.undelivered', { ...undelivered }, execution),
        ),
      ),
      clock,
      tableName: REHEARSAL_TABLE,
      profiles: this.#profiles,
      webhook: rehearsalWebhooks(this.#world, clock, this.agenda),
    });
    this.#deps.set(execution, deps);
    return deps;
  }

  /**
   * Settles when every execution has ended, every task still running after a stop has returned, and
   * the agenda is empty (a person's later actions, the guard's deliveries and retries), whatever each
   * of those started meanwhile. Only then is the world final. The agenda is drained only once no task
   * runs: a running task fires it itself, in its own time.
   */
  async settle(): Promise<void> {
    for (;;) {
      await Promise.all(this.executions.map((e) => this.#settled(e)));
      if (this.agenda.pending === 0) return;
      await this.agenda.drain();
    }
  }

  /** Settles when this execution has ended and none of its tasks runs any more. */
  async #settled(execution: Execution): Promise<void> {
    await execution.ended;
    while (execution.running.size > 0) await Promise.all([...execution.running]);
  }

  /** The next execution's name: "rehearsal", then "rehearsal-2", "rehearsal-3", ... */
  #nextName(): string {
    const n = this.executions.length + 1;
    return n === 1 ? 'rehearsal' : `rehearsal-${n}`;
  }

  /** Starts an execution of the state machine with this input, as StartExecution would. */
  start(input: unknown): Execution {
    const name = this.#nextName();
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
    };
    this.executions.push(execution);
    this.sim.executions.set(arn, 'RUNNING');
    const retries = new RetryClock(
      (state) => this.#definition.States[state]?.Retry,
      this.clock,
      this.#random,
    );
    const run = this.#machine.run(input as Parameters<StateMachine['run']>[0], {
      overrides: {
        taskResourceLocalHandlers: this.#handlers(execution, retries) as NonNullable<
          RunOptions['overrides']
        >['taskResourceLocalHandlers'],
        // The interpreter retries at once; RetryClock has already moved virtual time by AWS's pause.
        retryIntervalOverrides: this.#retryOverrides,
      },
      context: {
        Execution: { Id: arn, Name: name, Input: input as Parameters<StateMachine['run']>[0] },
        Task: { Token: TASK_TOKEN },
      },
    });
    execution.abort = run.abort;
    execution.watched = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') execution.stateTransitions++;
      }
    })();
    execution.ended = run.result.then(
      () => this.#ended(execution),
      (error: unknown) => this.#ended(execution, error),
    );
    return execution;
  }

  /** Records how an execution ended; one that did not succeed goes to the guard. */
  #ended(execution: Execution, error?: unknown): void {
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
      this.#sendToGuard(execution);
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
    this.#sendToGuard(execution);
  }

  /** A Lambda function for each Task state of this execution, as the Lambda integration calls it. */
  #handlers(execution: Execution, retries: RetryClock): Record<string, LocalHandler> {
    const out: Record<string, LocalHandler> = {};
    const deps = this.#depsFor(execution.name);
    for (const [stateName, fn] of taskFunctions(this.#definition)) {
      const handler = handlerFactories[fn](deps) as (event: never) => Promise<unknown>;
      const state = this.#definition.States[stateName];
      const invoke = (params: InvokeParameters) => this.#invoke(execution, stateName, fn, handler, params);
      const run: LocalHandler = state?.Resource?.endsWith('.waitForTaskToken')
        ? async (input) => {
            const params = input as InvokeParameters & {
              Payload: { taskToken?: string; release?: { bakeSeconds?: number } };
            };
            // Step Functions gives each task its own token; the interpreter has one per execution.
            // A token of its own lets a late callback miss, as on AWS (TaskTimedOut).
            const token = `${execution.name}:task:${++this.#tokens}`;
            const wait: Wait = { end: Number.POSITIVE_INFINITY };
            this.#waits.set(token, wait);
            try {
              await invoke({ ...params, Payload: { ...params.Payload, taskToken: token } });
              wait.end = this.clock.seconds + (params.Payload.release?.bakeSeconds ?? 0);
              // The clock moves to the end of the bake in steps: whatever is due meanwhile happens at its
              // own time, and a callback (an alarm, an operator) ends the wait there.
              await this.agenda.fireUntil(
                () => wait.end,
                () => execution.stopped || wait.answer !== undefined,
              );
            } finally {
              this.#waits.delete(token);
            }
            if (execution.stopped) return never();
            const answer = wait.answer;
            if (answer === undefined) {
              this.clock.advanceTo(wait.end);
              const timeout = new Error('The task did not call back before its timeout');
              timeout.name = 'States.Timeout';
              throw timeout;
            }
            this.timeline.add(
              'bake.ended',
              'error' in answer
                ? { by: 'SendTaskFailure', error: answer.error, secondsLeft: wait.end - this.clock.seconds }
                : { by: 'SendTaskSuccess', secondsLeft: wait.end - this.clock.seconds },
              execution.name,
            );
            if ('error' in answer) {
              const failure = new Error(answer.cause);
              failure.name = answer.error;
              throw failure;
            }
            return JSON.parse(answer.output) as unknown;
          }
        : async (input) => lambdaInvokeResult(await invoke(this.#virtualStart(execution, input)));
      out[stateName] = this.payloads.limit(stateName, async (input) => {
        // What was due before this task started happens first: a person's action, the guard.
        await this.agenda.fireDue();
        if (execution.stopped) return never();
        const attempt = this.#attempt(execution, stateName, retries, () => run(input));
        execution.running.add(attempt);
        const settled = await attempt.finally(() => execution.running.delete(attempt));
        // Stopped meanwhile: the task ran on to its end, and its result goes nowhere.
        if (execution.stopped) {
          const error = 'error' in settled ? settled.error : undefined;
          if (!(error instanceof ExecutionStoppedAnswer)) {
            const ended = error === undefined ? 'returned' : (error as Error).name;
            this.timeline.add('task.after-stop', { state: stateName, ended }, execution.name);
          }
          return never();
        }
        if ('error' in settled) throw settled.error;
        return settled.result;
      });
    }
    return out;
  }

  /**
   * One invocation of a task, settled with its result or its error. A failure Step Functions retries
   * is followed by the retry's pause, passed here in virtual time (the interpreter retries at once),
   * so whatever falls due during the pause happens at its own time.
   */
  async #attempt(
    execution: Execution,
    stateName: string,
    retries: RetryClock,
    run: () => Promise<unknown>,
  ): Promise<{ result: unknown } | { error: unknown }> {
    try {
      const result = await run();
      retries.succeeded(stateName);
      return { result };
    } catch (error) {
      const name = (error as Error).name;
      const retry = execution.stopped ? undefined : retries.decide(stateName, name);
      if (retry) {
        this.timeline.add('state.retried', { state: stateName, error: name, ...retry }, execution.name);
        await this.agenda.pass(retry.delaySeconds);
      }
      return { error };
    }
  }

  /**
   * The interpreter stamps $$.Execution.StartTime with the wall clock, whatever the context says; Step
   * Functions stamps the execution's start. A payload that carries it gets the virtual start instead.
   */
  #virtualStart(execution: Execution, input: unknown): InvokeParameters {
    const params = input as InvokeParameters & { Payload?: { execution?: { StartTime?: string } } };
    const context = params.Payload?.execution;
    if (context?.StartTime === undefined) return params;
    return {
      ...params,
      Payload: {
        ...params.Payload,
        execution: { ...context, StartTime: this.clock.dateAt(execution.startedAt).toISOString() },
      },
    } as InvokeParameters;
  }

  /**
   * One Lambda invocation of a task's function, with the scenario's Lambda faults: "before" fails it
   * before the handler runs; "after" lets the handler run (its AWS calls happen) and then fails it, so
   * its result is lost. A timeout costs the function's timeout in virtual time, counted from the
   * invocation's start. A handler that throws on its own keeps its own error.
   */
  async #invoke(
    execution: Execution,
    stateName: string,
    fn: string,
    handler: (event: never) => Promise<unknown>,
    params: InvokeParameters,
  ): Promise<unknown> {
    const invocation = (this.#invocations.get(stateName) ?? 0) + 1;
    this.#invocations.set(stateName, invocation);
    const startedAt = this.clock.seconds;
    const fault = this.#lambdaFault(stateName, invocation, startedAt);
    if (fault === undefined) return invokeLikeLambda(handler, params);
    const timeoutSeconds = functionTimeout(fn, this.#world.functionTimeouts);
    const fail = async () => {
      if (fault.fault === 'timeout') await this.agenda.passTo(startedAt + timeoutSeconds);
      const requestId = `00000000-0000-4000-a000-${(++this.#lambdaRequests).toString(16).padStart(12, '0')}`;
      const failure = invocationFailure(fault.fault, requestId, timeoutSeconds);
      this.timeline.add(
        'lambda.failed',
        {
          state: stateName,
          function: fn,
          invocation,
          fault: fault.fault,
          when: fault.when,
          error: failure.name,
          ...(fault.fault === 'timeout' ? { timeoutSeconds } : {}),
        },
        execution.name,
      );
      return failure;
    };
    if (fault.when === 'before') throw await fail();
    // The handler runs and its AWS calls happen; its result never reaches the task.
    await invokeLikeLambda(handler, params);
    throw await fail();
  }

  #lambdaFault(stateName: string, invocation: number, at: number): LambdaFault | undefined {
    return this.#world.faults.find((f): f is LambdaFault => {
      if (!('state' in f) || f.state !== stateName) return false;
      if (f.call !== undefined) return invocation >= f.call && invocation < f.call + (f.count ?? 1);
      return f.from !== undefined && at >= f.from && (f.until === undefined || at < f.until);
    });
  }

  async #operate(action: OperatorAction): Promise<void> {
    switch (action.action) {
      case 'stop-execution':
        return this.#stop(this.executions[0] as Execution);
      case 'edit-route':
        return this.#editRoute(action);
      case 'start-release':
        return this.#startRelease(action);
      case 'abort':
      case 'promote':
      case 'pause':
      case 'resume':
      case 'approve':
      case 'reject':
        return this.#command(action);
    }
  }

  /** `stepshift abort|promote|pause|resume <releaseId>`, run as the CLI runs it. */
  async #command(action: CommandAction): Promise<void> {
    const first = this.executions[0];
    const releaseId = action.releaseId ?? (first && this.#releaseIds.get(first.name));
    if (releaseId === undefined) {
      this.timeline.add(`operator.${action.action}`, {
        ignored: 'no release has started yet, so there is no release id to name',
      });
      return;
    }
    try {
      const outcome = await operate(
        action.action,
        releaseId,
        {
          by: 'operator',
          ...(action.full === undefined ? {} : { full: action.full }),
          ...(action.reason === undefined ? {} : { reason: action.reason }),
        },
        this.#depsFor('operator'),
      );
      this.timeline.add(`operator.${action.action}`, { releaseId, ...outcome });
    } catch (error) {
      // The CLI exits 2 with the error; the person would try again. The release goes on meanwhile.
      this.timeline.add(`operator.${action.action}`, {
        releaseId,
        status: 'failed',
        message: `the command failed with ${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }

  /**
   * StopExecution: the execution ends ABORTED at once. No Catch runs and the task it was waiting on
   * never answers, as on AWS; EventBridge then tells the guard.
   */
  #stop(execution: Execution): void {
    if (execution.status !== 'RUNNING') {
      this.timeline.add('operator.stop-execution', {
        execution: execution.name,
        ignored: `${execution.name} already ended ${execution.status}`,
      });
      return;
    }
    execution.stopped = true;
    execution.stoppedAt = this.clock.seconds;
    execution.status = 'ABORTED';
    this.sim.executions.set(execution.arn, 'ABORTED');
    this.timeline.add('operator.stop-execution', { execution: execution.name });
    execution.abort();
    this.timeline.add('execution.aborted', {}, execution.name);
    this.#sendToGuard(execution);
  }

  /** A person's UpdateRoute from the console or the CLI: the whole spec replaced, the version up. */
  #editRoute(action: EditRouteAction): void {
    const key = action.route ?? this.#world.appmesh.routes[0];
    if (key === undefined) throw new Error('edit-route: the world declares no route to edit');
    const route = this.sim.editRoute(
      {
        meshName: key.meshName,
        virtualRouterName: key.virtualRouterName,
        routeName: key.routeName,
        meshOwner: key.meshOwner,
      },
      action.spec,
    );
    this.timeline.add('operator.edit-route', {
      route: `${route.meshName}/${route.virtualRouterName}/${route.routeName}`,
      version: route.version,
      weights: weightsInSpec(route.spec),
    });
  }

  /**
   * A second execution of the same state machine, sharing the world, the clock and the table. It runs
   * to its end right here, while whatever was running waits; then that goes on.
   */
  async #startRelease(action: StartReleaseAction): Promise<void> {
    this.timeline.add('operator.start-release', { execution: this.#nextName(), request: action.request });
    await this.#settled(this.start(action.request));
  }

  /** EventBridge delivers the execution's status change to the guard, a second after it ended. */
  #sendToGuard(execution: Execution): void {
    const stoppedAt = this.clock.seconds;
    const event = statusChangeEvent({
      executionArn: execution.arn,
      name: execution.name,
      status: execution.status as Exclude<ExecutionStatus, 'RUNNING'>,
      input: execution.input,
      startDate: this.clock.dateAt(execution.startedAt),
      stopDate: this.clock.dateAt(stoppedAt),
      sequence: ++this.#statusEvents,
      account: SIMULATED_ACCOUNT,
      region: SIMULATED_REGION,
    });
    this.agenda.at(stoppedAt + GUARD_DELIVERY_SECONDS, () =>
      this.guard.start(execution.name, execution.arn, event),
    );
  }

  /** The routes (lock keys) this execution holds now, read from the table directly. */
  async #locksHeldBy(executionArn: string): Promise<string[]> {
    const suffix = ` by ${executionArn}`;
    return (await this.sim.heldLocks())
      .filter((lock) => lock.endsWith(suffix))
      .map((lock) => lock.slice(0, -suffix.length));
  }

  /** The guard function acting for this execution, with the function timeouts this rehearsal runs. */
  #guardFor(execution: string): (event: never) => Promise<unknown> {
    let guard = this.#guards.get(execution);
    if (guard === undefined) {
      const timeouts = Object.fromEntries(
        Object.keys(FUNCTION_TIMEOUT_SECONDS).map((fn) => [
          fn,
          functionTimeout(fn, this.#world.functionTimeouts),
        ]),
      ) as typeof FUNCTION_TIMEOUT_SECONDS;
      guard = makeGuardHandler(this.#depsFor(execution), timeouts) as (event: never) => Promise<unknown>;
      this.#guards.set(execution, guard);
    }
    return guard;
  }

  /**
   * Lambda's answer to a failed asynchronous invocation (the guard's, the alarm function's): on the
   * timeline, and invoked again after its retry delay while retries are left.
   */
  #failedAsync(
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
