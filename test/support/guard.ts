import type { ReleaseDeps } from '#core/ports.ts';
import { type EndedExecution, type GuardOutcome, guardLetGo, guardTake } from '#core/release/guard.ts';

/**
 * The guard's two steps back to back, as its state machine runs them once its wait is over; the first
 * step's outcome. A first step that throws leaves the route held, as on AWS.
 */
export async function guardRoute(ended: EndedExecution, deps: ReleaseDeps): Promise<GuardOutcome> {
  const taken = await guardTake(ended, deps, { waitSeconds: 150 });
  if (taken.hold) await guardLetGo(taken.hold, deps);
  return taken.outcome;
}
