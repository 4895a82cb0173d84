import { ReleaseExecutionError } from '#adapters/aws/release-executions.ts';
import { executionNameFor } from '#core/triggers/execution-name.ts';
import {
  type AwsCommandOptions,
  type CommandContext,
  defaultContext,
  describeRelease,
  exitCodeFor,
  NO_STATE_MACHINE,
  stateMachineFrom,
} from './start-command.ts';

/**
 * `stepshift status <releaseId>`: where a release is, from its id alone. The exit code tells a script
 * whether it is healthy: 0 promoted or still running, 1 rolled back, rejected, stopped or failed, 2 not found.
 */
export async function statusCommand(
  releaseId: string,
  options: AwsCommandOptions,
  context: CommandContext = defaultContext,
): Promise<number> {
  const stateMachine = stateMachineFrom(options, context);
  if (!stateMachine) {
    context.err.write(NO_STATE_MACHINE);
    return 2;
  }
  try {
    const release = await context.executions(stateMachine).describe(releaseId, executionNameFor(releaseId));
    context.out.write(options.json ? `${JSON.stringify(release, null, 2)}\n` : describeRelease(release));
    return exitCodeFor(release);
  } catch (error) {
    if (!(error instanceof ReleaseExecutionError)) throw error;
    context.err.write(`${error.message}\n`);
    return 2;
  }
}
