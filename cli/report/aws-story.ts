import { SFNClient } from '@aws-sdk/client-sfn';
import { createExecutionHistories, type ExecutionHistories } from '#adapters/aws/sfn-execution-history.ts';
import type { ReleaseStory } from '../chart/story.ts';
import type { AwsTarget } from '../conventions.ts';
import { storyOfHistory } from './from-history.ts';

/** The client a person's command uses: in the state machine's region unless told, one retry. */
export function historiesOn(stateMachineArn: string, target: AwsTarget): ExecutionHistories {
  const region = target.region ?? /^arn:[^:]+:states:([^:]+):/.exec(stateMachineArn)?.[1];
  const client = new SFNClient({
    maxAttempts: 2,
    ...(region ? { region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  });
  return createExecutionHistories(client, stateMachineArn);
}

/** A release's story from its execution's history, or why there is none. */
export async function storyOfRelease(
  releaseId: string,
  stateMachineArn: string,
  target: AwsTarget,
  histories: ExecutionHistories = historiesOn(stateMachineArn, target),
  now: Date = new Date(),
): Promise<ReleaseStory | { readonly notFound: string }> {
  const history = await histories.read(releaseId);
  if (!history) return { notFound: `no release ${releaseId} on ${stateMachineArn}` };
  return storyOfHistory(history, releaseId, now);
}
