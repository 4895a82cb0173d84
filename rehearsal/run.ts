import './polyfills.ts';
import { performance } from 'node:perf_hooks';
import {
  ExecutionError,
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
import { type Outcome, outcomeOf } from '#core/outcome.ts';
import { handlerFactories } from '#functions/index.ts';
import { VirtualClock } from './clock.ts';
import { type Definition, loadDefinition, taskFunctions } from './definition.ts';
import { type InvokeParameters, invokeLikeLambda, lambdaInvokeResult } from './lambda-emulation.ts';
import { RetryClock } from './retry-clock.ts';
import type { Scenario } from './scenario.ts';
import { type BusEvent, type CallRecord, REHEARSAL_TABLE, SimulatedAws } from './sim/simulated-aws.ts';
import { Timeline, type TimelineEntry } from './timeline.ts';

export interface RehearsalReport {
  readonly name: string;
  readonly outcome: Outcome;
  readonly error?: { readonly name: string; readonly message: string };
  /** Present when the scenario states what it expects; the CLI's exit code follows it. */
  readonly expectation?: { readonly outcome: Outcome; readonly error?: string; readonly met: boolean };
  /** Virtual seconds from start to end. */
  readonly durationSeconds: number;
  readonly wallMilliseconds: number;
  /** States entered, counted as the execution ran (Step Functions bills each one). */
  readonly stateTransitions: number;
  readonly plan?: {
    readonly steps: readonly number[];
    readonly stateTransitions: number;
    readonly historyEvents: number;
    readonly priceUsd: number;
  };
  readonly finalRoutes: ReturnType<SimulatedAws['finalRoutes']>;
  readonly timeline: readonly TimelineEntry[];
  /** The lifecycle events the release put on its EventBridge bus, as a team's rules would see them. */
  readonly events: readonly BusEvent[];
  /** Route locks still held when the rehearsal ended ("<route ARN> by <execution ARN>"); none when every release let go. */
  readonly heldLocks: readonly string[];
  readonly calls: readonly CallRecord[];
}

export interface RehearseOptions {
  /** Called as each timeline entry happens, for a live printout. */
  readonly onEntry?: (entry: TimelineEntry) => void;
}

const ACCOUNT = '123456789012';
const TASK_TOKEN = 'rehearsal-task-token';
/** The bus the functions are told to use, as STEPSHIFT_EVENT_BUS_NAME tells them on AWS. */
const EVENT_BUS = 'stepshift';

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

function routeWeights(sim: SimulatedAws, profile: unknown): () => Record<string, number> {
  const router = (profile as { router?: Record<string, unknown> } | null)?.router;
  return () => {
    const route = sim
      .finalRoutes()
      .find(
        (r) =>
          r.meshName === router?.meshName &&
          r.virtualRouterName === router?.virtualRouterName &&
          r.routeName === router?.routeName,
      );
    const spec = (route?.spec ?? {}) as Record<
      string,
      { action?: { weightedTargets?: { virtualNode: string; weight: number }[] } }
    >;
    const kind = Object.values(spec).find((k) => k?.action?.weightedTargets);
    return Object.fromEntries((kind?.action?.weightedTargets ?? []).map((t) => [t.virtualNode, t.weight]));
  };
}

/** How people read a Lambda error's cause: "Type: message". */
function readableCause(cause: string): string {
  const { type, message } = causeOf(cause);
  return type ? `${type}: ${message}` : message;
}

/**
 * Runs statemachines/release.asl.json with aws-local-stepfunctions, each Task state served by the
 * real function handler, whose real adapters talk to a simulated AWS through the SDK clients' transport.
 *
 * Callback timeouts belong to the rehearsal: the Bake task's handler runs, then the rehearsal moves
 * the virtual clock by the state's TimeoutSecondsPath value and answers States.Timeout, which is what
 * Step Functions does when no callback arrives before the timeout.
 */
export async function rehearse(scenario: Scenario, options: RehearseOptions = {}): Promise<RehearsalReport> {
  const wallStart = performance.now();
  const clock = new VirtualClock();
  const sim = new SimulatedAws(scenario.world, clock);
  const timeline = new Timeline(clock, routeWeights(sim, scenario.profile), options.onEntry);
  const random = seededRandom(scenario.seed ?? 1);
  const clients = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'REHEARSAL', secretAccessKey: 'REHEARSAL' },
    requestHandler: sim.requestHandler,
    retry: {
      random,
      sleep: async (ms: number) => clock.advance(ms / 1000),
      onRetry: ({ attempt, delayMs, errorType }) => {
        const failed = [...sim.calls].reverse().find((c) => c.error);
        timeline.add('api.retry', {
          operation: failed?.operation ?? 'call',
          error: failed?.error?.name ?? errorType,
          attempt: attempt + 1,
          delaySeconds: delayMs / 1000,
        });
      },
    },
  });
  const deps = createReleaseDeps({
    clients,
    events: fanOut(
      timeline.sink(),
      createEventBridgeEventSink(clients.eventBridge, EVENT_BUS, (undelivered) =>
        timeline.add('event.undelivered', { ...undelivered }),
      ),
    ),
    clock,
    tableName: REHEARSAL_TABLE,
    profiles: createStaticProfileSource(scenario.profile === undefined ? [] : [scenario.profile]),
  });

  const definition = loadDefinition();
  const retries = new RetryClock((name) => definition.States[name]?.Retry, clock, random);
  const handlers = localHandlers(definition, deps, clock, retries, timeline);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  const executionName = 'rehearsal';
  const executionArn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:stepshift-release:${executionName}`;
  sim.executions.set(executionArn, 'RUNNING');
  const execution = machine.run((scenario.request ?? null) as Parameters<StateMachine['run']>[0], {
    overrides: {
      taskResourceLocalHandlers: handlers as NonNullable<
        RunOptions['overrides']
      >['taskResourceLocalHandlers'],
      // The interpreter retries at once; RetryClock has already moved virtual time by AWS's pause.
      retryIntervalOverrides: Object.fromEntries(
        Object.entries(definition.States)
          .filter(([, s]) => s.Retry)
          .map(([name]) => [name, 0]),
      ),
    },
    context: {
      Execution: {
        Id: executionArn,
        Name: executionName,
        Input: (scenario.request ?? null) as Parameters<StateMachine['run']>[0],
      },
      Task: { Token: TASK_TOKEN },
    },
  });

  let stateTransitions = 0;
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') stateTransitions++;
    }
  })();

  let error: { name: string; message: string } | undefined;
  try {
    await execution.result;
    sim.executions.set(executionArn, 'SUCCEEDED');
    timeline.add('execution.succeeded');
  } catch (e) {
    const cause = e instanceof ExecutionError && e.cause instanceof Error ? e.cause : (e as Error);
    error = { name: cause.name, message: readableCause(cause.message) };
    sim.executions.set(executionArn, 'FAILED');
    timeline.add('execution.failed', { error: error.name, cause: error.message });
  }
  await watching;

  const outcome = outcomeOf(error?.name);
  const planned = timeline.entries.find((e) => e.event === 'release.planned')?.detail;
  return {
    name: scenario.name,
    outcome,
    ...(error ? { error } : {}),
    ...(scenario.expect
      ? {
          expectation: {
            ...scenario.expect,
            met:
              scenario.expect.outcome === outcome &&
              (scenario.expect.error === undefined || scenario.expect.error === error?.name),
          },
        }
      : {}),
    durationSeconds: clock.seconds,
    wallMilliseconds: Math.round((performance.now() - wallStart) * 10) / 10,
    stateTransitions,
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
    timeline: timeline.entries,
    events: sim.busEvents,
    heldLocks: await sim.heldLocks(),
    calls: sim.calls,
  };
}

type LocalHandler = (input: unknown) => Promise<unknown>;

function localHandlers(
  definition: Definition,
  deps: ReturnType<typeof createReleaseDeps>,
  clock: VirtualClock,
  retries: RetryClock,
  timeline: Timeline,
): Record<string, LocalHandler> {
  const out: Record<string, LocalHandler> = {};
  for (const [stateName, fn] of taskFunctions(definition)) {
    const handler = handlerFactories[fn](deps) as (event: never) => Promise<unknown>;
    const state = definition.States[stateName];
    const run: LocalHandler = state?.Resource?.endsWith('.waitForTaskToken')
      ? async (input) => {
          const params = input as InvokeParameters & { Payload: { release?: { bakeSeconds?: number } } };
          await invokeLikeLambda(handler, params);
          // No callback arrives in this rehearsal, so the task times out when the bake is over.
          clock.advance(params.Payload.release?.bakeSeconds ?? 0);
          const timeout = new Error('The task did not call back before its timeout');
          timeout.name = 'States.Timeout';
          throw timeout;
        }
      : async (input) => lambdaInvokeResult(await invokeLikeLambda(handler, input as InvokeParameters));
    out[stateName] = async (input) => {
      try {
        const result = await run(input);
        retries.succeeded(stateName);
        return result;
      } catch (error) {
        const name = (error as Error).name;
        const retry = retries.failed(stateName, name);
        if (retry) timeline.add('state.retried', { state: stateName, error: name, ...retry });
        throw error;
      }
    };
  }
  return out;
}
