/** How a release ended, as the CLI, the rehearsal and pipelines tell it. */
export const OUTCOMES = ['promoted', 'rolled_back', 'rejected', 'stopped', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The outcome from the error the execution ended with (none: it succeeded, so it promoted). The Fail
 * states of statemachines/release.asl.json name these errors; "rejected" means nothing was written.
 */
export function outcomeOf(errorName: string | undefined): Outcome {
  if (errorName === undefined) return 'promoted';
  if (errorName === 'ReleaseRolledBack') return 'rolled_back';
  if (errorName === 'InvalidRequest' || errorName === 'ReleaseInProgress') return 'rejected';
  // A person pressed "Stop execution" (StopExecution): the guard, not the state machine, restores.
  if (errorName === STOPPED_ERROR) return 'stopped';
  return 'failed';
}

/** The error a stopped execution (StopExecution, status ABORTED) is known by. */
export const STOPPED_ERROR = 'ExecutionStopped';

/**
 * The error an ended execution is known by, from its status and, for a failed one, the error Step
 * Functions reports: none when it succeeded.
 */
export function endingErrorOf(status: string, error?: string): string | undefined {
  switch (status) {
    case 'SUCCEEDED':
      return undefined;
    case 'ABORTED':
      return STOPPED_ERROR;
    case 'TIMED_OUT':
      return 'ExecutionTimedOut';
    default:
      return error ?? 'ExecutionFailed';
  }
}

/** Whether an execution may still act: running, or failed and waiting to be redriven. */
export function mayStillRun(status: string | undefined): boolean {
  return status === 'RUNNING' || status === 'PENDING_REDRIVE';
}
