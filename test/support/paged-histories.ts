import {
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type GetExecutionHistoryCommandInput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { AwsStub } from 'aws-sdk-client-mock';

/**
 * GetExecutionHistory on a mocked client, answered from these histories by execution ARN and paged as
 * Step Functions pages them: maxResults events (100 by default), a token for the rest. Each answer
 * comes after `delayMs(arn)` milliseconds; `seen` tells the calls in the order made and the most that
 * were in flight at once.
 */
export function pagedHistories(
  // biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub of the client, whatever its config
  sfn: AwsStub<any, any, SFNClient['config']>,
  histories: Readonly<Record<string, readonly HistoryEvent[]>>,
  delayMs: (executionArn: string) => number = () => 0,
) {
  const seen = { calls: [] as GetExecutionHistoryCommandInput[], inFlight: 0, mostInFlight: 0 };
  sfn.on(GetExecutionHistoryCommand).callsFake(async (input: GetExecutionHistoryCommandInput) => {
    seen.calls.push(input);
    seen.inFlight += 1;
    seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs(input.executionArn ?? '')));
    seen.inFlight -= 1;
    const all = histories[input.executionArn ?? ''];
    if (!all) throw new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });
    const from = Number(input.nextToken ?? 0);
    const to = from + (input.maxResults || 100);
    return { events: all.slice(from, to), ...(to < all.length ? { nextToken: String(to) } : {}) };
  });
  /** The calls made for one execution, without its ARN. */
  const callsFor = (executionArn: string) =>
    seen.calls.filter((c) => c.executionArn === executionArn).map(({ executionArn: _, ...rest }) => rest);
  return { seen, callsFor };
}
