import type { RouterConfig } from './profile.ts';
import type { Cast, Target } from './targets.ts';

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

/** Route locks, one per route, kept outside any one execution so that two executions see each other. */
export interface RouteLocks {
  /** Takes the route for this lock's execution unless another execution holds it; returns the holder. */
  acquire(lock: RouteLock): Promise<RouteLock>;
  /**
   * Takes the route from `from`, an execution that no longer runs; false when someone else was quicker
   * or the guard is at work on the route (see `guard`).
   */
  takeOver(lock: RouteLock, from: string): Promise<boolean>;
  /**
   * Marks the route as being put back by the guard for this ended execution, until `until` (ISO 8601),
   * so no new release takes it over meanwhile; false when this execution no longer holds it.
   */
  guard(routeKey: string, executionId: string, until: string): Promise<boolean>;
  /** Frees the route if this execution holds it; does nothing otherwise. */
  release(routeKey: string, executionId: string): Promise<void>;
  /** Who holds the route now, if anyone. */
  holder(routeKey: string): Promise<RouteLock | undefined>;
}

/**
 * What the guard needs to put a route back after an execution ended without doing so (stopped by a
 * person, timed out, or failed to roll back): written by Prepare once it holds the route.
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
  put(snapshot: ReleaseSnapshot): Promise<void>;
  get(executionId: string): Promise<ReleaseSnapshot | undefined>;
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
