import { RouteDriftedError, WeightNotAppliedError } from '../errors.ts';
import type { ReleaseDeps, RouteReading, Router } from '../ports.ts';
import type { Target } from '../shapes.ts';
import { describeTargets, sameWeights } from '../targets.ts';
import { assertFence, fencedWrite } from './fence.ts';
import { fenceOf, type ReleaseState } from './state.ts';

/**
 * Moves the route to `desired`: reads it, refuses to go on if someone else changed the weights,
 * writes only when needed (so a retried step changes nothing), and verifies the write by reading back.
 * The write is fenced: a task still running after its execution was stopped writes nothing once the
 * guard has taken the route over, and puts back what it wrote if the guard took over meanwhile.
 */
export async function applyWeights(
  router: Router,
  state: ReleaseState,
  desired: readonly Target[],
  idempotencyKey: string,
  deps: Pick<ReleaseDeps, 'locks'>,
): Promise<{ reading: RouteReading; unchanged: boolean }> {
  const before = await router.read();
  if (sameWeights(before.targets, desired)) return { reading: before, unchanged: true };
  // The fence before drift: a route the guard has put back is no drift, but no longer this task's.
  const fence = fenceOf(state);
  const doing = `writing ${describeTargets(desired)} to ${router.routeId}`;
  await assertFence(fence, deps, doing);
  assertNoDrift(router.routeId, state, before.targets, desired);
  const reading = await fencedWrite(
    fence,
    deps,
    doing,
    () => writeVerified(router, desired, idempotencyKey, before),
    (written) => putBack(router, state, written, idempotencyKey),
    true,
  );
  return { reading, unchanged: false };
}

/**
 * After a write that turned out to be fenced out: the snapshot goes back (what the guard restores too),
 * unless the route no longer holds what was written (the guard, or a person, has been there since).
 */
async function putBack(
  router: Router,
  state: ReleaseState,
  written: RouteReading,
  idempotencyKey: string,
): Promise<string> {
  const now = await router.read();
  if (!sameWeights(now.targets, written.targets)) {
    return `the route was left as found (${describeTargets(now.targets)}), since it no longer held what was written`;
  }
  await writeVerified(router, state.snapshot, `${idempotencyKey}:put-back`, now);
  return `the snapshot was put back (${describeTargets(state.snapshot)})`;
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
