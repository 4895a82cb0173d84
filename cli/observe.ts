import { releaseObserverOn } from '#adapters/aws/sfn-release-observer.ts';
import type { ReleaseObserver } from '#core/observing-ports.ts';
import { type AwsTarget, awsTarget } from './conventions.ts';
import {
  type AwsCommandOptions,
  type CommandContext,
  defaultContext,
  onStateMachine,
} from './start-command.ts';

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
