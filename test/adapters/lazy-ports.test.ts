import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsClientSource, awsClientSource } from '#adapters/aws/client-source.ts';
import { executionsOnFirstUse } from '#adapters/lazy-ports.ts';
import type { ReleaseDepsOptions } from '#adapters/port-builders.ts';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

const ARN = 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:r1';

/** Port options over a client source that records which clients were asked for. */
function optionsCounting(asked: unknown[]): ReleaseDepsOptions {
  const real = awsClientSource({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const aws: AwsClientSource = {
    client(Client) {
      asked.push(Client);
      return real.client(Client);
    },
  };
  return { aws } as ReleaseDepsOptions;
}

describe("Prepare's executions port, imported on first use", () => {
  it('asks for no Step Functions client until it is first called, then answers as DescribeExecution says', async () => {
    // Arrange
    const asked: unknown[] = [];
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' })
      .resolvesOnce({ status: 'FAILED', error: 'States.TaskFailed', cause: 'boom' });
    const port = executionsOnFirstUse(optionsCounting(asked));

    // Act
    const before = [...asked];
    const running = await port.isRunning(ARN);
    const ending = await port.ending(ARN);

    // Assess
    expect(before).toEqual([]);
    expect(asked).toEqual([SFNClient]);
    expect(running).toBe(true);
    expect(ending).toEqual({ status: 'FAILED', error: 'States.TaskFailed', cause: 'boom' });
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { executionArn: ARN },
      { executionArn: ARN },
    ]);
  });

  it('answers an execution Step Functions does not know as not running and not ended', async () => {
    // Arrange
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('no'), { name: 'ExecutionDoesNotExist' }));
    const port = executionsOnFirstUse(optionsCounting([]));

    // Act & Assess
    expect(await port.isRunning(ARN)).toBe(false);
    expect(await port.ending(ARN)).toBeUndefined();
  });
});
