import { RouteDriftedError, WeightNotAppliedError } from '../errors.ts';
import type { RouteReading, Router } from '../ports.ts';
import { describeTargets, sameWeights, type Target } from '../targets.ts';
import type { ReleaseState } from './state.ts';

/**
 * Moves the route to `desired`: reads it, refuses to go on if someone else changed the weights,
 * writes only when needed (so a retried step changes nothing), and verifies the write by reading back.
 */
export async function applyWeights(
  router: Router,
  state: ReleaseState,
  desired: readonly Target[],
  idempotencyKey: string,
): Promise<{ reading: RouteReading; unchanged: boolean }> {
  const before = await router.read();
  assertNoDrift(router.routeId, state, before.targets, desired);
  if (sameWeights(before.targets, desired)) return { reading: before, unchanged: true };
  return { reading: await writeVerified(router, desired, idempotencyKey, before), unchanged: false };
}

/**
 * Writes these weights (from the reading the caller checked) and reads them back.
 * @throws WeightNotAppliedError when the route holds other weights after the write.
 */
export async function writeVerified(
  router: Router,
  desired: readonly Target[],
  idempotencyKey: string,
  basedOn: RouteReading,
): Promise<RouteReading> {
  const after = await router.write(desired, idempotencyKey, basedOn);
  if (!sameWeights(after.targets, desired)) {
    throw new WeightNotAppliedError(
      `wrote ${describeTargets(desired)} to ${router.routeId} but read back ${describeTargets(after.targets)}`,
    );
  }
  return after;
}

/**
 * Drift: the weights read are neither what this release last wrote (or the snapshot, before its first
 * write) nor what it is about to write. That is a person or another tool at work; stop, don't overwrite.
 */
export function assertNoDrift(
  routeId: string,
  state: ReleaseState,
  current: readonly Target[],
  desired: readonly Target[],
): void {
  const expected = state.written ?? state.snapshot;
  if (sameWeights(current, expected) || sameWeights(current, desired)) return;
  throw new RouteDriftedError(
    `${routeId} was changed outside this release: expected ${describeTargets(expected)}, found ${describeTargets(current)}`,
  );
}

/**
 * The idempotency key for one write of this execution. Keyed by the execution, not the release id a
 * person may reuse: App Mesh answers a reused clientToken with the first write's result.
 */
export function writeKey(state: ReleaseState, what: string): string {
  return `${state.executionId}:${what}`;
}
