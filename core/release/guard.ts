import { z } from 'zod';
import { bounded } from '../bounded-text.ts';
import type { ReleaseSnapshot } from '../locks.ts';
import { endingErrorOf } from '../outcome.ts';
import type { ReleaseDeps, Router } from '../ports.ts';
import { describeTargets, promotedWeights, sameWeights, type Target, weightsForStep } from '../targets.ts';
import { describeIssues } from '../validation.ts';
import { closeSideRoute } from './side-route-life.ts';
import { writeVerified } from './traffic.ts';

/** How long the guard's mark keeps a new release from taking the route over: its runs, with margin. */
const GUARD_MINUTES = 10;

/** An execution that ended, as Step Functions' "Execution Status Change" event tells it. */
export interface EndedExecution {
  readonly executionArn: string;
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

export type GuardOutcome =
  | { readonly action: 'none'; readonly reason: string }
  | { readonly action: 'restored'; readonly targets: readonly Target[] }
  | { readonly action: 'left-as-found'; readonly targets: readonly Target[] };

/** How people read an ended execution's status. */
function endingWords(ended: EndedExecution): string {
  if (ended.status === 'ABORTED') return 'was stopped (StopExecution)';
  if (ended.status === 'TIMED_OUT') return 'timed out';
  return `failed with ${ended.error ?? 'an error'}`;
}

/**
 * The guard: runs after an execution ended without the state machine's own rollback (StopExecution
 * skips Catch; a timeout skips it; a rollback that could not write ends RollbackFailed). Only when the
 * execution still holds its route's lock: if the route holds weights this release wrote, it puts the
 * snapshot back; weights this release never writes are someone else's and stay. It frees the lock.
 * Throws when the router cannot be read or written, so that Lambda's retries try again.
 */
export async function guardRoute(endedAs: EndedExecution, deps: ReleaseDeps): Promise<GuardOutcome> {
  let ended = endedAs;
  const record = await deps.snapshots.get(ended.executionArn);
  if (!record) return { action: 'none', reason: 'the execution ended before it held a route' };
  // An execution that let go of its route ended on its own terms (promoted, rolled back, or left a
  // person's edit); only one that still holds it left something undone. Marking the lock (only if
  // this execution holds it) also keeps a new release from taking the route over meanwhile.
  const until = new Date(deps.clock.now().getTime() + GUARD_MINUTES * 60_000).toISOString();
  if (!(await deps.locks.guard(record.routeKey, ended.executionArn, until))) {
    const holder = await deps.locks.holder(record.routeKey);
    return holder
      ? { action: 'none', reason: `${record.routeKey} is held by another release (${holder.releaseId})` }
      : { action: 'none', reason: 'the execution had already let go of the route' };
  }
  const release = { releaseId: record.releaseId, service: record.service, version: record.version };
  const router = deps.routerFor(record.router);
  const reading = await router.read();
  const promoted = promotedWeights(record.snapshot, record.cast);
  if (sameWeights(reading.targets, record.snapshot) || sameWeights(reading.targets, promoted)) {
    await letGo(record, router, deps);
    return { action: 'none', reason: 'the route is at its snapshot or fully promoted' };
  }
  // The status change event may carry no error (AWS's examples show none): ask Step Functions, only
  // now that there is something to report.
  if (ended.status === 'FAILED' && ended.error === undefined) {
    const known = await deps.executions.ending(ended.executionArn);
    ended = {
      ...ended,
      ...(known?.error ? { error: known.error } : {}),
      ...(known?.cause ? { cause: known.cause } : {}),
    };
  }
  const error = endingErrorOf(ended.status, ended.error) ?? 'ExecutionFailed';
  const words = endingWords(ended);
  if (ended.error === 'RollbackFailed') {
    // The execution's own rollback gave up: say so before the guard tries, whatever it then manages.
    await deps.events.emit({
      type: 'release.failed',
      ...release,
      error: 'RollbackFailed',
      reason: `the rollback could not restore ${router.routeId} before the execution ended (${ended.cause === undefined ? 'no cause given' : bounded(ended.cause)}); the guard tries again`,
      targets: reading.targets,
    });
  }
  if (!isThisRelease(record, reading.targets)) {
    const reason = `the execution ${words}; ${router.routeId} holds ${describeTargets(reading.targets)}, which this release never writes, so the guard left it as found`;
    await deps.events.emit({
      type: 'release.failed',
      ...release,
      error: 'RouteDrifted',
      reason,
      targets: reading.targets,
    });
    await letGo(record, router, deps);
    return { action: 'left-as-found', targets: reading.targets };
  }
  const reason = `the execution ${words} with ${describeTargets(reading.targets)} on ${router.routeId}; the guard put the snapshot back`;
  await deps.events.emit({ type: 'rollback.started', ...release, error, reason });
  await writeVerified(router, record.snapshot, `${ended.executionArn}:guard`, reading);
  await deps.events.emit({
    type: 'release.rolled_back',
    ...release,
    targets: record.snapshot,
    error,
    reason,
  });
  await letGo(record, router, deps);
  return { action: 'restored', targets: record.snapshot };
}

/**
 * Removes the execution's side route (blue/green, A/B: stepshift's own, removed on every ending, after
 * the weights are seen to), frees its lock and closes its controls. A failed removal throws before the
 * lock is freed, so Lambda's retry finds the lock still held and tries again.
 */
async function letGo(record: ReleaseSnapshot, router: Router, deps: ReleaseDeps): Promise<void> {
  const release = { releaseId: record.releaseId, service: record.service, version: record.version };
  await closeSideRoute(record.sideRoute, router, release, deps);
  await deps.locks.release(record.routeKey, record.executionId);
  await deps.controls.close(record.releaseId, record.service, record.executionId);
}

/** Weights this release writes: one of its steps' (the promoted state is handled before). */
function isThisRelease(record: ReleaseSnapshot, targets: readonly Target[]): boolean {
  return record.steps.some((weight) =>
    sameWeights(targets, weightsForStep(record.snapshot, record.cast, weight)),
  );
}

/**
 * The part of Step Functions' "Execution Status Change" event the guard reads (source aws.states,
 * detail: executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, and for
 * some failures error and cause). Other fields pass through unread.
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

/** The guard as the EventBridge rule invokes it: an event of another kind is left alone, with the reason. */
export async function guardOnStatusChange(event: unknown, deps: ReleaseDeps): Promise<GuardOutcome> {
  const parsed = statusChangeSchema.safeParse(event);
  if (!parsed.success) {
    return {
      action: 'none',
      reason: `not a Step Functions Execution Status Change event: ${describeIssues(parsed.error, 'event').join('; ')}`,
    };
  }
  const { executionArn, status, error, cause } = parsed.data.detail;
  return guardRoute({ executionArn, status, ...(error ? { error } : {}), ...(cause ? { cause } : {}) }, deps);
}
