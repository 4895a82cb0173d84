import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSfnTaskCallbacks } from '#adapters/aws/sfn-task-callbacks.ts';
import { ExecutionsUnavailableError } from '#core/errors.ts';

const sfn = mockClient(SFNClient);
const callbacks = createSfnTaskCallbacks(new SFNClient({ region: 'eu-west-1' }));
const meta = { $metadata: {} };

/** A service error the SDK would throw for an error name the SFN client has no class for. */
function serviceError(name: string, status: number) {
  return new SFNServiceException({
    name,
    $fault: 'client',
    message: `${name} from Step Functions`,
    $metadata: { httpStatusCode: status },
  });
}

beforeEach(() => {
  sfn.reset();
});

describe('Step Functions task callbacks', () => {
  it('ends a waiting task with its output as JSON', async () => {
    // Prepare
    sfn.on(SendTaskSuccessCommand).resolves({});

    // Act
    const result = await callbacks.succeed('token-1', { operator: 'promote' });

    // Assess
    expect(result).toBe('delivered');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"operator":"promote"}',
    });
  });

  it('fails a waiting task with an error name and a cause', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    const result = await callbacks.fail('token-1', 'ReleaseAborted', 'aborted by alice');
    expect(result).toBe('delivered');
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      error: 'ReleaseAborted',
      cause: 'aborted by alice',
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', ...meta })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task does not exist', ...meta })],
  ])('answers expired for %s: the task no longer waits', async (_name, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    sfn.on(SendTaskFailureCommand).rejects(error);
    expect(await callbacks.succeed('token-1', {})).toBe('expired');
    expect(await callbacks.fail('token-1', 'AlarmTriggered', 'orders-5xx')).toBe('expired');
  });

  it('throws ExecutionsUnavailable when Step Functions throttles', async () => {
    sfn.on(SendTaskFailureCommand).rejects(serviceError('ThrottlingException', 400));
    const sent = callbacks.fail('token-1', 'AlarmTriggered', 'orders-5xx');
    await expect(sent).rejects.toBeInstanceOf(ExecutionsUnavailableError);
    await expect(sent).rejects.toMatchObject({
      name: 'ExecutionsUnavailable',
      message: expect.stringContaining('SendTaskFailure failed with ThrottlingException after retries'),
    });
  });

  it('rethrows a refusal, such as AccessDenied, as it is', async () => {
    const denied = serviceError('AccessDeniedException', 400);
    sfn.on(SendTaskSuccessCommand).rejects(denied);
    await expect(callbacks.succeed('token-1', {})).rejects.toBe(denied);
  });

  it('cuts the error to 256 characters and the cause to 32,768', async () => {
    sfn.on(SendTaskFailureCommand).resolves({});
    await callbacks.fail('token-1', 'E'.repeat(300), 'c'.repeat(40_000));
    const input = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.error).toBe('E'.repeat(256));
    expect(input?.cause).toBe('c'.repeat(32_768));
  });
});
