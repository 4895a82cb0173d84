import { bounded } from '#core/bounded-text.ts';

/** What the adapters read from an error the SDK threw (a ServiceException, or anything else). */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** The AWS error name ("TooManyRequestsException"), or the error's own name for non-AWS errors. */
export function awsErrorName(error: unknown): string {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' && name ? name : 'UnknownError';
}

/**
 * Names AWS services use for throttling. CloudWatch answers "Throttling" with HTTP 400, so the status
 * code alone does not reveal it.
 */
const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
]);

/**
 * True when the service was throttling or failing on its side (429, 5xx, a server fault), i.e. worth
 * retrying later rather than a problem with the request or its permissions.
 */
function isUnavailable(error: unknown): boolean {
  const e = error as SdkErrorShape | null;
  if (THROTTLING_NAMES.has(awsErrorName(error))) return true;
  if (e?.$fault === 'server') return true;
  const status = e?.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

/** An error's message, bounded: AWS writes it, and it goes on into reasons and causes. */
export function errorMessage(error: unknown): string {
  return bounded(error instanceof Error ? error.message : String(error));
}

/**
 * The port's named error (RouterUnavailable, HealthUnavailable) for throttling and server failures
 * that outlived the SDK's retries; any other error unchanged, so its own name reaches Step Functions.
 */
export function unavailableAs(
  operation: string,
  error: unknown,
  Unavailable: new (message: string) => Error,
): unknown {
  if (!isUnavailable(error)) return error;
  return new Unavailable(
    `${operation} failed with ${awsErrorName(error)} after retries: ${errorMessage(error)}`,
  );
}

/** What stands in an error for a task token: the token lets whoever may call SendTask* end a bake. */
const TASK_TOKEN_MARK = '<task token>';

/**
 * The error with every occurrence of a task token in its message and stack replaced by a mark. AWS's
 * answers may name the token they refuse, and whatever an error says reaches the function's log (the
 * Lambda runtime logs an uncaught error) and the execution's history (a task's Cause).
 */
export function withoutTaskToken(error: unknown, token: string): unknown {
  if (!token || !(error instanceof Error)) return error;
  error.message = error.message.replaceAll(token, TASK_TOKEN_MARK);
  if (error.stack) error.stack = error.stack.replaceAll(token, TASK_TOKEN_MARK);
  return error;
}
