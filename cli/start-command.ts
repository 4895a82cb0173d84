import {
  type ReleaseExecution,
  ReleaseExecutionError,
  type ReleaseExecutions,
  releaseExecutionsOn,
} from '#adapters/aws/release-executions.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { parseRequest } from '#core/profile/request.ts';

export interface Output {
  write(text: string): unknown;
}

export interface AwsCommandOptions {
  /** The deployed state machine; the stack's StateMachineArn output. */
  readonly stateMachine?: string;
  readonly json?: boolean;
}

/** What the commands need from the outside, replaceable in tests. */
export interface CommandContext {
  readonly out: Output;
  readonly err: Output;
  readonly executions: (stateMachineArn: string) => ReleaseExecutions;
  readonly sleep: (seconds: number) => Promise<void>;
  readonly env: NodeJS.ProcessEnv;
}

export const defaultContext: CommandContext = {
  out: process.stdout,
  err: process.stderr,
  executions: releaseExecutionsOn,
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  env: process.env,
};

/**
 * The release id a person would choose: service and version, so starting the same version twice finds
 * the first release instead of running a second.
 */
function defaultReleaseId(service: string, version: string): string {
  return `${service}-${version}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
}

/**
 * Runs a command against the deployed state machine (the flag, else STEPSHIFT_STATE_MACHINE_ARN):
 * exit 2 without one, or when Step Functions cannot start or find the release.
 */
export async function onStateMachine(
  options: AwsCommandOptions,
  context: CommandContext,
  run: (executions: ReleaseExecutions) => Promise<number>,
): Promise<number> {
  const stateMachine = options.stateMachine ?? context.env.STEPSHIFT_STATE_MACHINE_ARN;
  if (!stateMachine) {
    context.err.write(
      'no state machine given: pass --state-machine <arn> or set STEPSHIFT_STATE_MACHINE_ARN (the StateMachineArn output of the deployed stack)\n',
    );
    return 2;
  }
  try {
    return await run(context.executions(stateMachine));
  } catch (error) {
    if (!(error instanceof ReleaseExecutionError)) throw error;
    context.err.write(`${error.message}\n`);
    return 2;
  }
}

/** Exit codes a script can act on: 0 promoted (or still running), 1 ended otherwise, 2 not started. */
export function exitCodeFor(release: ReleaseExecution): number {
  return release.outcome === undefined || release.outcome === 'promoted' ? 0 : 1;
}

export function describeRelease(release: ReleaseExecution): string {
  const state = release.outcome ?? release.status.toLowerCase();
  const why = release.error ? ` (${release.error}${release.cause ? `: ${release.cause}` : ''})` : '';
  return `release ${release.releaseId}: ${state}${why}\n  ${release.executionArn}\n`;
}

/**
 * `stepshift start <service> <version>`: checks the request offline, then starts the release on the
 * deployed state machine with the release id as the execution name. `--wait` follows it to its end.
 */
export async function startCommand(
  service: string,
  version: string,
  options: AwsCommandOptions & { releaseId?: string; wait?: boolean; pollSeconds?: number },
  context: CommandContext = defaultContext,
): Promise<number> {
  let request: ReturnType<typeof parseRequest> & { releaseId: string };
  try {
    const releaseId = options.releaseId ?? defaultReleaseId(service, version);
    request = { ...parseRequest({ service, version, releaseId }), releaseId };
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    context.err.write(`the release was not started:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  return onStateMachine(options, context, async (executions) => {
    let release = await executions.start(request);
    if (!options.json) context.out.write(`started ${describeRelease(release)}`);
    while (options.wait && release.outcome === undefined) {
      await context.sleep(options.pollSeconds ?? 10);
      release = await executions.describe(request.releaseId);
    }
    if (options.json) context.out.write(`${JSON.stringify(release, null, 2)}\n`);
    else if (options.wait) context.out.write(describeRelease(release));
    return exitCodeFor(release);
  });
}
