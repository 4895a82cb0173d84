import { FencedOutError } from '../errors.ts';

import type { Fence, ReleaseDeps } from '../ports.ts';

function fencedOut(fence: Fence, doing: string, outcome: string): FencedOutError {
  return new FencedOutError(
    `${fence.executionId} no longer holds ${fence.routeKey} at fence ${fence.fence} (the guard took the route over after the execution ended, or another release holds it), so ${doing} ${outcome}`,
  );
}

/**
 * Right before a write: the route must still be held at this fence.
 * @throws FencedOutError when it is not; nothing was written.
 */
export async function assertFence(
  fence: Fence | undefined,
  deps: Pick<ReleaseDeps, 'locks'>,
  doing: string,
): Promise<void> {
  if (fence && !(await deps.locks.holds(fence))) throw fencedOut(fence, doing, 'was not done');
}

/**
 * Whether this fence still lets its holder end things on the route: the route is held at it, or held by
 * no one (a retried ending step after the lock was already freed, by this execution or by the guard
 * once no task of it could still run). Someone else holding it, or the guard at a higher fence, is no.
 */
export async function mayEnd(fence: Fence, deps: Pick<ReleaseDeps, 'locks'>): Promise<boolean> {
  const holder = await deps.locks.holder(fence.routeKey);
  return holder === undefined || (holder.executionId === fence.executionId && holder.fence === fence.fence);
}

/**
 * One write under a fence: checked right before it and read again right after it. A write that finds
 * itself fenced out afterwards (the guard took over while the call was in flight, say in the SDK's
 * back-off) is undone by `putBack`, which says what it did, and the task ends FencedOut: whatever it
 * wrote must not outlive the guard, which can no longer see it coming.
 * `checkedBefore`: the caller has just checked (assertFence), with nothing in between but reads.
 * @throws FencedOutError when fenced out, before or after the write.
 */
export async function fencedWrite<T>(
  fence: Fence | undefined,
  deps: Pick<ReleaseDeps, 'locks'>,
  doing: string,
  write: () => Promise<T>,
  putBack: (written: T) => Promise<string>,
  checkedBefore = false,
): Promise<T> {
  if (fence === undefined) return write();
  if (!checkedBefore) await assertFence(fence, deps, doing);
  const written = await write();
  if (await deps.locks.holds(fence)) return written;
  throw fencedOut(fence, doing, `was done, then ${await putBack(written)}`);
}
