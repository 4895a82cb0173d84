import { bounded, TEXT_LIMITS } from './bounded-text.ts';

/**
 * Errors a release can end with. Each carries a stable `name`: Step Functions matches Retry and Catch
 * on it, and operators read it in the console, so names never change once published.
 */
export class ReleaseError extends Error {
  constructor(name: string, message: string) {
    // The message becomes the task's error cause, the Fail state's cause and a bus event's reason.
    super(bounded(message, TEXT_LIMITS.cause));
    this.name = name;
  }
}

/** The request, the profile or the route's starting state makes a release impossible. Nothing was written. */
export class InvalidRequestError extends ReleaseError {
  public readonly problems: string[];
  constructor(problems: string[]) {
    const each = problems.map((problem) => bounded(problem, TEXT_LIMITS.problem));
    super('InvalidRequest', summarize(each));
    this.problems = each;
  }
}

/** Error causes are capped by Step Functions (32,768 characters); keep far below, naming what is left out. */
const MAX_MESSAGE = 8_000;

function summarize(problems: string[]): string {
  let message = '';
  for (const [i, problem] of problems.entries()) {
    const next = message ? `${message}; ${problem}` : problem;
    if (next.length > MAX_MESSAGE) return `${message}; and ${problems.length - i} more problem(s)`;
    message = next;
  }
  return message;
}

/** Someone else changed the route's weights while the release ran; stepshift leaves their change in place. */
export class RouteDriftedError extends ReleaseError {
  constructor(message: string) {
    super(
      'RouteDrifted',
      `${message}. stepshift stopped and left the route as it found it; check who changed it, then start a new release`,
    );
  }
}

/** A write was accepted but reading the route back shows other weights. */
export class WeightNotAppliedError extends ReleaseError {
  constructor(message: string) {
    super('WeightNotApplied', message);
  }
}

/** The router's API kept refusing or failing after the SDK's own retries; Step Functions retries these. */
export class RouterUnavailableError extends ReleaseError {
  constructor(message: string) {
    super('RouterUnavailable', message);
  }
}

/** Another release holds the route: one release per route at a time. Nothing was written. */
export class ReleaseInProgressError extends ReleaseError {
  constructor(message: string) {
    super('ReleaseInProgress', message);
  }
}

/** Step Functions' DescribeExecution kept throttling or failing after the SDK's retries; retried. */
export class ExecutionsUnavailableError extends ReleaseError {
  constructor(message: string) {
    super('ExecutionsUnavailable', message);
  }
}

/** stepshift's own table kept throttling or failing after the SDK's retries; Step Functions retries these. */
export class StoreUnavailableError extends ReleaseError {
  constructor(message: string) {
    super('StoreUnavailable', message);
  }
}

/** The route, mesh or router named in the profile does not exist. */
export class RouteNotFoundError extends ReleaseError {
  constructor(message: string) {
    super('RouteNotFound', message);
  }
}

/** The new version did not become ready within readinessTimeout. Nothing was shifted. */
export class CanaryNotReadyError extends ReleaseError {
  constructor(message: string) {
    super('CanaryNotReady', message);
  }
}

/** The new version is not ready yet; Step Functions retries Prepare until readinessTimeout. */
export class CanaryNotReadyYetError extends ReleaseError {
  constructor(message: string) {
    super('CanaryNotReadyYet', message);
  }
}

/** A pre-rollout or confirm-traffic-increase hook failed: the release rolls back. */
export class HookFailedError extends ReleaseError {
  constructor(message: string) {
    super('HookFailed', message);
  }
}

/** Health signals could not be read (for example the alarms API is failing). */
export class HealthUnavailableError extends ReleaseError {
  constructor(message: string) {
    super('HealthUnavailable', message);
  }
}

/**
 * CodeDeploy's GetDeploymentConfig kept throttling or failing after the SDK's retries. Prepare has
 * written nothing yet, so the release ends without starting; start it again.
 */
export class DeploymentConfigsUnavailableError extends ReleaseError {
  constructor(message: string) {
    super('DeploymentConfigsUnavailable', message);
  }
}

/** The state handed from one state to the next is not what this version of stepshift wrote. */
export class CorruptStateError extends ReleaseError {
  constructor(message: string) {
    super('CorruptState', message);
  }
}

/**
 * The execution no longer holds its route's lock at its fence: the guard took the route over after the
 * execution ended (stopped, timed out), or another release holds it. Whatever this task was about to
 * write was not written, or was put back; never retried, since the route is no longer this task's.
 */
export class FencedOutError extends ReleaseError {
  constructor(message: string) {
    super('FencedOut', message);
  }
}

/**
 * A record in stepshift's table is not one stepshift wrote (edited by hand, or by another version):
 * nothing it says is written to a router.
 */
export class CorruptRecordError extends ReleaseError {
  constructor(
    message: string,
    public readonly problems: readonly string[],
  ) {
    super('CorruptRecord', message);
  }
}

/** The route is not one stepshift can drive (no weighted targets, or several route kinds in one spec). */
export class UnsupportedRouteError extends ReleaseError {
  constructor(message: string) {
    super('UnsupportedRoute', message);
  }
}

/** Weights that break the router's own limits reached the adapter: a bug, refused before any write. */
export class InvalidTargetsError extends ReleaseError {
  constructor(message: string) {
    super('InvalidTargets', message);
  }
}

/**
 * What a Step Functions error cause says. A Lambda function's error arrives as the runtime's JSON
 * document ({errorType, errorMessage, trace}); Step Functions' own errors carry plain text.
 */
export function causeOf(cause: string): { readonly type?: string; readonly message: string } {
  try {
    const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      return typeof parsed.errorType === 'string'
        ? { type: parsed.errorType, message: parsed.errorMessage }
        : { message: parsed.errorMessage };
    }
  } catch {
    // Plain text.
  }
  return { message: cause };
}
