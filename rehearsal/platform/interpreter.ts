import { causeOf } from '#core/errors.ts';
import type { TaskResponse } from '../transport.ts';
import type { ExecutionContext } from './context-object.ts';
import { type Definition, loadDefinition } from './definition.ts';
import type { ExecutionStatus } from './status-change.ts';

export const STATE_MACHINE = 'stepshift-release';
/** The bus the functions are told to use, as STEPSHIFT_EVENT_BUS_NAME tells them on AWS. */
export const EVENT_BUS = 'stepshift';
/**
 * Virtual seconds from an execution's end to the guard's invocation. EventBridge delivers AWS
 * service events "on a best-effort basis", usually within seconds; the rehearsal takes one.
 */
export const GUARD_DELIVERY_SECONDS = 1;
/**
 * Lambda's retries of an asynchronous invocation whose function fails (the alarm function's): two, the
 * first about a minute after the failure, the second about two minutes after that (Lambda developer
 * guide, "Error handling and automatic retries in Lambda" / asynchronous invocation). After the last,
 * the event goes to the function's on-failure destination or dead-letter queue, if it has one.
 */
export const ASYNC_RETRY_DELAYS_SECONDS = [60, 120] as const;

/**
 * The definition and its interpreter, read and built once per process: every rehearsal runs the same
 * file, and StateMachine.run starts an independent execution each time.
 */
let built:
  | { definition: Definition; callbackStates: ReadonlySet<string>; retryOverrides: Record<string, number> }
  | undefined;
export function interpreter() {
  if (!built) {
    const definition = loadDefinition();
    built = {
      definition,
      callbackStates: new Set(
        Object.entries(definition.States)
          .filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'))
          .map(([state]) => state),
      ),
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
export function readableCause(cause: string): string {
  const { type, message } = causeOf(cause);
  return type ? `${type}: ${message}` : message;
}

/**
 * What a task of a stopped execution answers the interpreter. On AWS nothing reads it; here the
 * execution's result has already settled as aborted, so the interpreter's own run is only wound down:
 * States.Runtime is the one error no Catch or Retry (States.ALL) matches, so no further state runs. A
 * promise that never settled would hold the interpreter's task timer (60 seconds of real time) instead.
 */
export class ExecutionStoppedAnswer extends Error {
  constructor() {
    super('the execution was stopped');
    this.name = 'States.Runtime';
  }
}
export function never(): Promise<never> {
  return Promise.reject(new ExecutionStoppedAnswer());
}

/** A bake waiting for its timeout or a callback. */
export interface Wait {
  /** Virtual seconds when it times out. */
  end: number;
  answer?: TaskResponse;
}

/** One execution of the state machine in a rehearsal. */
export interface Execution {
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
  /** Its Context object ($$), kept current as it moves from state to state. */
  context: ExecutionContext;
}
