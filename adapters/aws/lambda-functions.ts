import { GetFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { LambdaFunctions } from '#core/observing-ports.ts';
import { awsErrorName } from './aws-errors.ts';

/**
 * Whether a function exists, by GetFunction (lambda:GetFunction): ResourceNotFoundException is Lambda's
 * answer for a function it does not have (Lambda API reference); any other error is thrown.
 */
export function createLambdaFunctions(client: LambdaClient): LambdaFunctions {
  return {
    async exists(functionName) {
      try {
        await client.send(new GetFunctionCommand({ FunctionName: functionName }));
        return true;
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return false;
        throw error;
      }
    },
  };
}
