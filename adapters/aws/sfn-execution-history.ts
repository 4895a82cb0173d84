import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  paginateGetExecutionHistory,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { executionNameFor } from '#core/triggers/execution-name.ts';
import { awsErrorName } from './aws-errors.ts';
import { executionArnFor } from './release-executions.ts';

/** One event of an execution's history, as much of it as a report reads. */
export interface HistoryStep {
  readonly at: Date;
  /** Step Functions' event type: ExecutionStarted, TaskStateEntered, TaskStateExited, TaskFailed... */
  readonly type: string;
  /** The state's name, for a state's entering and exiting. */
  readonly state?: string;
  /** The JSON the event carries: the execution's or a state's input, a state's or task's output. */
  readonly data?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** A release's execution: how it stands, and its history, oldest event first. */
export interface ExecutionHistory {
  readonly executionArn: string;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE. */
  readonly status: string;
  readonly startedAt?: Date;
  readonly stoppedAt?: Date;
  readonly error?: string;
  readonly cause?: string;
  readonly events: readonly HistoryStep[];
}

/**
 * One history event as the release's readers (the report here, the views in sfn-release-observer.ts)
 * read it, from the details object its type carries its fields in (HistoryEvent's *EventDetails): a
 * state's entering carries its input, its exiting its output, and so the release state
 * (core/observed-release.ts).
 */
export function historyStepOf(event: HistoryEvent): HistoryStep {
  const entered = event.stateEnteredEventDetails;
  const exited = event.stateExitedEventDetails;
  const failed =
    event.taskFailedEventDetails ??
    event.executionFailedEventDetails ??
    event.executionTimedOutEventDetails ??
    event.executionAbortedEventDetails ??
    event.lambdaFunctionFailedEventDetails;
  const data =
    entered?.input ??
    exited?.output ??
    event.taskSucceededEventDetails?.output ??
    event.executionStartedEventDetails?.input ??
    event.executionSucceededEventDetails?.output;
  return {
    at: event.timestamp ?? new Date(0),
    type: event.type ?? 'Unknown',
    ...(entered?.name || exited?.name ? { state: entered?.name ?? exited?.name } : {}),
    ...(data !== undefined ? { data } : {}),
    ...(failed?.error ? { error: failed.error } : {}),
    ...(failed?.cause ? { cause: failed.cause } : {}),
  };
}

/**
 * Reads a release's execution from Step Functions: DescribeExecution, then every page of
 * GetExecutionHistory with the states' inputs and outputs (includeExecutionData; up to 1,000 events a
 * page, oldest first, as the API reference allows). Undefined when there is no such execution.
 */
export function createExecutionHistories(client: SFNClient, stateMachineArn: string) {
  const histories = {
    /** The execution named after the release id. */
    read(releaseId: string): Promise<ExecutionHistory | undefined> {
      return histories.readExecution(executionArnFor(stateMachineArn, executionNameFor(releaseId)));
    },
    /** The execution of this ARN (the one a release's ledger item names). */
    async readExecution(executionArn: string): Promise<ExecutionHistory | undefined> {
      let described: DescribeExecutionCommandOutput;
      try {
        described = await client.send(new DescribeExecutionCommand({ executionArn }));
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
      const events: HistoryStep[] = [];
      for await (const page of paginateGetExecutionHistory(
        { client },
        { executionArn, includeExecutionData: true, maxResults: 1000 },
      )) {
        for (const event of page.events ?? []) events.push(historyStepOf(event));
      }
      return {
        executionArn,
        status: described.status ?? 'RUNNING',
        ...(described.startDate ? { startedAt: described.startDate } : {}),
        ...(described.stopDate ? { stoppedAt: described.stopDate } : {}),
        ...(described.error ? { error: described.error } : {}),
        ...(described.cause ? { cause: described.cause } : {}),
        events,
      };
    },
  };
  return histories;
}

export type ExecutionHistories = ReturnType<typeof createExecutionHistories>;
