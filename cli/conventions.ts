import type { Command } from 'commander';
import { whyAwsUnreachable } from '#adapters/aws/reach.ts';

/**
 * The conventions every command keeps, so a script can rely on them whatever the command: exit codes,
 * the AWS options, one JSON document with --json, and failures as one sentence on stderr, never a
 * stack trace. A new command plugs in through `awsCommand`/`withAwsOptions`, `printJson` and `failed`
 * (docs/operating.md, "The CLI's conventions").
 */

export interface Output {
  write(text: string): unknown;
}

export const EXIT = {
  /** Done; for a release: promoted or still running. */
  ok: 0,
  /** It was asked, and the answer is no: AWS has no such (running) release, it rolled back, an expectation was not met. */
  no: 1,
  /** Could not ask: refused input, or AWS could not be reached (no region, no credentials, network, access denied, bad endpoint). */
  couldNotAsk: 2,
} as const;

/** The AWS CLI's options, on every command that calls AWS. */
export interface AwsFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** Where and as whom to call AWS; what is unset falls back to the SDK's environment and credential chain. */
export interface AwsTarget {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
}

/** Adds --region, --profile and --endpoint-url to a command that calls AWS. */
export function withAwsOptions(command: Command): Command {
  return command
    .option('--region <region>', 'the AWS region (default: $AWS_REGION, then the profile’s region)')
    .option(
      '--profile <name>',
      'a named profile of ~/.aws/config (default: $AWS_PROFILE, then the standard chain)',
    )
    .option('--endpoint-url <url>', "send AWS calls to this URL instead of the service's endpoint");
}

/** The flags as the SDK takes them, or the sentence that says why they cannot be used. */
export function awsTarget(flags: AwsFlags): AwsTarget | string {
  if (flags.endpointUrl !== undefined) {
    const url = URL.canParse(flags.endpointUrl) ? new URL(flags.endpointUrl) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      return `--endpoint-url ${JSON.stringify(flags.endpointUrl)} is not an http(s) URL: write it as https://host[:port], or leave it out to use AWS's own endpoint`;
    }
  }
  return {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}),
  };
}

/** Exactly one JSON document, as every command's --json prints it. */
export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Writes why `doing` failed as one sentence on stderr (and, with --json, as `{"error": sentence}` on
 * stdout, so a pipe into jq still reads one document) and returns exit 2.
 */
export function failed(
  io: { readonly out: Output; readonly err: Output },
  sentence: string,
  json: boolean | undefined,
): number {
  const line = oneLine(sentence);
  io.err.write(`${line}\n`);
  if (json) printJson(io.out, { error: line });
  return EXIT.couldNotAsk;
}

/** The sentence for an error: why AWS could not be reached when that is it, else its name and message. */
export function describeFailure(error: unknown, doing: string): string {
  const unreachable = whyAwsUnreachable(error, doing);
  if (unreachable) return unreachable;
  const e = error instanceof Error ? error : new Error(String(error));
  return `${doing} failed: ${e.name}: ${oneLine(e.message)}`;
}

/**
 * Runs a command's action so that nothing it throws reaches the terminal as a stack trace: the error
 * becomes one sentence and exit 2. STEPSHIFT_DEBUG=1 adds the stack, for a bug report.
 */
export async function guarded(
  doing: string,
  io: { readonly out: Output; readonly err: Output; readonly env: NodeJS.ProcessEnv },
  json: boolean | undefined,
  run: () => Promise<number>,
): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (io.env.STEPSHIFT_DEBUG && error instanceof Error && error.stack) io.err.write(`${error.stack}\n`);
    return failed(io, describeFailure(error, doing), json);
  }
}
