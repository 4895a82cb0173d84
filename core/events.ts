import type { Signal } from './analysis.ts';
import type { OperatorCommand } from './controls.ts';
import type { HookPhase } from './hooks.ts';
import type { Target } from './targets.ts';
import type { TriggerKind } from './triggers/candidate.ts';

interface Base {
  readonly releaseId: string;
  readonly service: string;
}

/** Every event after Prepare knows the version being released. */
interface Known extends Base {
  readonly version: string;
}

/**
 * What a release tells the world as it goes: logged as JSON lines on AWS, printed as the rehearsal's
 * timeline. Every event that carries weights carries all of them.
 */
export type ReleaseEvent =
  | (Known & {
      readonly type: 'release.planned';
      /** What started the release: the request itself (console, CLI, CodePipeline), an EventBridge event, an ECR push. */
      readonly trigger: TriggerKind;
      readonly routeId: string;
      readonly stable: string;
      readonly canary: string;
      readonly snapshot: readonly Target[];
      readonly steps: readonly number[];
      /** The alarms every check reads; none means the release promotes on time alone. */
      readonly alarms: readonly string[];
      /** The metric checks every analysis judges, by name; absent when the profile has none. */
      readonly metrics?: readonly string[];
      readonly totalSeconds: number;
      readonly stateTransitions: number;
      readonly historyEvents: number;
      readonly priceUsd: number;
    })
  | (Known & {
      readonly type: 'traffic.shifted';
      readonly step: number;
      readonly steps: number;
      readonly targets: readonly Target[];
      /** The route already held these weights (a retried step), so nothing was written. */
      readonly unchanged: boolean;
    })
  | (Known & {
      readonly type: 'bake.started';
      readonly step: number;
      readonly check: number;
      readonly seconds: number;
    })
  | (Known & {
      readonly type: 'analysis.completed';
      readonly step: number;
      readonly check: number;
      readonly signals: readonly Signal[];
      readonly passed: boolean;
      readonly failedChecks: number;
      readonly failureThreshold: number;
    })
  | (Known & { readonly type: 'release.halted'; readonly error: string; readonly reason: string })
  | (Known & { readonly type: 'rollback.started'; readonly error: string; readonly reason: string })
  | (Known & { readonly type: 'release.promoted'; readonly targets: readonly Target[] })
  | (Known & {
      readonly type: 'release.rolled_back';
      readonly targets: readonly Target[];
      readonly error: string;
      readonly reason: string;
    })
  | (Known & {
      readonly type: 'release.finished';
      readonly outcome: 'promoted';
      readonly targets: readonly Target[];
    })
  | (Known & {
      readonly type: 'release.failed';
      readonly error: string;
      readonly reason: string;
      /**
       * The weights the route was left with; absent when the guard could not trust the record that
       * names the route (CorruptRecord), so it did not read it.
       */
      readonly targets?: readonly Target[];
    })
  | (Known & {
      readonly type: 'lock.taken_over';
      readonly routeId: string;
      /** The release whose execution held the route but no longer runs. */
      readonly from: { readonly releaseId: string; readonly executionId: string; readonly since: string };
    })
  | (Base & { readonly type: 'release.rejected'; readonly problems: readonly string[] })
  | (Known & {
      readonly type: 'release.retreating';
      readonly error: string;
      readonly reason: string;
      /** The weight the release steps back to next. */
      readonly weight: number;
    })
  | (Known & {
      readonly type: 'release.held';
      /**
       * "paused": an operator asked; "frozen": analysis failed and onFailure is "freeze"; "approval": a
       * manual confirmPromotion hook waits for stepshift approve or reject.
       */
      readonly why: 'paused' | 'frozen' | 'approval';
      readonly reason: string;
      readonly targets: readonly Target[];
    })
  | (Known & {
      readonly type: 'release.resumed';
      readonly by?: string;
      readonly after: 'paused' | 'frozen' | 'approval';
    })
  | (Known & {
      readonly type: 'operator.promoted';
      readonly full: boolean;
      readonly by?: string;
      readonly step: number;
    })
  | (Known & {
      readonly type: 'canary.waiting';
      /** Why the new version may not take traffic yet. */
      readonly reason: string;
      readonly waitedSeconds: number;
      readonly timeoutSeconds: number;
    })
  | (Known & { readonly type: 'release.not_ready'; readonly reason: string })
  | (Known & {
      readonly type: 'hook.finished';
      readonly hook: string;
      readonly phase: HookPhase;
      readonly result: 'pass' | 'fail';
      readonly reason: string;
      /** Whether a failure stops the release (pre-rollout, rollout, confirm) or is only reported. */
      readonly blocking: boolean;
    })
  | (Known & {
      readonly type: 'side_route.opened';
      /** The side route's name; it matches the release's route plus these headers. */
      readonly route: string;
      readonly headers: readonly string[];
      readonly target: string;
    })
  | (Known & {
      readonly type: 'side_route.closed';
      readonly route: string;
      /** False when it was already gone: an earlier attempt removed it, or it was never created. */
      readonly removed: boolean;
    })
  | (Base & {
      readonly type: 'alarm.triggered';
      readonly alarm: string;
      /** When the alarm went into ALARM, as CloudWatch's event says. */
      readonly at: string;
      /** Whether a waiting bake was ended at once, or the release was between bakes. */
      readonly delivered: boolean;
    })
  | (Base & {
      readonly type: 'operator.requested';
      readonly command: OperatorCommand;
      readonly by?: string;
      /** Whether a waiting bake was ended at once; otherwise the release acts at its next check. */
      readonly delivered: boolean;
    });
