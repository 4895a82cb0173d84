import { printJson } from './conventions.ts';
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
 * whether it is healthy: 0 promoted or still running, 1 rolled back, rejected, stopped or failed, or
 * no such release; 2 could not ask.
 */
export async function statusCommand(
  releaseId: string,
  options: AwsCommandOptions,
  context: CommandContext = defaultContext,
): Promise<number> {
  return onStateMachine(options, context, `reading release ${releaseId}`, async (executions) => {
    const release = await executions.describe(releaseId);
    if (options.json) printJson(context.out, release);
    else context.out.write(describeRelease(release));
    return exitCodeFor(release);
  });
}
