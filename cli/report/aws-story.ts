import { type ReleaseSources, releaseSourcesOn } from '#adapters/aws/release-sources.ts';
import type { ExecutionHistories } from '#adapters/aws/sfn-execution-history.ts';
import type { ReleaseStory } from '../chart/story.ts';
import type { AwsTarget } from '../conventions.ts';
import { storyOfHistory } from './from-history.ts';

export type { ReleaseSources } from '#adapters/aws/release-sources.ts';

/** Where to find a release whose execution is not named after its id: its service's ledger item. */
export interface LedgerLookup {
  readonly service: string;
  readonly table: string;
}

/**
 * A release's story from its execution's history, or why there is none. The execution is the one
 * named after the release id (as `stepshift start`, the console and `status` name it), or, given the
 * service and the table, the one the release's ledger item says claimed the id.
 */
export async function storyOfRelease(
  releaseId: string,
  stateMachineArn: string,
  target: AwsTarget,
  lookup?: LedgerLookup,
  sources: ReleaseSources = releaseSourcesOn(stateMachineArn, target),
  now: Date = new Date(),
): Promise<ReleaseStory | { readonly notFound: string }> {
  let history: Awaited<ReturnType<ExecutionHistories['read']>>;
  if (lookup) {
    const record = await sources.ledger(lookup.table, lookup.service, releaseId);
    if (!record)
      return { notFound: `no release ${releaseId} of ${lookup.service} in the ledger of ${lookup.table}` };
    history = await sources.histories.readExecution(record.executionId);
    if (!history)
      return {
        notFound: `release ${releaseId}'s execution ${record.executionId} is no longer in Step Functions`,
      };
  } else {
    history = await sources.histories.read(releaseId);
    if (!history) return { notFound: `no release ${releaseId} on ${stateMachineArn}` };
  }
  return storyOfHistory(history, releaseId, now);
}
