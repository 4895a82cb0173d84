import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createReleaseExecutions,
  executionArnFor,
  ReleaseExecutionError,
} from '#adapters/aws/release-executions.ts';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:orders-v2';
const executions = createReleaseExecutions(new SFNClient({ region: 'eu-west-1' }), MACHINE);
const meta = { $metadata: {} };

beforeEach(() => {
  sfn.reset();
});

describe('release executions', () => {
  it('starts the release with its id as the execution name and the request as input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date(0) });

    // Act
    const started = await executions.start({ releaseId: 'orders-v2' });

    // Assess
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: MACHINE,
      name: 'orders-v2',
      input: '{"releaseId":"orders-v2"}',
    });
    expect(started).toMatchObject({ releaseId: 'orders-v2', executionArn: EXECUTION, status: 'RUNNING' });
  });

  it('refuses to start a release id that has already run, naming its execution', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    const start = executions.start({ releaseId: 'orders-v2' });
    await expect(start).rejects.toBeInstanceOf(ReleaseExecutionError);
    await expect(start).rejects.toMatchObject({
      existing: EXECUTION,
      message: expect.stringContaining('release orders-v2 has already run as'),
    });
  });

  it.each([
    ['SUCCEEDED', undefined, 'promoted'],
    ['FAILED', 'ReleaseRolledBack', 'rolled_back'],
    ['FAILED', 'InvalidRequest', 'rejected'],
    ['FAILED', 'RouteDrifted', 'failed'],
    ['ABORTED', undefined, 'stopped'],
    ['TIMED_OUT', undefined, 'failed'],
    ['RUNNING', undefined, undefined],
  ] as const)('reads a %s execution (error %s) as %s', async (status, error, outcome) => {
    sfn.on(DescribeExecutionCommand).resolves({ status, ...(error ? { error, cause: 'why' } : {}) });
    const release = await executions.describe('orders-v2');
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({ executionArn: EXECUTION });
    expect(release.outcome).toBe(outcome);
    expect(release.status).toBe(status);
  });

  it('says which execution it looked for when a release does not exist', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', ...meta }));
    await expect(executions.describe('nope')).rejects.toThrow(
      `no release nope on ${MACHINE} (looked for arn:aws:states:eu-west-1:123456789012:execution:stepshift-release:nope)`,
    );
  });

  it('explains an ARN that is not a state machine', () => {
    expect(() => executionArnFor('stepshift-release', 'x')).toThrow(/is not a state machine ARN/);
    expect(executionArnFor(MACHINE.replace('arn:aws:', 'arn:aws-cn:'), 'x')).toBe(
      'arn:aws-cn:states:eu-west-1:123456789012:execution:stepshift-release:x',
    );
  });
});
