import type { ReleaseDeps } from '#core/ports.ts';
import { guardOnStatusChange } from '#core/release/guard.ts';
import { lambdaHandler } from './production-deps.ts';

/**
 * The guard, invoked by an EventBridge rule on every ended execution of the release state machine.
 * Not a state of the state machine: it runs after the execution ended.
 */
export const makeGuardHandler = (deps: ReleaseDeps) => (event: unknown) => guardOnStatusChange(event, deps);

export const handler = lambdaHandler(makeGuardHandler);
