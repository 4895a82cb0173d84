import { releaseObserverOn } from '#adapters/aws/sfn-release-observer.ts';
import type { ObservedExecution, ReleaseObserver } from '#core/observing-ports.ts';
import { type AwsTarget, awsTarget } from './conventions.ts';
import { inOrder } from './in-order.ts';
import {
  type AwsCommandOptions,
  type CommandContext,
  defaultContext,
  onStateMachine,
} from './start-command.ts';
import { type ReleaseView, viewOf } from './view/release-view.ts';

/**
 * Histories list and history read at once: each is a GetExecutionHistory call, which Step Functions
 * throttles per account (a token bucket shared with the account's other callers), so a few at a time.
 */
export const READS_AT_ONCE = 8;

/** What list, history, status and watch need besides the start/status context: an observer, and the time. */
export interface ObserveContext extends CommandContext {
  readonly observer: (stateMachineArn: string, target: AwsTarget) => ReleaseObserver;
  readonly now: () => number;
}

export const defaultObserveContext: ObserveContext = {
  ...defaultContext,
  observer: releaseObserverOn,
  now: () => Date.now(),
};

/**
 * Runs a command with the state machine's observer, under the conventions of onStateMachine: no state
 * machine or a bad --endpoint-url is exit 2 with one sentence; AWS not reached too.
 */
export function onObserver(
  options: AwsCommandOptions,
  context: ObserveContext,
  doing: string,
  run: (
    observer: ReleaseObserver,
    executions: Parameters<Parameters<typeof onStateMachine>[3]>[0],
  ) => Promise<number>,
): Promise<number> {
  return onStateMachine(options, context, doing, (executions) => {
    // onStateMachine has checked both: a state machine is given, and the AWS flags are usable.
    const stateMachine = (options.stateMachine ?? context.env.STEPSHIFT_STATE_MACHINE_ARN) as string;
    return run(context.observer(stateMachine, awsTarget(options) as AwsTarget), executions);
  });
}

/**
 * Each execution's release as the views show it, in the executions' order, READS_AT_ONCE histories read
 * at a time; given a service, only its releases (the observer reads another's no further than it must).
 */
export async function* releaseViews(
  observer: ReleaseObserver,
  executions: readonly ObservedExecution[],
  service?: string,
): AsyncGenerator<{ readonly execution: ObservedExecution; readonly view: ReleaseView }> {
  const read = async (execution: ObservedExecution) => ({
    execution,
    events: (await observer.events(execution.executionArn, service)) ?? [],
  });
  for await (const { execution, events } of inOrder(executions, READS_AT_ONCE, read)) {
    const view = viewOf(execution.name, '', events);
    if (service === undefined || view.service === service) yield { execution, view };
  }
}
