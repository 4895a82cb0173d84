import { type Json, ServiceError } from '#routers/sim/service.ts';

/** The operations the simulated Step Functions serves; a scenario's fault may target any of them. */
export const STEPFUNCTIONS_OPERATIONS = ['DescribeExecution', 'SendTaskSuccess', 'SendTaskFailure'] as const;

/** What SendTaskSuccess or SendTaskFailure told a waiting task. */
export type TaskResponse = { readonly output: string } | { readonly error: string; readonly cause: string };

/**
 * Step Functions' API as the functions call it: DescribeExecution of the executions the rehearsal
 * runs, and the task-token callbacks a bake waits for.
 */
export class StepFunctionsModel {
  /** Executions the rehearsal runs, by ARN, with their status as DescribeExecution reports it. */
  readonly executions = new Map<string, 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT'>();
  /** The error and cause of each failed execution, as DescribeExecution reports them. */
  readonly executionFailures = new Map<string, { error: string; cause: string }>();
  /**
   * Where SendTaskSuccess and SendTaskFailure go: the rehearsal ends the bake waiting with that token
   * and answers true, or false when no task waits with it (Step Functions then answers TaskTimedOut).
   */
  taskResponder: (token: string, response: TaskResponse) => boolean = () => false;

  describeExecution(input: Json): Json {
    const arn = String(input.executionArn ?? '');
    const status = this.executions.get(arn);
    if (!status) throw new ServiceError('ExecutionDoesNotExist', 400, `Execution Does Not Exist: '${arn}'`);
    return {
      executionArn: arn,
      status,
      ...this.executionFailures.get(arn),
      stateMachineArn: arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
    };
  }

  respond(input: Json, response: TaskResponse): Json {
    const token = String(input.taskToken ?? '');
    if (!this.taskResponder(token, response)) {
      throw new ServiceError('TaskTimedOut', 400, `Task Timed Out: '${token}'`);
    }
    return {};
  }
}
