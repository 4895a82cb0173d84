import { InvalidRequestError, ReleaseInProgressError } from '../errors.ts';
import { claimedByAnother } from '../ledger.ts';
import { FIRST_FENCE } from '../locks.ts';
import type { Plan } from '../plan.ts';
import type { HeldLock, ReleaseDeps, ReleaseSnapshot, RouteLock, RouteReading, Router } from '../ports.ts';
import type { ReleaseProfile } from '../profile/profile.ts';

import type { Cast } from '../shapes.ts';
import { sideRouteOf } from '../side-route.ts';

import { storedProfileOf } from './wire.ts';

/** The ports TakeRoute uses. */
export type TakeRouteDeps = Pick<
  ReleaseDeps,
  'clock' | 'locks' | 'releaseProfiles' | 'ledger' | 'controls' | 'executions' | 'events'
>;

export interface RouteClaim {
  readonly releaseId: string;
  /** Where the release id came from in the trigger's payload, for the refusal's sentence. */
  readonly releaseIdField: string;
  readonly executionId: string;
  readonly profile: ReleaseProfile;
  readonly version: string;
  readonly plan: Plan;
  readonly router: Router;
  readonly reading: RouteReading;
  readonly cast: Cast;
  /** An execution refuseIfBusy already found holding the route but no longer running. */
  readonly staleHolder?: string;
}

/**
 * The last step of Prepare, once the release can run: take the route's lock (one release per route)
 * together with the snapshot record the guard needs after the execution ends (one transaction, so a
 * lock is never held without it), store the profile the release runs with where its later states load
 * it, and claim the release id (one release per id). Returns the lock's key and the fence the release
 * holds it at. Nothing of the route is written.
 * @throws ReleaseInProgressError when a running execution holds the route.
 * @throws InvalidRequestError when another execution already ran this release id.
 */
export async function takeRoute(
  claim: RouteClaim,
  deps: TakeRouteDeps,
): Promise<{ lockKey: string; fence: number }> {
  const { profile, router, executionId, releaseId } = claim;
  // Before any write: a profile that cannot be stored is refused with nothing taken.
  const stored = storedProfileOf(executionId, profile);
  const now = deps.clock.now().toISOString();
  const lock: RouteLock = {
    routeKey: routeKeyOf(claim.reading),
    executionId,
    releaseId,
    service: profile.service,
    version: claim.version,
    acquiredAt: now,
  };
  const side = sideRouteOf(profile, claim.reading.targets, claim.cast);
  const snapshot: ReleaseSnapshot = {
    executionId,
    releaseId,
    service: profile.service,
    version: claim.version,
    routeKey: lock.routeKey,
    router: profile.router,
    snapshot: claim.reading.targets,
    cast: claim.cast,
    steps: claim.plan.steps.map((s) => s.weight),
    ...(side ? { sideRoute: side.name } : {}),
  };
  // From here on the guard can find this execution's route and free it.
  const holder = await deps.locks.acquire(lock, snapshot);
  if (holder.executionId !== executionId) {
    await takeOverOrRefuse(
      lock,
      snapshot,
      holder,
      router.routeId,
      holder.executionId === claim.staleHolder,
      deps,
    );
  }

  try {
    // The profile the release runs with, which every later state loads by execution (./wire.ts). Not in
    // the lock's transaction: the guard needs only the snapshot, and a failure here lets go of the lock.
    await deps.releaseProfiles.put(stored);
    const record = {
      releaseId,
      service: profile.service,
      version: claim.version,
      executionId,
      routeId: router.routeId,
      startedAt: now,
    };
    const first = await deps.ledger.claim(record);
    if (claimedByAnother(record, first)) {
      throw new InvalidRequestError([
        `${claim.releaseIdField}: release ${releaseId} of ${first.service} (${first.version}) was already started by ${first.executionId} at ${first.startedAt}; a repeated trigger does not release it twice. To release ${claim.version} again, start it with a new release id`,
      ]);
    }
    await openControls(claim, deps);
  } catch (error) {
    // Nothing was shifted: let go of the route, so the next release need not take over a stale lock.
    await deps.locks.release({ routeKey: lock.routeKey, executionId, fence: FIRST_FENCE }).catch(() => {});
    throw error;
  }
  return { lockKey: lock.routeKey, fence: FIRST_FENCE };
}

/**
 * Opens the release's controls, where operator commands and alarms find it by release id or service.
 * @throws InvalidRequestError when a running release of another service has the same release id.
 */
async function openControls(claim: RouteClaim, deps: TakeRouteDeps): Promise<void> {
  const mine = {
    releaseId: claim.releaseId,
    service: claim.profile.service,
    executionId: claim.executionId,
    alarms: claim.profile.analysis.alarms,
  };
  let holder = await deps.controls.open(mine);
  if (holder.executionId !== mine.executionId && !(await deps.executions.isRunning(holder.executionId))) {
    holder = await deps.controls.open(mine, holder.executionId);
  }
  if (holder.executionId !== mine.executionId) {
    throw new InvalidRequestError([
      `${claim.releaseIdField}: release id ${claim.releaseId} is in use by a running release of ${holder.service} (${holder.executionId}); operator commands name a release by its id alone, so give this release another id`,
    ]);
  }
}

/**
 * Refuses at once when a running execution holds the route: checked before the route's state is
 * judged, so a second release hears that another runs rather than that the route is mid-shift.
 */
export async function refuseIfBusy(
  reading: RouteReading,
  executionId: string,
  deps: TakeRouteDeps,
): Promise<{ staleHolder?: string }> {
  const holder = await deps.locks.holder(routeKeyOf(reading));
  if (!holder || holder.executionId === executionId) return {};
  if (await deps.executions.isRunning(holder.executionId)) throw busy(reading.routeId, holder);
  return { staleHolder: holder.executionId };
}

/** What the route's lock is keyed by: its ARN, or its id where the router has no ARN. */
function routeKeyOf(reading: RouteReading): string {
  return reading.arn ?? reading.routeId;
}

function busy(routeId: string, by: HeldLock | RouteLock): ReleaseInProgressError {
  if ('guardedUntil' in by && by.guardedUntil !== undefined) {
    return new ReleaseInProgressError(
      `${routeId} is being put back by the guard after ${by.executionId} (${by.releaseId}, ${by.service} ${by.version}) ended; the guard holds it for a few minutes, until no task of that execution can still be running, and lets go by ${by.guardedUntil} at the latest: start this release again then`,
    );
  }
  return new ReleaseInProgressError(
    `${routeId} is being released by ${by.releaseId} (${by.service} ${by.version}, execution ${by.executionId}, since ${by.acquiredAt}); one release per route at a time: wait for it to end, or stop it`,
  );
}

/** A lock held by an execution that no longer runs is stale: take it over, and say so. */
async function takeOverOrRefuse(
  lock: RouteLock,
  snapshot: ReleaseSnapshot,
  holder: HeldLock,
  routeId: string,
  knownStale: boolean,
  deps: TakeRouteDeps,
) {
  // Step Functions was already asked about this holder when Prepare began: no need to ask again.
  if (!knownStale && (await deps.executions.isRunning(holder.executionId))) throw busy(routeId, holder);
  if (!(await deps.locks.takeOver(lock, holder.executionId, snapshot))) {
    throw busy(routeId, (await deps.locks.holder(lock.routeKey)) ?? holder);
  }
  await deps.events.emit({
    type: 'lock.taken_over',
    releaseId: lock.releaseId,
    service: lock.service,
    version: lock.version,
    routeId,
    from: { releaseId: holder.releaseId, executionId: holder.executionId, since: holder.acquiredAt },
  });
}
