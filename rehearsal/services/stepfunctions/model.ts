import { type Json, ServiceError } from '#routers/sim/service.ts';

/** The operations the simulated Step Functions serves; a scenario's fault may target any of them. */
export const STEPFUNCTIONS_OPERATIONS = [
  'DescribeExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
  'ListExecutions',
  'GetExecutionHistory',
] as const;

/** One execution's record for ListExecutions and GetExecutionHistory: times in epoch seconds, as the JSON wire carries them. */
interface ExecutionRecord {
  readonly name: string;
  readonly startDate: number;
  stopDate?: number;
  readonly events: Json[];
}

/** A page of `items` from the position a token names; the token is the next position, as text. */
function page<T>(items: readonly T[], input: Json, limit: number): { items: T[]; nextToken?: string } {
  const from = Number(input.nextToken ?? 0) || 0;
  const size = Math.min(limit, Number(input.maxResults ?? 0) || limit);
  const next = from + size;
  return { items: items.slice(from, next), ...(next < items.length ? { nextToken: String(next) } : {}) };
}

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
  /** What ListExecutions and GetExecutionHistory answer from, by ARN, in the order executions started. */
  readonly records = new Map<string, ExecutionRecord>();

  /** Adds one history event (type and its details) to an execution, at `at` epoch seconds. */
  record(arn: string, name: string, at: number, event: Json): void {
    const record = this.records.get(arn) ?? { name, startDate: at, events: [] };
    this.records.set(arn, record);
    record.events.push({ id: record.events.length + 1, timestamp: at, ...event });
    if (/^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(String(event.type))) record.stopDate = at;
  }

  /** Newest first, 1,000 a page at most, as Step Functions lists them (API reference, ListExecutions). */
  listExecutions(input: Json): Json {
    const machine = String(input.stateMachineArn ?? '');
    const prefix = `${machine.replace(':stateMachine:', ':execution:')}:`;
    const executions = [...this.records.entries()]
      .filter(([arn]) => arn.startsWith(prefix))
      .map(([arn, r]) => ({
        executionArn: arn,
        stateMachineArn: machine,
        name: r.name,
        status: this.executions.get(arn) ?? 'RUNNING',
        startDate: r.startDate,
        ...(r.stopDate === undefined ? {} : { stopDate: r.stopDate }),
      }))
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .reverse();
    const { items, nextToken } = page(executions, input, 1000);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** Oldest first, 1,000 a page at most (API reference, GetExecutionHistory). */
  getExecutionHistory(input: Json): Json {
    const arn = String(input.executionArn ?? '');
    const record = this.records.get(arn);
    if (!record) throw new ServiceError('ExecutionDoesNotExist', 400, `Execution Does Not Exist: '${arn}'`);
    const { items, nextToken } = page(record.events, input, 1000);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

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
