import {
  GetFunctionCommand,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createLambdaFunctions } from '#adapters/aws/lambda-functions.ts';

const lambda = mockClient(LambdaClient);
const functions = createLambdaFunctions(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }));
const meta = { $metadata: {} };

afterEach(() => lambda.reset());

describe('createLambdaFunctions', () => {
  it('finds a function Lambda has, by GetFunction, and not one it does not', async () => {
    lambda
      .on(GetFunctionCommand, { FunctionName: 'orders-smoke' })
      .resolves({ Configuration: { FunctionName: 'orders-smoke' } });
    lambda
      .on(GetFunctionCommand, { FunctionName: 'orders-smok' })
      .rejects(new ResourceNotFoundException({ message: 'Function not found', ...meta }));

    expect(await functions.exists('orders-smoke')).toBe(true);
    expect(await functions.exists('orders-smok')).toBe(false);
  });

  it('lets any other answer through: a refusal is not "no such function"', async () => {
    const denied = new LambdaServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      message: 'not authorized',
      ...meta,
    });
    lambda.on(GetFunctionCommand).rejects(denied);

    await expect(functions.exists('orders-smoke')).rejects.toBe(denied);
  });
});
