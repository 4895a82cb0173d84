import { createAwsClients } from '#adapters/aws/clients.ts';
import { createDynamoDbReleaseControls } from '#adapters/aws/dynamodb-release-controls.ts';
import { createSfnTaskCallbacks } from '#adapters/aws/sfn-task-callbacks.ts';
import { ReleaseError } from '#core/errors.ts';
import { requestSchema } from '#core/profile/request.ts';

import { type OperatorDeps, operate } from '#core/release/operate.ts';
import type { OperatorCommand } from '#core/shapes.ts';
import { describeIssues } from '#core/validation.ts';
import type { Output } from './start-command.ts';

export interface OperatorFlags {
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
  readonly deps: (tableName: string) => OperatorDeps;
}

const defaultOperatorContext: OperatorContext = {
  out: process.stdout,
  err: process.stderr,
  env: process.env,
  deps: (tableName) => {
    const clients = createAwsClients();
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
 * check; 1: no running release has that id; 2: the command could not be carried out (no table given,
 * a malformed id, AWS refused).
 */
export async function operatorCommand(
  command: OperatorCommand,
  releaseId: string,
  flags: OperatorFlags,
  context: OperatorContext = defaultOperatorContext,
): Promise<number> {
  const table = flags.table ?? context.env.STEPSHIFT_TABLE_NAME;
  if (!table) {
    context.err.write(
      'no table given: pass --table <name> or set STEPSHIFT_TABLE_NAME (the TableName output of the deployed stack)\n',
    );
    return 2;
  }
  const id = requestSchema.shape.releaseId.safeParse(releaseId);
  if (!id.success) {
    context.err.write(`${describeIssues(id.error, 'releaseId').join('; ')}\n`);
    return 2;
  }
  try {
    const outcome = await operate(
      command,
      releaseId,
      {
        by: flags.by ?? context.env.USER ?? 'a person',
        ...(flags.full === undefined ? {} : { full: flags.full }),
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
      },
      context.deps(table),
    );
    context.out.write(flags.json ? `${JSON.stringify(outcome, null, 2)}\n` : `${outcome.message}\n`);
    return outcome.status === 'not-running' ? 1 : 0;
  } catch (error) {
    const known = error instanceof ReleaseError || (error as { $metadata?: unknown } | null)?.$metadata;
    if (!known) throw error;
    context.err.write(
      `${command} ${releaseId} failed: ${(error as Error).name}: ${(error as Error).message}\n`,
    );
    return 2;
  }
}
