import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus } from '#core/locks.ts';
import { awsErrorName } from './aws-errors.ts';

/** Step Functions' own word on an execution (DescribeExecution); one that does not exist does not run. */
export function createSfnExecutionStatus(client: SFNClient): ExecutionStatus {
  const describe = async (executionId: string) => {
    try {
      return await client.send(new DescribeExecutionCommand({ executionArn: executionId }));
    } catch (error) {
      if (awsErrorName(error) === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  };
  return {
    async isRunning(executionId) {
      return (await describe(executionId))?.status === 'RUNNING';
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
