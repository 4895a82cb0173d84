import { whyAwsUnreachable } from '#adapters/aws/reach.ts';
import {
  type ReleaseExecution,
  ReleaseExecutionError,
  type ReleaseExecutions,
  releaseExecutionsOn,
} from '#adapters/aws/release-executions.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { parseRequest } from '#core/profile/request.ts';
import {
  type AwsFlags,
  type AwsTarget,
  awsTarget,
  describeFailure,
  EXIT,
  failed,
  type Output,
  printJson,
} from './conventions.ts';

export type { Output } from './conventions.ts';

export interface AwsCommandOptions extends AwsFlags {
  /** The deployed state machine; the stack's StateMachineArn output. */
  readonly stateMachine?: string;
  readonly json?: boolean;
}

/** What the commands need from the outside, replaceable in tests. */
export interface CommandContext {
  readonly out: Output;
  readonly err: Output;
  readonly executions: (stateMachineArn: string, target: AwsTarget) => ReleaseExecutions;
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
 * exit 1 when Step Functions answered that there is no such release; exit 2 without a state machine,
 * when AWS could not be reached, or when Step Functions refused (one sentence on stderr).
 */
export async function onStateMachine(
  options: AwsCommandOptions,
  context: CommandContext,
  doing: string,
  run: (executions: ReleaseExecutions) => Promise<number>,
): Promise<number> {
  const stateMachine = options.stateMachine ?? context.env.STEPSHIFT_STATE_MACHINE_ARN;
  if (!stateMachine) {
    return failed(
      context,
      'no state machine given: pass --state-machine <arn> or set STEPSHIFT_STATE_MACHINE_ARN (the StateMachineArn output of the deployed stack)',
      options.json,
    );
  }
  const target = awsTarget(options);
  if (typeof target === 'string') return failed(context, target, options.json);
  try {
    return await run(context.executions(stateMachine, target));
  } catch (error) {
    if (!(error instanceof ReleaseExecutionError)) {
      // The client fails before it sends (no region, no credentials); anything else is a bug, for main's guard.
      const unreachable = whyAwsUnreachable(error, doing);
      if (!unreachable) throw error;
      return failed(context, unreachable, options.json);
    }
    if (error.notFound) {
      context.err.write(`${error.message}\n`);
      if (options.json) printJson(context.out, { error: error.message, notFound: true });
      return EXIT.no;
    }
    const sentence = error.cause === undefined ? error.message : describeFailure(error.cause, doing);
    return failed(context, sentence, options.json);
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
    if (options.json)
      printJson(context.out, { error: `the release was not started: ${error.problems.join('; ')}` });
    return EXIT.couldNotAsk;
  }
  return onStateMachine(options, context, `starting release ${request.releaseId}`, async (executions) => {
    let release = await executions.start(request);
    if (!options.json) context.out.write(`started ${describeRelease(release)}`);
    while (options.wait && release.outcome === undefined) {
      await context.sleep(options.pollSeconds ?? 10);
      release = await executions.describe(request.releaseId);
    }
    if (options.json) printJson(context.out, release);
    else if (options.wait) context.out.write(describeRelease(release));
    return exitCodeFor(release);
  });
}
