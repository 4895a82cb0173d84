/** A release as the ledger remembers it: who started it, as which execution, and when. */
export interface ReleaseRecord {
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  /** The Step Functions execution that runs the release. */
  readonly executionId: string;
  readonly routeId: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

/**
 * Release ids that have been started. Triggers deliver at least once (EventBridge may repeat an event,
 * a person may press start twice), and an EventBridge rule cannot name the execution it starts, so
 * the release id itself is claimed: the first execution to claim it runs the release.
 */
export interface ReleaseLedger {
  /**
   * Claims the release id for this record's execution, and returns the record that holds it: this one,
   * or that of the execution that claimed it first. Claiming again from the same execution (a retried
   * Prepare) succeeds.
   */
  claim(record: ReleaseRecord): Promise<ReleaseRecord>;
}

/** True when the ledger gave the release id to another execution. */
export function claimedByAnother(record: ReleaseRecord, holder: ReleaseRecord): boolean {
  return holder.executionId !== record.executionId;
}
