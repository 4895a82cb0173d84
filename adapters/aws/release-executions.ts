import {
  DescribeExecutionCommand,
  type ExecutionStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { endingErrorOf, mayStillRun, type Outcome, outcomeOf } from '#core/outcome.ts';
import { executionNameFor } from '#core/triggers/execution-name.ts';
import { awsErrorName, errorMessage } from './aws-errors.ts';

/** A release as its execution tells it. */
export interface ReleaseExecution {
  readonly releaseId: string;
  readonly executionArn: string;
  readonly status: ExecutionStatus;
  /** Set once the execution has ended: stopped by hand or timed out is "failed". */
  readonly outcome?: Outcome;
  readonly error?: string;
  readonly cause?: string;
  readonly startedAt?: Date;
  readonly stoppedAt?: Date;
}

/** Why a start or a lookup could not be done, in words a person can act on. */
export class ReleaseExecutionError extends Error {
  constructor(
    message: string,
    /** The execution that already carries this release id, when that is the reason. */
    readonly existing?: string,
    /** True when Step Functions answered that no execution has this release's name. */
    readonly notFound = false,
    /** The SDK's error, when the call never got an answer to read (no region, no credentials, network). */
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ReleaseExecutionError';
  }
}

const STATE_MACHINE_ARN =
  /^arn:(aws[a-z-]*):states:([a-z0-9-]+):([0-9]{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;

/** The ARN an execution of this state machine with this name has (Step Functions' own layout). */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const match = STATE_MACHINE_ARN.exec(stateMachineArn);
  if (!match) {
    throw new ReleaseExecutionError(
      `${JSON.stringify(stateMachineArn)} is not a state machine ARN; it looks like arn:aws:states:<region>:<account>:stateMachine:<name> (the stack's StateMachineArn output)`,
    );
  }
  const [, partition, region, account, name] = match;
  return `arn:${partition}:states:${region}:${account}:execution:${name}:${executionName}`;
}

/**
 * Starts and reads releases through Step Functions. The execution's name is the release's, so starting
 * the same release twice finds the first: Step Functions answers a repeat with the same name and input
 * while it runs with that same execution, and refuses it once it has ended.
 */
export function createReleaseExecutions(client: SFNClient, stateMachineArn: string) {
  return {
    async start(request: { readonly releaseId: string }): Promise<ReleaseExecution> {
      const executionName = executionNameFor(request.releaseId);
      const executionArn = executionArnFor(stateMachineArn, executionName);
      try {
        const started = await client.send(
          new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(request) }),
        );
        return {
          releaseId: request.releaseId,
          executionArn: started.executionArn ?? executionArn,
          status: 'RUNNING',
          ...(started.startDate ? { startedAt: started.startDate } : {}),
        };
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionAlreadyExists') {
          throw new ReleaseExecutionError(
            `release ${request.releaseId} has already run as ${executionArn} (or is running with other input); Step Functions keeps an execution name for 90 days, so give a new release id to release again`,
            executionArn,
          );
        }
        throw described(error, `starting release ${request.releaseId}`);
      }
    },

    async describe(releaseId: string): Promise<ReleaseExecution> {
      const executionName = executionNameFor(releaseId);
      const executionArn = executionArnFor(stateMachineArn, executionName);
      try {
        const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
        const status = execution.status ?? 'RUNNING';
        const ended = !mayStillRun(status);
        return {
          releaseId,
          executionArn,
          status,
          ...(ended ? { outcome: outcomeOf(endingErrorOf(status, execution.error)) } : {}),
          ...(execution.error ? { error: execution.error } : {}),
          ...(execution.cause ? { cause: execution.cause } : {}),
          ...(execution.startDate ? { startedAt: execution.startDate } : {}),
          ...(execution.stopDate ? { stoppedAt: execution.stopDate } : {}),
        };
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionDoesNotExist') {
          throw new ReleaseExecutionError(
            `no release ${releaseId} on ${stateMachineArn} (looked for ${executionArn})`,
            undefined,
            true,
          );
        }
        throw described(error, `reading release ${releaseId}`);
      }
    },
  };
}

export type ReleaseExecutions = ReturnType<typeof createReleaseExecutions>;

/** Where and as whom the CLI calls Step Functions: its --region, --profile and --endpoint-url. */
export interface ReleaseExecutionsOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
}

/**
 * An SDK client's configuration for a person's command on the state machine of this ARN: the ARN's
 * own region unless a region is given, and one attempt and a retry: a person waits on the answer, and
 * an unreachable endpoint should say so in a second, not after the Lambda-sized backoff.
 */
export function personClientConfig(stateMachineArn: string, options: ReleaseExecutionsOptions = {}) {
  const region = options.region ?? STATE_MACHINE_ARN.exec(stateMachineArn)?.[2];
  return {
    maxAttempts: 2,
    ...(region ? { region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
}

/** Releases on the state machine of this ARN, through a client configured as personClientConfig says. */
export function releaseExecutionsOn(
  stateMachineArn: string,
  options: ReleaseExecutionsOptions = {},
): ReleaseExecutions {
  return createReleaseExecutions(
    new SFNClient(personClientConfig(stateMachineArn, options)),
    stateMachineArn,
  );
}

function described(error: unknown, doing: string): ReleaseExecutionError {
  return new ReleaseExecutionError(
    `${doing} failed: ${awsErrorName(error)}: ${errorMessage(error)}`,
    undefined,
    false,
    error,
  );
}
