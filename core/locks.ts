import { z } from 'zod';
import { CorruptRecordError } from './errors.ts';
import { type RouterConfig, routerSchema } from './profile.ts';
import { type Cast, findStable, type Target } from './targets.ts';
import { describeIssues, requiredString, strictObject } from './validation.ts';

/** Who holds a route: one release at a time may move its weights. */
export interface RouteLock {
  /** The route's ARN (its id when the router has none): the lock's key. */
  readonly routeKey: string;
  /** The execution that holds the route. */
  readonly executionId: string;
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  /** ISO 8601. */
  readonly acquiredAt: string;
}

/** A new holder's fence: it rises each time the guard takes the route over from an ended execution. */
export const FIRST_FENCE = 1;

/** A lock as the table holds it: the holder and its fence. */
export interface HeldLock extends RouteLock {
  /**
   * The epoch of this holding. An execution writes to its route only while the lock names it at the
   * fence it took the route with; the guard raises the fence when it takes over, so a task still
   * running after its execution was stopped finds itself fenced out.
   */
  readonly fence: number;
  /** Set while the guard holds the route for an ended execution (ISO 8601): until when, at the latest. */
  readonly guardedUntil?: string;
}

/** What a writer must still hold, right before and after it writes: its route, as this execution, at this fence. */
export interface Fence {
  readonly routeKey: string;
  readonly executionId: string;
  readonly fence: number;
}

/** Route locks, one per route, kept outside any one execution so that two executions see each other. */
export interface RouteLocks {
  /**
   * Takes the route for this lock's execution unless another execution holds it (or the guard is at
   * work on it), writing the lock and the execution's snapshot record in one transaction: either both
   * are written or neither. Returns the holder: this lock at FIRST_FENCE, or the one who holds it.
   */
  acquire(lock: RouteLock, snapshot: ReleaseSnapshot): Promise<HeldLock>;
  /**
   * Takes the route from `from`, an execution that no longer runs, with this execution's snapshot
   * record, in one transaction; false when someone else was quicker or the guard is at work on the
   * route (see `guard`).
   */
  takeOver(lock: RouteLock, from: string, snapshot: ReleaseSnapshot): Promise<boolean>;
  /**
   * Takes the route over for the guard after this execution ended: the lock stays with the execution,
   * marked as the guard's until `until` (ISO 8601) so no new release takes it meanwhile, and its fence
   * rises. Returns the guard's fence; undefined when this execution no longer holds the route.
   */
  guard(routeKey: string, executionId: string, until: string): Promise<number | undefined>;
  /** Whether the route is still held as this fence says (a strongly consistent read). */
  holds(fence: Fence): Promise<boolean>;
  /** Frees the route if it is held as this fence says; does nothing otherwise. */
  release(fence: Fence): Promise<void>;
  /** Who holds the route now, if anyone. */
  holder(routeKey: string): Promise<HeldLock | undefined>;
}

/**
 * What the guard needs to put a route back after an execution ended without doing so (stopped by a
 * person, timed out, or failed to roll back): written by Prepare with the lock, in one transaction.
 */
export interface ReleaseSnapshot {
  readonly executionId: string;
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  readonly routeKey: string;
  readonly router: RouterConfig;
  readonly snapshot: readonly Target[];
  readonly cast: Cast;
  /** The weights of the plan's steps, to tell this release's weights from anyone else's. */
  readonly steps: readonly number[];
  /**
   * The side route's name, for blue/green and A/B: written before the route is created, so the guard
   * can remove it whatever moment the execution ended at.
   */
  readonly sideRoute?: string;
}

export interface ReleaseSnapshots {
  /**
   * The execution's snapshot record, checked to be one stepshift wrote; undefined when there is none.
   * @throws CorruptRecordError when the record fails the check: nothing in it may be written anywhere.
   */
  get(executionId: string): Promise<ReleaseSnapshot | undefined>;
}

const weight = z
  .number({ error: 'is not a number; a weight is a whole number 0..999' })
  .int({ error: 'is not a whole number; a weight is a whole number 0..999' })
  .min(0, { error: 'is below 0; a weight is a whole number 0..999' })
  .max(999, { error: 'is above 999; a weight is a whole number 0..999' });
const target = strictObject('a target', {
  name: requiredString('the target the weight goes to'),
  weight,
  port: z.number().int().min(1).max(65_535).optional(),
});

/**
 * A snapshot record as Prepare writes it, and what Prepare checked before writing it: exactly one
 * target of the snapshot carries traffic, and it is the release's stable. An edited record (a split,
 * a stable that is not the one carrying traffic, step weights outside 0..100) fails this.
 */
const snapshotRecordSchema = strictObject('a snapshot record', {
  executionId: requiredString('the execution the record belongs to', 2048),
  releaseId: requiredString('the release id'),
  service: requiredString('the service'),
  version: requiredString('the version released'),
  routeKey: requiredString("the route's ARN", 2048),
  router: routerSchema,
  snapshot: z.array(target).min(1).max(10),
  cast: strictObject('the cast', {
    stable: requiredString('the stable target'),
    canary: requiredString('the canary target'),
  }),
  steps: z.array(z.number().int().min(0).max(100)).min(1),
  sideRoute: requiredString("the side route's name").optional(),
}).superRefine((record, ctx) => {
  const found = findStable(record.snapshot);
  if ('problem' in found) ctx.addIssue({ code: 'custom', path: ['snapshot'], message: found.problem });
  else if (found.stable.name !== record.cast.stable) {
    ctx.addIssue({
      code: 'custom',
      path: ['cast', 'stable'],
      message: `is ${record.cast.stable}, but the snapshot's traffic is on ${found.stable.name}`,
    });
  }
  if (record.cast.stable === record.cast.canary) {
    ctx.addIssue({ code: 'custom', path: ['cast', 'canary'], message: 'is the stable target itself' });
  }
});

/**
 * Checks a stored snapshot record before anything in it is trusted: its shape, the invariants Prepare
 * held when it wrote it, and that it belongs to the execution it was read for.
 * @throws CorruptRecordError naming every problem.
 */
export function parseSnapshotRecord(value: unknown, executionId: string, where: string): ReleaseSnapshot {
  const parsed = snapshotRecordSchema.safeParse(value);
  const problems = parsed.success ? [] : describeIssues(parsed.error, 'record');
  if (parsed.success && parsed.data.executionId !== executionId) {
    problems.push(
      `record.executionId: is ${parsed.data.executionId}, not ${executionId}, whose record it is`,
    );
  }
  if (!parsed.success || problems.length) {
    throw new CorruptRecordError(
      `the snapshot record ${where} is not one stepshift wrote: ${problems.join('; ')}`,
      problems,
    );
  }
  return parsed.data as ReleaseSnapshot;
}

/** A record that could not be parsed at all (not JSON). */
export function unreadableSnapshotRecord(where: string, why: string): CorruptRecordError {
  return new CorruptRecordError(`the snapshot record ${where} is not one stepshift wrote: ${why}`, [why]);
}

/** How a Step Functions execution ended: its status, and for a failed one the error and cause. */
export interface ExecutionEnding {
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

/** Step Functions' word on an execution: still running (a lock held by one that is not is stale), how it ended. */
export interface ExecutionStatus {
  isRunning(executionId: string): Promise<boolean>;
  /** Undefined for an execution Step Functions does not know. */
  ending(executionId: string): Promise<ExecutionEnding | undefined>;
}
