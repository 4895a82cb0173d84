import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionsUnavailableError } from '#core/errors.ts';
import { mayStillRun } from '#core/outcome.ts';
import type { ExecutionStatus } from '#core/ports.ts';
import { awsErrorName, unavailableAs } from './aws-errors.ts';
import type { AwsClientSource } from './client-source.ts';

/** Step Functions' own word on an execution (DescribeExecution); one that does not exist does not run. */
export function createSfnExecutionStatus(client: SFNClient): ExecutionStatus {
  const describe = async (executionId: string) => {
    try {
      return await client.send(new DescribeExecutionCommand({ executionArn: executionId }));
    } catch (error) {
      if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
      throw unavailableAs(`DescribeExecution of ${executionId}`, error, ExecutionsUnavailableError);
    }
  };
  return {
    async isRunning(executionId) {
      // A failed execution waiting to be redriven may run again: its lock is not stale.
      return mayStillRun((await describe(executionId))?.status);
    },
    async ending(executionId) {
      const execution = await describe(executionId);
      if (!execution?.status) return undefined;
      return {
        status: execution.status,
        ...(execution.error ? { error: execution.error } : {}),
        ...(execution.cause ? { cause: execution.cause } : {}),
      };
    },
  };
}

/** The same over the SDK clients, for a port imported on first use (adapters/lazy-ports.ts). */
export function executionStatusOver(aws: AwsClientSource): ExecutionStatus {
  return createSfnExecutionStatus(aws.client(SFNClient));
}
