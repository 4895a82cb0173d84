/**
 * How Step Functions' Lambda integration looks to the state machine: the task gets
 * { FunctionName, Payload }, succeeds with { Payload, StatusCode, ExecutedVersion } and fails with
 * the function's error name, its Cause the runtime's JSON error document. The payload crosses JSON both
 * ways, as it does on AWS, so a handler that returns a Date or undefined behaves here as it would there.
 */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage, trace: [] }));
    this.name = errorType;
  }
}

export interface InvokeParameters {
  readonly FunctionName: string;
  readonly Payload: unknown;
}

export async function invokeLikeLambda(
  handler: (event: never) => Promise<unknown>,
  parameters: InvokeParameters,
): Promise<unknown> {
  const event = JSON.parse(JSON.stringify(parameters.Payload ?? null)) as never;
  try {
    const result = await handler(event);
    return JSON.parse(JSON.stringify(result ?? null));
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    throw new LambdaFunctionError(e.name || 'Error', e.message);
  }
}

export function lambdaInvokeResult(payload: unknown) {
  return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
}
