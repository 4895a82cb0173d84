import type { ReleaseRecord } from './ports.ts';

/** True when the ledger gave the release id to another execution. */
export function claimedByAnother(record: ReleaseRecord, holder: ReleaseRecord): boolean {
  return holder.executionId !== record.executionId;
}
