import type { Definition } from './definition.ts';

/**
 * The Context object ($$) of one execution, as Step Functions fills it (Step Functions developer guide,
 * "Accessing execution data from the Context object"): $$.Execution (Id, Input, Name, RoleArn,
 * StartTime, RedriveCount; RedriveTime only once an execution was redriven, which a rehearsal never
 * does), $$.StateMachine (Id, Name), $$.State (EnteredTime, Name, RetryCount) of the state being run,
 * and $$.Task.Token in a task that waits for a callback (.waitForTaskToken), nowhere else.
 */
export interface ContextObject {
  readonly Execution: {
    readonly Id: string;
    readonly Input: unknown;
    readonly Name: string;
    readonly RoleArn: string;
    readonly StartTime: string;
    readonly RedriveCount: number;
  };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  readonly State: { readonly EnteredTime: string; readonly Name: string; readonly RetryCount: number };
  readonly Task: { readonly Token?: string };
}

/** Where an execution runs: its state machine's ARN and role, its own ARN, name and input. */
export interface ExecutionIdentity {
  readonly stateMachineArn: string;
  readonly roleArn: string;
  readonly executionArn: string;
  readonly name: string;
  readonly input: unknown;
  readonly startTime: Date;
}

/**
 * One execution's Context object, kept current as the execution moves: `enter` as a state is entered,
 * `retried` as Step Functions retries it. The interpreter copies the object's top level once, at the
 * start; what it reads below that is these live nodes.
 */
export class ExecutionContext {
  readonly object: ContextObject;
  readonly #state = { EnteredTime: '', Name: '', RetryCount: 0 };
  readonly #task: { Token?: string } = {};
  readonly #callbacks: ReadonlySet<string>;
  readonly #token: (state: string) => string;

  /**
   * @param callbackStates the task states that wait for a callback, which alone have a task token.
   * @param tokenFor the token Step Functions gives a callback task entered now.
   */
  constructor(
    identity: ExecutionIdentity,
    callbackStates: ReadonlySet<string>,
    tokenFor: (state: string) => string,
  ) {
    this.#callbacks = callbackStates;
    this.#token = tokenFor;
    const name = identity.stateMachineArn.split(':').pop() ?? '';
    this.object = {
      Execution: {
        Id: identity.executionArn,
        Input: identity.input,
        Name: identity.name,
        RoleArn: identity.roleArn,
        StartTime: identity.startTime.toISOString(),
        RedriveCount: 0,
      },
      StateMachine: { Id: identity.stateMachineArn, Name: name },
      State: this.#state,
      Task: this.#task,
    };
  }

  /** A state is entered at this time: $$.State names it, its retries start at 0, a callback task gets its token. */
  enter(state: string, at: Date): void {
    this.#state.Name = state;
    this.#state.EnteredTime = at.toISOString();
    this.#state.RetryCount = 0;
    if (this.#callbacks.has(state)) this.#task.Token = this.#token(state);
    else delete this.#task.Token;
  }

  /** Step Functions retries the state: $$.State.RetryCount counts the retries so far; a callback task gets a new token. */
  retried(): void {
    this.#state.RetryCount += 1;
    if (this.#callbacks.has(this.#state.Name)) this.#task.Token = this.#token(this.#state.Name);
  }

  /** The token of the callback task being run; a new one when the task has none. */
  taskToken(): string {
    this.#task.Token ??= this.#token(this.#state.Name);
    return this.#task.Token;
  }
}

/**
 * The definition as one execution's interpreter reads it: each time the interpreter takes up a state to
 * run it (it reads the state's definition right before it evaluates the state's paths and Parameters),
 * `entered` hears of it.
 */
export function watchedDefinition(definition: Definition, entered: (state: string) => void): Definition {
  const states = new Proxy(definition.States, {
    get(target, property, receiver) {
      if (typeof property === 'string' && Object.hasOwn(target, property)) entered(property);
      return Reflect.get(target, property, receiver);
    },
  });
  return { ...definition, States: states };
}
