import { clock, controls, events, locks, snapshots } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import { executions } from '#adapters/sfn-ports.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { type GuardDeps, guardLetGo, guardOnStatusChange, parseGuardHold } from '#core/release/guard.ts';
import { describeIssues } from '#core/validation.ts';
import type { DeployedFunction } from './index.ts';
import { lambdaHandler } from './production-deps.ts';
import { FUNCTION_TIMEOUT_SECONDS } from './timeouts.ts';

/**
 * Beyond the longest function timeout: a function's init phase (at most 10 s, Lambda developer guide,
 * "Understanding the Lambda execution environment lifecycle") and the clocks of the services involved.
 */
const STRAGGLER_MARGIN_SECONDS = 30;

/**
 * How long the guard holds a route before letting go: until no task of the ended execution can still
 * be running. Step Functions invokes no task after the execution ended, and one invoked before runs at
 * most its function's timeout.
 */
export function stragglerSeconds(timeouts: Readonly<Record<DeployedFunction, number>>): number {
  return Math.max(...Object.values(timeouts)) + STRAGGLER_MARGIN_SECONDS;
}

/**
 * The guard, invoked by its own small state machine (statemachines/guard.asl.json), which an
 * EventBridge rule starts on every ended execution of the release state machine: `{"step": "take",
 * "event": <the status change event>}` takes the route over and puts it back; after the wait, `{"step":
 * "let-go", "hold": <what take returned as hold>}` checks it again and lets go. The rehearsal passes
 * the timeouts it runs the functions with.
 */
export const makeGuardHandler =
  (deps: GuardDeps, timeouts: Readonly<Record<DeployedFunction, number>> = FUNCTION_TIMEOUT_SECONDS) =>
  async (input: unknown) => {
    const step = (input as { step?: unknown } | null)?.step;
    if (step === 'take') {
      return guardOnStatusChange((input as { event?: unknown }).event, deps, {
        waitSeconds: stragglerSeconds(timeouts),
      });
    }
    if (step === 'let-go') {
      const hold = parseGuardHold((input as { hold?: unknown }).hold);
      if (!hold.success) throw new InvalidRequestError(describeIssues(hold.error, 'hold'));
      return guardLetGo(hold.data, deps);
    }
    throw new InvalidRequestError([
      `step: ${JSON.stringify(step ?? null)} is not a step of the guard; its state machine sends {"step": "take", "event": ...} or {"step": "let-go", "hold": ...}`,
    ]);
  };

export const handler = lambdaHandler(makeGuardHandler, {
  executions,
  snapshots,
  clock,
  locks,
  routerFor,
  events,
  controls,
});
