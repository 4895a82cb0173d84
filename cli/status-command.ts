import {
  type AwsCommandOptions,
  type CommandContext,
  defaultContext,
  describeRelease,
  exitCodeFor,
  onStateMachine,
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
  return onStateMachine(options, context, async (executions) => {
    const release = await executions.describe(releaseId);
    context.out.write(options.json ? `${JSON.stringify(release, null, 2)}\n` : describeRelease(release));
    return exitCodeFor(release);
  });
}
