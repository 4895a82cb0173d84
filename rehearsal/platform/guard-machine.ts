import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { causeOf } from '#core/errors.ts';
import type { GuardOutcome } from '#core/release/guard.ts';
import type { Timeline } from '../report/timeline.ts';
import type { Agenda } from '../script/agenda.ts';
import type { VirtualClock } from '../script/clock.ts';
import { type Definition, loadGuardDefinition } from './definition.ts';
import { invokeLikeLambda, lambdaInvokeResult } from './lambda.ts';
import { RetryClock } from './retry-clock.ts';
import type { ExecutionStatusChangeEvent } from './status-change.ts';

/** One invocation of the guard function, as its state machine made it. */
export interface GuardRun {
  /** Virtual seconds when it was invoked. */
  readonly at: number;
  /** The execution whose status change it was given. */
  readonly execution: string;
  readonly status: string;
  /** "take" (the route taken over and put back) or "let-go" (after the wait: looked at again, freed). */
  readonly step: 'take' | 'let-go';
  /** 1, then 2 and 3 for the state machine's retries of a failed step. */
  readonly attempt: number;
  readonly outcome?: GuardOutcome;
  /** Route locks of the execution the guard let go of (lock keys: route ARNs). */
  readonly freedLocks?: readonly string[];
  readonly error?: { readonly name: string; readonly message: string };
}

/** One run of the guard's state machine, for one ended execution. */
export interface GuardExecution {
  readonly execution: string;
  /** Virtual seconds when EventBridge started it. */
  readonly startedAt: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** What it sent to the dead-letter queue when it gave up. */
  deadLetter?: unknown;
}

/** What the guard's runs need from the rehearsal around them. */
export interface GuardWorld {
  readonly clock: VirtualClock;
  readonly agenda: Agenda;
  readonly timeline: Timeline;
  readonly random: () => number;
  /** The guard function acting for this execution (its events name it). */
  guardFor(execution: string): (event: never) => Promise<unknown>;
  /** The route locks this execution holds now (lock keys), read from the table. */
  locksHeldBy(executionArn: string): Promise<string[]>;
}

const STEPS: Record<string, 'take' | 'let-go'> = {
  'Take the route over': 'take',
  'Look again and let go': 'let-go',
};

/** The definition and its interpreter, built once per process (each run is independent). */
let built: { definition: Definition; machine: StateMachine; overrides: NonNullable<RunOptions['overrides']> };
function interpreter() {
  if (!built) {
    const definition = loadGuardDefinition();
    const states = Object.entries(definition.States);
    built = {
      definition,
      machine: new StateMachine(definition as unknown as StateMachineDefinition, {
        validationOptions: { noValidate: true },
      }),
      overrides: {
        // Step Functions' pauses pass in virtual time, parked on the agenda (below): none in real time.
        retryIntervalOverrides: Object.fromEntries(states.filter(([, s]) => s.Retry).map(([n]) => [n, 0])),
        waitTimeOverrides: Object.fromEntries(
          states.filter(([, s]) => s.Type === 'Wait').map(([n]) => [n, 0]),
        ),
      },
    };
  }
  return built;
}

/** A JSONPath of plain fields ("$.hold.waitSeconds"), read from a value. */
function atPath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/**
 * Hand-offs between one guard run and whoever fires the agenda. The run starts from an agenda item and
 * holds it until it parks (in a Wait, or a retry's pause) or ends; a park puts an item on the agenda at
 * the time to wake, and that item holds the agenda again until the next park or the end. So a guard
 * run's pauses cost no real time, and whatever else is due meanwhile (a stopped task running on, a
 * person's action) happens at its own time.
 */
class Parking {
  #yielded: (() => void) | undefined;

  begin(run: () => void): Promise<void> {
    return new Promise((yielded) => {
      this.#yielded = yielded;
      run();
    });
  }

  park(agenda: Agenda, at: number): Promise<void> {
    return new Promise((wake) => {
      agenda.at(
        at,
        () =>
          new Promise<void>((yielded) => {
            this.#yielded = yielded;
            wake();
          }),
      );
      this.end();
    });
  }

  end(): void {
    const yielded = this.#yielded;
    this.#yielded = undefined;
    yielded?.();
  }
}

/**
 * The guard's state machine (statemachines/guard.asl.json), rehearsed by the same interpreter as the
 * release: EventBridge starts it on an ended execution's status change; its Task states are served by
 * the real guard function; its Wait and Step Functions' retry pauses pass in virtual time; its
 * dead-letter queue is recorded.
 */
export class GuardMachine {
  /** Every invocation of the guard function, in order. */
  readonly runs: GuardRun[] = [];
  /** Every run of the guard's state machine, in order. */
  readonly executions: GuardExecution[] = [];

  constructor(private readonly world: GuardWorld) {}

  /** Starts a run for this execution's status change; settles when the run first parks or ends. */
  start(execution: string, executionArn: string, event: ExecutionStatusChangeEvent): Promise<void> {
    const { definition, machine, overrides } = interpreter();
    const record: GuardExecution = { execution, startedAt: this.world.clock.seconds, status: 'RUNNING' };
    this.executions.push(record);
    const parking = new Parking();
    const retries = new RetryClock(
      (state) => definition.States[state]?.Retry,
      this.world.clock,
      this.world.random,
    );
    const attempts = new Map<string, number>();
    let resumeAt = 0;
    const wait = Object.values(definition.States).find((s) => s.Type === 'Wait');
    const task =
      (stateName: string, step: 'take' | 'let-go') =>
      async (input: { FunctionName: string; Payload: unknown }) => {
        if (resumeAt > this.world.clock.seconds) await parking.park(this.world.agenda, resumeAt);
        const attempt = (attempts.get(stateName) ?? 0) + 1;
        attempts.set(stateName, attempt);
        const at = this.world.clock.seconds;
        const run = { execution, status: event.detail.status, step, attempt };
        const held = await this.world.locksHeldBy(executionArn);
        try {
          const output = await invokeLikeLambda(this.world.guardFor(execution), input);
          retries.succeeded(stateName);
          const stillHeld = new Set(await this.world.locksHeldBy(executionArn));
          const freedLocks = held.filter((lock) => !stillHeld.has(lock));
          const outcome = (
            step === 'take' ? (output as { outcome: GuardOutcome }).outcome : output
          ) as GuardOutcome;
          this.runs.push({ at, ...run, outcome, ...(freedLocks.length ? { freedLocks } : {}) });
          // A step that found nothing to do is no part of the release's story (the report lists it).
          if (outcome.action !== 'none' || freedLocks.length) {
            this.world.timeline.add('guard.finished', {
              ...run,
              ...outcome,
              ...(freedLocks.length ? { freedLocks } : {}),
            });
          }
          const waitSeconds = wait?.SecondsPath ? atPath(output, wait.SecondsPath) : undefined;
          if (step === 'take' && typeof waitSeconds === 'number')
            resumeAt = this.world.clock.seconds + waitSeconds;
          return lambdaInvokeResult(output);
        } catch (error) {
          const e = error as Error;
          const { type, message } = causeOf(e.message);
          const failure = { name: e.name, message: type ? `${type}: ${message}` : message };
          this.runs.push({ at, ...run, error: failure });
          const retry = retries.decide(stateName, e.name);
          if (e.name !== 'FencedOut') {
            this.world.timeline.add('guard.failed', {
              ...run,
              error: failure.name,
              cause: failure.message,
              ...(retry ? { retryInSeconds: retry.delaySeconds } : { retriesLeft: 0 }),
            });
          }
          if (retry) resumeAt = this.world.clock.seconds + retry.delaySeconds;
          throw error;
        }
      };
    const handlers: Record<string, (input: never) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const step = STEPS[stateName];
      handlers[stateName] = step
        ? (task(stateName, step) as (input: never) => Promise<unknown>)
        : async (input: { MessageBody?: string }) => {
            record.deadLetter = JSON.parse(input.MessageBody ?? 'null');
            this.world.timeline.add('guard.dead-lettered', { execution, status: event.detail.status });
            return {};
          };
    }
    return parking.begin(() => {
      const run = machine.run(event as unknown as Parameters<StateMachine['run']>[0], {
        overrides: { ...overrides, taskResourceLocalHandlers: handlers as never },
      });
      run.result.then(
        () => {
          record.status = 'SUCCEEDED';
          parking.end();
        },
        () => {
          record.status = 'FAILED';
          parking.end();
        },
      );
    });
  }
}
