import * as z from 'zod/mini';
import { bounded } from '../bounded-text.ts';
import { CorruptRecordError } from '../errors.ts';
import { endingErrorOf } from '../outcome.ts';
import type { Fence, ReleaseDeps, ReleaseSnapshot, RouteReading, Router } from '../ports.ts';
import type { Target } from '../shapes.ts';
import { describeTargets, promotedWeights, sameWeights, weightsForStep } from '../targets.ts';
import { describeIssues } from '../validation.ts';
import { assertFence, fencedWrite } from './fence.ts';
import { closeSideRoute } from './side-route-life.ts';
import { writeVerified } from './traffic.ts';

/** The ports Guard uses. */
export type GuardDeps = Pick<
  ReleaseDeps,
  'executions' | 'snapshots' | 'clock' | 'locks' | 'routerFor' | 'events' | 'controls'
>;

/**
 * How long the guard's mark keeps a new release from taking the route over, counted from each time the
 * guard takes it: its wait (functions/guard.ts: under three minutes) and its retries, with margin.
 */
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

/**
 * The route the guard holds between its two steps, across the wait: taken from the ended execution at
 * this fence, let go of after `waitSeconds`.
 */
export interface TakenHold {
  readonly executionArn: string;
  readonly status: string;
  readonly routeKey: string;
  readonly fence: number;
  /** Until no task of the ended execution can still be running (its functions' longest timeout, and more). */
  readonly waitSeconds: number;
}

/**
 * A stopped or timed-out execution that held no route yet: its Prepare may still be running, and may
 * take the route after the guard looked. The guard waits as for a taken route, then looks again.
 */
export interface LookAgain {
  readonly executionArn: string;
  readonly status: string;
  readonly waitSeconds: number;
  readonly lookAgain: true;
}

export type GuardHold = TakenHold | LookAgain;

/** The guard's first step: what it did, and the route it now holds (absent when it holds none). */
export interface GuardTaken {
  readonly outcome: GuardOutcome;
  readonly hold?: GuardHold;
}

/** How people read an ended execution's status. */
function endingWords(ended: EndedExecution): string {
  if (ended.status === 'ABORTED') return 'was stopped (StopExecution)';
  if (ended.status === 'TIMED_OUT') return 'timed out';
  return `failed with ${ended.error ?? 'an error'}`;
}

const fenceOfHold = (hold: TakenHold): Fence => ({
  routeKey: hold.routeKey,
  executionId: hold.executionArn,
  fence: hold.fence,
});

/**
 * The guard's first step, run after an execution ended without the state machine's own rollback
 * (StopExecution skips Catch; a timeout skips it; a rollback that could not write ends RollbackFailed).
 * Only when the execution still holds its route's lock: it takes the route over (the lock stays held,
 * marked as the guard's, at a new fence, so a task of the execution still running finds itself fenced
 * out), then, if the route holds weights this release wrote, puts the snapshot back; weights this
 * release never writes are someone else's and stay. It removes the release's side route. It does not
 * let go of the route: that is the second step's, once no task of the execution can still be running.
 * Throws when the router cannot be read or written, so that the guard's state machine retries.
 */
export async function guardTake(
  endedAs: EndedExecution,
  deps: GuardDeps,
  timing: { readonly waitSeconds: number },
): Promise<GuardTaken> {
  let ended = endedAs;
  const record = await trustedRecord(ended.executionArn, deps);
  if ('none' in record) {
    // StopExecution and a timeout end the execution while a task may still run: a Prepare that had not
    // yet taken the route may take it after this look, so look again once it cannot be running.
    const cutShort = ended.status === 'ABORTED' || ended.status === 'TIMED_OUT';
    return record.absent && cutShort
      ? {
          outcome: record.none,
          hold: {
            executionArn: ended.executionArn,
            status: ended.status,
            waitSeconds: timing.waitSeconds,
            lookAgain: true,
          },
        }
      : { outcome: record.none };
  }
  // An execution that let go of its route ended on its own terms (promoted, rolled back, or left a
  // person's edit); only one that still holds it left something undone.
  const until = new Date(deps.clock.now().getTime() + GUARD_MINUTES * 60_000).toISOString();
  const fence = await deps.locks.guard(record.routeKey, ended.executionArn, until);
  if (fence === undefined) {
    const holder = await deps.locks.holder(record.routeKey);
    return {
      outcome: holder
        ? { action: 'none', reason: `${record.routeKey} is held by another release (${holder.releaseId})` }
        : { action: 'none', reason: 'the execution had already let go of the route' },
    };
  }
  const hold: TakenHold = {
    executionArn: ended.executionArn,
    status: ended.status,
    routeKey: record.routeKey,
    fence,
    waitSeconds: timing.waitSeconds,
  };
  const router = await deps.routerFor(record.router);
  const reading = await router.read();
  // A record that lies about its route: nothing to wait for, and nothing of it to trust; the lock stays
  // marked until the mark lapses.
  const mismatch = await refuseAnotherRoute(record, reading, deps);
  if (mismatch) return { outcome: mismatch };
  const release = about(record);
  const promoted = promotedWeights(record.snapshot, record.cast);
  let outcome: GuardOutcome;
  if (sameWeights(reading.targets, record.snapshot) || sameWeights(reading.targets, promoted)) {
    outcome = { action: 'none', reason: 'the route is at its snapshot or fully promoted' };
  } else {
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
    const words = `the execution ${endingWords(ended)}`;
    outcome = isThisRelease(record, reading.targets)
      ? await restore(record, router, reading, hold, `${words} with`, deps, {
          name: 'take',
          endingError: ended.error,
        })
      : await leaveAsFound(record, router, reading, words, deps);
  }
  await closeSideRoute(record.sideRoute, router, release, deps, fenceOfHold(hold));
  return { outcome, hold };
}

/**
 * The guard's second step, after its wait: by now no task of the ended execution can still be running.
 * If one wrote this release's weights after the first step looked (its write slipped in before the
 * fence, and it could not put it back), the snapshot goes back now. The side route goes again (a
 * stopped Shift may have opened it meanwhile; gone already is no error), then the guard lets go of the
 * route and closes the release's controls.
 * @throws FencedOutError when another run of the guard has taken the route over since (a repeated
 * event): that run lets go of it.
 */
export async function guardLetGo(held: GuardHold, deps: GuardDeps): Promise<GuardOutcome> {
  if ('lookAgain' in held) return lookAgain(held, deps);
  const hold = held;
  const fence = fenceOfHold(hold);
  await assertFence(fence, deps, `letting go of ${hold.routeKey} for ${hold.executionArn}`);
  const record = await trustedRecord(hold.executionArn, deps);
  if ('none' in record) return record.none;
  const router = await deps.routerFor(record.router);
  const reading = await router.read();
  const mismatch = await refuseAnotherRoute(record, reading, deps);
  if (mismatch) return mismatch;
  const late = isThisRelease(record, reading.targets);
  const outcome = late
    ? await restore(
        record,
        router,
        reading,
        hold,
        `the execution ended (${hold.status}), and a task of it still running afterwards left`,
        deps,
        { name: 'let-go' },
      )
    : ({
        action: 'none',
        reason: `the route is as the guard left it: ${describeTargets(reading.targets)}`,
      } as const);
  await closeSideRoute(record.sideRoute, router, about(record), deps, fence);
  await deps.locks.release(fence);
  await deps.controls.close(record.releaseId, record.service, record.executionId);
  return outcome;
}

/** Puts the snapshot back, as the guard, at its fence, and says so. */
async function restore(
  record: ReleaseSnapshot,
  router: Router,
  reading: RouteReading,
  hold: TakenHold,
  what: string,
  deps: GuardDeps,
  step: { readonly name: 'take' | 'let-go'; readonly endingError?: string | undefined },
): Promise<GuardOutcome> {
  // A key of its own per guard run (its fence) and step: App Mesh answers a reused clientToken with the
  // first write's result, which would not undo a write that came between.
  const key = `${hold.executionArn}:guard:${hold.fence}${step.name === 'let-go' ? ':let-go' : ''}`;
  const release = about(record);
  const error = endingErrorOf(hold.status, step.endingError) ?? 'ExecutionFailed';
  const reason = `${what} ${describeTargets(reading.targets)} on ${router.routeId}; the guard put the snapshot back`;
  await deps.events.emit({ type: 'rollback.started', ...release, error, reason });
  await fencedWrite(
    fenceOfHold(hold),
    deps,
    `the guard's restore of ${router.routeId}`,
    () => writeVerified(router, record.snapshot, key, reading),
    async () => 'left so, since the guard run that took over restores the snapshot too',
  );
  await deps.events.emit({
    type: 'release.rolled_back',
    ...release,
    targets: record.snapshot,
    error,
    reason,
  });
  return { action: 'restored', targets: record.snapshot };
}

/** Weights this release never writes: a person's change, which stands, and is reported. */
async function leaveAsFound(
  record: ReleaseSnapshot,
  router: Router,
  reading: RouteReading,
  words: string,
  deps: GuardDeps,
): Promise<GuardOutcome> {
  await deps.events.emit({
    type: 'release.failed',
    ...about(record),
    error: 'RouteDrifted',
    reason: `${words}; ${router.routeId} holds ${describeTargets(reading.targets)}, which this release never writes, so the guard left it as found`,
    targets: reading.targets,
  });
  return { action: 'left-as-found', targets: reading.targets };
}

const about = (record: ReleaseSnapshot) => ({
  releaseId: record.releaseId,
  service: record.service,
  version: record.version,
});

/**
 * The second look at an execution that held no route when it ended: by now none of its tasks can still
 * be running. If its Prepare took the route after the first look, the guard takes it over now (putting
 * back what the release wrote, if anything) and, with nothing left that could write, lets go at once.
 */
async function lookAgain(held: LookAgain, deps: GuardDeps): Promise<GuardOutcome> {
  const taken = await guardTake(held, deps, { waitSeconds: 0 });
  if (taken.hold === undefined || 'lookAgain' in taken.hold) {
    return { action: 'none', reason: 'the execution never held a route' };
  }
  const lettingGo = await guardLetGo(taken.hold, deps);
  return taken.outcome.action === 'none' ? lettingGo : taken.outcome;
}

/**
 * The execution's snapshot record, if it is one stepshift wrote. A record that fails the check is never
 * written anywhere: the guard says so on the bus and leaves the route as found, with its lock.
 */
async function trustedRecord(
  executionArn: string,
  deps: GuardDeps,
): Promise<ReleaseSnapshot | { none: GuardOutcome; absent?: true }> {
  try {
    const record = await deps.snapshots.get(executionArn);
    return (
      record ?? {
        none: { action: 'none', reason: 'the execution ended before it held a route' },
        absent: true,
      }
    );
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    await reportCorrupt(executionArn, error.message, deps);
    return { none: { action: 'none', reason: error.message } };
  }
}

/** The record names a route its own router does not read as: it is not one Prepare wrote. */
async function refuseAnotherRoute(
  record: ReleaseSnapshot,
  reading: RouteReading,
  deps: GuardDeps,
): Promise<GuardOutcome | undefined> {
  const key = reading.arn ?? reading.routeId;
  if (key === record.routeKey) return undefined;
  const reason = `the snapshot record of ${record.executionId} names the route ${record.routeKey}, but its router reads as ${key}: it is not one stepshift wrote`;
  await reportCorrupt(record.executionId, reason, deps, about(record));
  return { action: 'none', reason };
}

async function reportCorrupt(
  executionArn: string,
  problem: string,
  deps: GuardDeps,
  release = { releaseId: '(unknown)', service: '(unknown)', version: '(unknown)' },
): Promise<void> {
  await deps.events.emit({
    type: 'release.failed',
    ...release,
    error: 'CorruptRecord',
    reason: `${problem}. The guard wrote nothing to any router and left the route and its lock as found: compare the route with this execution's "Release Started" event (${executionArn}), put its weights back by hand, then delete its lock item (route#<route ARN> / lock)`,
  });
}

/** Weights this release writes: one of its steps' (the snapshot and the promoted state are not). */
function isThisRelease(record: ReleaseSnapshot, targets: readonly Target[]): boolean {
  if (sameWeights(targets, record.snapshot)) return false;
  if (sameWeights(targets, promotedWeights(record.snapshot, record.cast))) return false;
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
    executionArn: z.string().check(z.minLength(1)),
    status: z.string().check(z.minLength(1)),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
  }),
});

/** The guard's first step as its state machine calls it: an event of another kind is left alone, with the reason. */
export async function guardOnStatusChange(
  event: unknown,
  deps: GuardDeps,
  timing: { readonly waitSeconds: number },
): Promise<GuardTaken> {
  const parsed = statusChangeSchema.safeParse(event);
  if (!parsed.success) {
    return {
      outcome: {
        action: 'none',
        reason: `not a Step Functions Execution Status Change event: ${describeIssues(parsed.error, 'event').join('; ')}`,
      },
    };
  }
  const { executionArn, status, error, cause } = parsed.data.detail;
  return guardTake(
    { executionArn, status, ...(error ? { error } : {}), ...(cause ? { cause } : {}) },
    deps,
    timing,
  );
}

/** The hold as the guard's first step handed it on, read back from the second step's input. */
const takenHoldSchema = z.strictObject({
  executionArn: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  routeKey: z.string().check(z.minLength(1)),
  fence: z.number().check(z.int(), z.gte(1)),
  waitSeconds: z.number().check(z.int(), z.gte(0)),
});

const lookAgainSchema = z.strictObject({
  executionArn: z.string().check(z.minLength(1)),
  status: z.string().check(z.minLength(1)),
  waitSeconds: z.number().check(z.int(), z.gte(0)),
  lookAgain: z.literal(true),
});

/** The hold checked as the kind it says it is, so a refusal names the field that is wrong. */
export function parseGuardHold(hold: unknown) {
  const looksAgain = typeof hold === 'object' && hold !== null && 'lookAgain' in hold;
  return looksAgain ? lookAgainSchema.safeParse(hold) : takenHoldSchema.safeParse(hold);
}
