import type { DeployedFunction } from '#functions/index.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#functions/timeouts.ts';

/**
 * How Step Functions' Lambda integration looks to the state machine: the task gets
 * { FunctionName, Payload }, succeeds with { Payload, StatusCode, ExecutedVersion } and fails with
 * the function's error name, its Cause the runtime's JSON error document. The payload crosses JSON both
 * ways, as it does on AWS, so a handler that returns a Date or undefined behaves here as it would there.
 */
class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string, document?: Record<string, unknown>) {
    super(JSON.stringify(document ?? { errorType, errorMessage, trace: [] }));
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

/**
 * What a task sees when the Lambda invocation itself fails, rather than the handler throwing: the
 * error name Step Functions' lambda:invoke integration reports (the Catch's "Error") and the error
 * document Lambda returns (the Catch's "Cause", as JSON text). Lambda answers such an invocation with
 * FunctionError "Unhandled" and a document of errorType and errorMessage only, no trace; the optimised
 * integration reports the document's errorType as the task's error.
 *
 * Sources:
 * - crash: "Runtime.ExitError", message "RequestId: <id> Error: Runtime exited with error: exit
 *   status 1" — AWS re:Post knowledge center "Lambda runtime exit error"
 *   (https://repost.aws/knowledge-center/lambda-runtime-error), and the Invoke responses quoted in
 *   floci-io/floci#3314 (what AWS returns for a runtime that exits).
 * - timeout: "Sandbox.Timedout", message "RequestId: <id> Error: Task timed out after 120.00
 *   seconds" — Lambda developer guide, "Troubleshoot invocation issues" (Sandbox.Timedout,
 *   https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html), and
 *   floci-io/floci#3314 again.
 * - the name the task fails with is the document's errorType (floci-io/floci#3411, which checked
 *   lambda:invoke against AWS: TaskFailed.error is the function's errorType, the cause its document).
 *   The Step Functions guide ("Handle Lambda service exceptions",
 *   https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html) still says
 *   unhandled errors, timeouts included, are reported as "Lambda.Unknown": that is what Step Functions
 *   reports for an error document without an errorType, which Lambda wrote for timeouts before it
 *   named them Sandbox.Timedout. A definition that must catch both matches States.TaskFailed, as the
 *   guide suggests; both names here are matched by it and by States.ALL.
 */
export const LAMBDA_FAILURES = {
  crash: {
    errorType: 'Runtime.ExitError',
    message: (requestId: string) => `RequestId: ${requestId} Error: Runtime exited with error: exit status 1`,
  },
  timeout: {
    errorType: 'Sandbox.Timedout',
    message: (requestId: string, timeoutSeconds: number) =>
      `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  },
} as const;

export type LambdaFailureKind = keyof typeof LAMBDA_FAILURES;

/** The error a task fails with when its invocation crashes or times out. */
export function invocationFailure(
  kind: LambdaFailureKind,
  requestId: string,
  timeoutSeconds: number,
): LambdaFunctionError {
  const { errorType } = LAMBDA_FAILURES[kind];
  const errorMessage =
    kind === 'crash'
      ? LAMBDA_FAILURES.crash.message(requestId)
      : LAMBDA_FAILURES.timeout.message(requestId, timeoutSeconds);
  return new LambdaFunctionError(errorType, errorMessage, { errorType, errorMessage });
}

/** A function's timeout: the scenario's world.functionTimeouts, else what the construct deploys. */
export function functionTimeout(name: string, configured: Readonly<Record<string, number>>): number {
  return (
    configured[name] ?? FUNCTION_TIMEOUT_SECONDS[name as DeployedFunction] ?? FUNCTION_TIMEOUT_SECONDS.Prepare
  );
}
