import { CorruptStateError } from '../errors.ts';
import type { Plan } from '../plan.ts';
import type { Fence, ReleaseDeps } from '../ports.ts';
import type { ReleaseProfile } from '../profile/profile.ts';

import type { Cast, Signal, Target } from '../shapes.ts';

export type NextMove = 'shift' | 'bake' | 'promote' | 'rollback';

/**
 * The release as each state's function works with it: what travels between the state machine's states
 * (core/release/wire.ts: everything here but the profile, which stays in the table and travels as its
 * digest) and the profile the release runs with. Complete: any state can be retried from it alone.
 */
export interface ReleaseState extends ReleaseProgress {
  readonly profile: ReleaseProfile;
}

/** Everything of the release but its profile: small (a few KiB), whatever the profile holds. */
export interface ReleaseProgress {
  /** 2 since the profile left the state (v1 carried it whole). */
  readonly v: 2;
  readonly releaseId: string;
  readonly executionId: string;
  readonly service: string;
  readonly version: string;
  readonly plan: Plan;

  readonly cast: Cast;
  /** The key of the route lock this release holds (the route's ARN); freed when the release ends. */
  readonly lockKey?: string;
  /** The fence it holds the lock at (core/locks.ts): every write checks the lock still says so. */
  readonly fence?: number;
  /** The route's targets before the release touched it: what rollback restores. */
  readonly snapshot: readonly Target[];
  /** What this release last wrote, to tell its own writes from someone else's. */
  readonly written: readonly Target[] | null;
  readonly step: number;
  readonly check: number;
  readonly failedChecks: number;
  /** When health was last judged (ISO time): an alarm that fired and recovered since then still counts. */
  readonly checkedAt: string;
  /**
   * The last check's signals, bounded (core/health/signals.ts's checkSignals), replaced at each check:
   * what `watch`, `status` and `report` read back from the execution's history.
   */
  readonly signals?: readonly Signal[];
  /** How many of the last check's signals `signals` left out; absent when none were. */
  readonly signalsOmitted?: number;
  /** Per alarm, when the ALARM episode this release last counted began, so one episode counts once. */
  readonly alarmsCounted?: Readonly<Record<string, string>>;
  /** Per metric check, how many analyses in a row it has been inconclusive (analysis.inconclusiveLimit). */
  readonly inconclusiveRuns?: Readonly<Record<string, number>>;
  /**
   * Seconds the next bake waits. Kept at the top level because the Bake state reads it with
   * TimeoutSecondsPath.
   */
  readonly bakeSeconds: number;
  readonly next: NextMove;
  readonly halt?: Halt;
  /** Set by the bake's Catch when an alarm ended it early (AlarmTriggered): analysed at once. */
  readonly interrupt?: CaughtFailure;
  /** onFailure "gradual": the release steps back down, one plan step per check, for this reason. */
  readonly retreat?: Halt;
  /** onFailure "freeze": the weights hold, for this reason, until an operator acts. */
  readonly frozen?: Halt & { readonly at: string };
  /** Checks spent holding (paused or frozen) beyond the plan: they use execution history too. */
  readonly holds?: number;
  /** When the release last held, paused or frozen (ISO 8601); absent while it moves on. */
  readonly heldSince?: string;
  /** A manual confirmPromotion hook waiting for stepshift approve or reject, since and until when. */
  readonly awaiting?: { readonly hook: string; readonly since: string; readonly deadline: string };
  /** The time of the last operator promote this release acted on (ISO 8601), so it acts once. */
  readonly promotedBy?: string;
}

export interface Halt {
  readonly error: string;
  readonly reason: string;
  /** The failed signals, briefly ("orders-5xx 4.7 > 1"), when signals halted it: what a notification shows. */
  readonly signals?: readonly string[];
  /** How many failed signals `signals` left out (it names at most a few); absent when none were. */
  readonly signalsOmitted?: number;
}

/** The error Step Functions' Catch adds at ResultPath "$.failure". */
export interface CaughtFailure {
  readonly Error: string;
  readonly Cause?: string;
}

/**
 * The fence this execution's tasks write under: its route, held by itself, at the fence Prepare took it
 * with. A state from before fences (none recorded) expects a lock without one (fence 0); a state
 * without a lock key has nothing to fence.
 */
export function fenceOf(state: ReleaseState): Fence | undefined {
  if (state.lockKey === undefined) return undefined;
  return { routeKey: state.lockKey, executionId: state.executionId, fence: state.fence ?? 0 };
}

/** Guards against a state written by another version of stepshift or edited by hand in the console. */
export function assertReleaseProgress(value: unknown): asserts value is ReleaseProgress {
  const state = value as Partial<ReleaseProgress> | null;
  if (!state || typeof state !== 'object' || state.v !== 2 || !Array.isArray(state.snapshot) || !state.plan) {
    throw new CorruptStateError(
      'the release state handed to this step is not one stepshift wrote (v2); start a new release instead of redriving this one',
    );
  }
}

/** As assertReleaseProgress, and the profile is there: loaded from the table (core/release/wire.ts). */
export function assertReleaseState(value: unknown): asserts value is ReleaseState {
  assertReleaseProgress(value);
  const { profile } = value as Partial<ReleaseState>;
  if (!profile || typeof profile !== 'object') {
    throw new CorruptStateError(
      'the release state handed to this step has no profile: it is the wire form, to be loaded with loadRelease first',
    );
  }
}

export function currentWeight(state: ReleaseProgress): number {
  return state.plan.steps[state.step]?.weight ?? 0;
}

/** What every event of a running release says about it. */
export function about(state: ReleaseProgress): { releaseId: string; service: string; version: string } {
  return { releaseId: state.releaseId, service: state.service, version: state.version };
}

/**
 * Lets go of the route's lock, so the next release of the route may start, and closes the release's
 * controls: no command or alarm can reach an ended release.
 */
export async function freeRoute(
  state: ReleaseState,
  deps: Pick<ReleaseDeps, 'locks' | 'controls'>,
): Promise<void> {
  // Only at this execution's fence: once the guard has taken the route over, it frees it.
  const fence = fenceOf(state);
  if (fence) await deps.locks.release(fence);
  await deps.controls.close(state.releaseId, state.service, state.executionId);
}
