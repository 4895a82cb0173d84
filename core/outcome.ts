import { RELEASE_ABORTED } from './controls.ts';

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
 * The errors a release ends with when it worked as meant: the new version was judged and found
 * wanting (ReleaseRolledBack, HookFailed), or a person decided (an abort, a rejected or expired
 * approval, a stop, an edit of the route, which the release leaves as found). Any other error on a
 * "Release Rolled Back" or "Release Failed" event means stepshift or AWS failed underneath it.
 */
export const VERDICT_ERRORS = [
  'ReleaseRolledBack',
  'HookFailed',
  'PromotionRejected',
  'ApprovalExpired',
  RELEASE_ABORTED,
  'RouteDrifted',
  STOPPED_ERROR,
] as const;

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
