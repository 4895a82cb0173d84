import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionsUnavailableError } from '#core/errors.ts';
import type { CallbackResult, TaskCallbacks } from '#core/ports.ts';
import { awsErrorName, unavailableAs, withoutTaskToken } from './aws-errors.ts';

/** Step Functions' answers for a token whose task no longer waits: the bake is over, nothing to end. */
const EXPIRED = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/** SendTaskFailure caps error at 256 characters and cause at 32,768. */
const MAX_ERROR = 256;
const MAX_CAUSE = 32_768;

/**
 * Step Functions' callback API (SendTaskSuccess, SendTaskFailure) for ending a bake early. An error
 * never carries the token it was sent with.
 */
export function createSfnTaskCallbacks(client: SFNClient): TaskCallbacks {
  const send = async (
    what: string,
    taskToken: string,
    call: () => Promise<unknown>,
  ): Promise<CallbackResult> => {
    try {
      await call();
      return 'delivered';
    } catch (error) {
      if (EXPIRED.has(awsErrorName(error))) return 'expired';
      throw withoutTaskToken(unavailableAs(what, error, ExecutionsUnavailableError), taskToken);
    }
  };
  return {
    succeed: (taskToken, output) =>
      send('SendTaskSuccess', taskToken, () =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
      ),
    fail: (taskToken, error, cause) =>
      send('SendTaskFailure', taskToken, () =>
        client.send(
          new SendTaskFailureCommand({
            taskToken,
            error: error.slice(0, MAX_ERROR),
            cause: cause.slice(0, MAX_CAUSE),
          }),
        ),
      ),
  };
}
