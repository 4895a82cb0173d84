import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus } from '#core/locks.ts';
import { awsErrorName } from './aws-errors.ts';

/** Step Functions' own word on whether an execution runs; one that does not exist does not run. */
export function createSfnExecutionStatus(client: SFNClient): ExecutionStatus {
  return {
    async isRunning(executionId) {
      try {
        const execution = await client.send(new DescribeExecutionCommand({ executionArn: executionId }));
        return execution.status === 'RUNNING';
      } catch (error) {
        if (awsErrorName(error) === 'ExecutionDoesNotExist') return false;
        throw error;
      }
    },
  };
}
