import { createAwsClients } from '#adapters/aws/clients.ts';
import { createDynamoDbReleaseControls } from '#adapters/aws/dynamodb-release-controls.ts';
import { whyAwsUnreachable } from '#adapters/aws/reach.ts';
import { createSfnTaskCallbacks } from '#adapters/aws/sfn-task-callbacks.ts';
import { ReleaseError } from '#core/errors.ts';
import { requestSchema } from '#core/profile/request.ts';

import { type OperatorDeps, operate } from '#core/release/operate.ts';
import type { OperatorCommand } from '#core/shapes.ts';
import { describeIssues } from '#core/validation.ts';
import {
  type AwsFlags,
  type AwsTarget,
  awsTarget,
  EXIT,
  failed,
  type Output,
  printJson,
} from './conventions.ts';

export interface OperatorFlags extends AwsFlags {
  /** stepshift's table; the stack's TableName output. */
  readonly table?: string;
  readonly full?: boolean;
  readonly reason?: string;
  readonly by?: string;
  readonly json?: boolean;
}

export interface OperatorContext {
  readonly out: Output;
  readonly err: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly deps: (tableName: string, target: AwsTarget) => OperatorDeps;
}

export const defaultOperatorContext: OperatorContext = {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  deps: (tableName, target) => {
    // Two attempts: a person waits on the answer, and an unreachable endpoint should say so at once.
    const clients = createAwsClients({ ...target, retry: { maxAttempts: 2 } });
    const clock = { now: () => new Date() };
    return {
      controls: createDynamoDbReleaseControls(clients.dynamoDb, tableName, clock.now),
      callbacks: createSfnTaskCallbacks(clients.stepFunctions),
      clock,
      // The release's own functions announce what it does on the bus; the command only reports.
      events: { emit: () => {} },
    };
  },
};

/**
 * `stepshift abort|promote|pause|resume <releaseId>`. Exit 0: the release acts now, or at its next
 * check; 1: AWS answered that no running release has that id; 2: the command could not ask (no table
 * given, a malformed id, no region or credentials, the network, access denied, a bad endpoint).
 */
export async function operatorCommand(
  command: OperatorCommand,
  releaseId: string,
  flags: OperatorFlags,
  context: OperatorContext = defaultOperatorContext,
): Promise<number> {
  const table = flags.table ?? context.env.STEPSHIFT_TABLE_NAME;
  if (!table) {
    return failed(
      context,
      'no table given: pass --table <name> or set STEPSHIFT_TABLE_NAME (the TableName output of the deployed stack)',
      flags.json,
    );
  }
  const id = requestSchema.shape.releaseId.safeParse(releaseId);
  if (!id.success) return failed(context, describeIssues(id.error, 'releaseId').join('; '), flags.json);
  const target = awsTarget(flags);
  if (typeof target === 'string') return failed(context, target, flags.json);
  const doing = `${command} ${releaseId}`;
  try {
    const outcome = await operate(
      command,
      releaseId,
      {
        by: flags.by ?? context.env.USER ?? 'a person',
        ...(flags.full === undefined ? {} : { full: flags.full }),
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
      },
      context.deps(table, target),
    );
    if (flags.json) printJson(context.out, outcome);
    else context.out.write(`${outcome.message}\n`);
    return outcome.status === 'not-running' ? EXIT.no : EXIT.ok;
  } catch (error) {
    const unreachable = whyAwsUnreachable(error, doing);
    if (unreachable) return failed(context, unreachable, flags.json);
    const known = error instanceof ReleaseError || (error as { $metadata?: unknown } | null)?.$metadata;
    // Anything else is a bug: main's guard turns it into a sentence.
    if (!known) throw error;
    return failed(
      context,
      `${doing} failed: ${(error as Error).name}: ${(error as Error).message}`,
      flags.json,
    );
  }
}
