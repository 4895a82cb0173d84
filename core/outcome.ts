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
  if (errorName === 'ExecutionStopped') return 'stopped';
  return 'failed';
}
