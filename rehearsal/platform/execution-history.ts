import type { StateMachine } from 'aws-local-stepfunctions';
import type { Json } from '#routers/sim/service.ts';

/** What the interpreter tells of a run as it goes (its eventLogs; the package does not export the type). */
type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * What the interpreter tells of an execution, as Step Functions' GetExecutionHistory records it: the
 * start with its input, each state entered with its input and exited with its output (the event types
 * are the state's type and the moment, "TaskStateEntered"). Retries, catches and failures of states are
 * left out; the end is recorded from how the rehearsal saw the execution end (historyEnding).
 */
export function historyEventOf(event: EventLog): Json | undefined {
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: JSON.stringify(event.input) },
      };
    case 'StateEntered':
      return {
        type: `${event.state.type}StateEntered`,
        stateEnteredEventDetails: { name: event.state.name, input: JSON.stringify(event.state.input) },
      };
    case 'StateExited':
      return {
        type: `${event.state.type}StateExited`,
        stateExitedEventDetails: {
          name: event.state.name,
          output: JSON.stringify(event.state.output ?? null),
        },
      };
    default:
      return undefined;
  }
}

/** The history's last event, for an execution that ended with this status (and, failed, this error). */
export function historyEnding(status: string, error?: { name: string; message: string }): Json {
  switch (status) {
    case 'SUCCEEDED':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: {} };
    case 'ABORTED':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'TIMED_OUT':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: {} };
    default:
      return {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: error?.name ?? 'States.Runtime', cause: error?.message ?? '' },
      };
  }
}
