import { awsErrorName, errorMessage, unavailableAs } from '#adapters/aws/aws-errors.ts';
import { RouteNotFoundError, RouterUnavailableError } from '#core/errors.ts';

/** How one router's service names the errors core must tell apart. */
export interface RouteErrors {
  readonly routeId: string;
  /** The error names that say the route (its rule, listener, mesh...) is not there. */
  readonly notFound: readonly string[];
  /** What the service lacks, in words: 'App Mesh has no route "orders" on virtual router ...'. */
  readonly missing: string;
  /** Error names that say another writer got there first: worth retrying, as throttling is. */
  readonly conflicts?: readonly string[];
}

/**
 * A router's way of sending one route call: a missing route becomes RouteNotFound (the profile names
 * something that is not there), a conflict, throttling or a server failure that outlived the SDK's
 * retries becomes RouterUnavailable (the state machine retries it), anything else goes on unchanged.
 */
export function routeCalls(errors: RouteErrors) {
  return async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = awsErrorName(error);
      if (errors.conflicts?.includes(name)) {
        throw new RouterUnavailableError(
          `${operation} on ${errors.routeId} conflicted: ${errorMessage(error)}`,
        );
      }
      if (errors.notFound.includes(name)) {
        throw new RouteNotFoundError(
          `${operation}: ${errors.missing} (${errorMessage(error)}); check the profile's router block`,
        );
      }
      throw unavailableAs(operation, error, RouterUnavailableError);
    }
  };
}

/**
 * For a call whose "not found" is an answer (no side route yet, no such target): returns when the error
 * is one of `absent`, and otherwise throws what the call should (RouterUnavailable, or the error itself).
 */
export function unlessAbsent(operation: string, error: unknown, absent: readonly string[]): void {
  if (!absent.includes(awsErrorName(error))) throw unavailableAs(operation, error, RouterUnavailableError);
}
