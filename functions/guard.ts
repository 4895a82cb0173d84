import { z } from 'zod';
import type { ReleaseDeps } from '#core/ports.ts';
import { type GuardOutcome, guardRoute } from '#core/release/guard.ts';
import { lambdaHandler } from './production-deps.ts';

/**
 * The part of Step Functions' "Execution Status Change" event the guard reads (source aws.states,
 * detail: executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error,
 * cause). Other fields pass through unread.
 */
const statusChangeSchema = z.looseObject({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.looseObject({
    executionArn: z.string().min(1),
    status: z.string().min(1),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

export type ExecutionStatusChange = z.input<typeof statusChangeSchema>;

/**
 * The guard, invoked by an EventBridge rule on executions of the release state machine that end
 * ABORTED, TIMED_OUT or FAILED. Not a state of the state machine: it runs after the execution ended.
 */
export const makeGuardHandler =
  (deps: ReleaseDeps) =>
  async (event: unknown): Promise<GuardOutcome> => {
    const parsed = statusChangeSchema.safeParse(event);
    if (!parsed.success) {
      return {
        action: 'none',
        reason: `not a Step Functions Execution Status Change event: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ')}`,
      };
    }
    const { executionArn, status, error, cause } = parsed.data.detail;
    return guardRoute(
      { executionArn, status, ...(error ? { error } : {}), ...(cause ? { cause } : {}) },
      deps,
    );
  };

export const handler = lambdaHandler(makeGuardHandler);
