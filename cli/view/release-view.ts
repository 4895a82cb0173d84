import type { LifecycleEvent } from '#core/lifecycle.ts';
import { lifecycleEventOf } from '#core/lifecycle.ts';
import type { Outcome } from '#core/outcome.ts';
import type { ReleaseEvent, Signal } from '#core/shapes.ts';

/**
 * What `stepshift watch`, `status` and `rehearse --watch` show of one release, folded from the events
 * it tells as it goes (the release's own ReleaseEvents, wherever they were read from). Pure: the same
 * events give the same view, live or replayed.
 */

/** One event of a release, as the view reads it: when (ms since the epoch, or virtual), what, and its detail. */
export interface ViewEvent {
  readonly at: number;
  readonly type: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Where a release is, in the words `stepshift list` and the views use. */
export type ViewState =
  | 'starting'
  | 'baking'
  | 'held for approval'
  | 'frozen'
  | 'paused'
  | 'rolling back'
  | 'promoting'
  | 'ended';

export interface ViewWeight {
  readonly target: string;
  readonly weight: number;
}

export interface ReleaseView {
  readonly releaseId: string;
  readonly service: string;
  readonly version?: string;
  /** What started it: the request, an EventBridge event, an ECR push. */
  readonly trigger?: string;
  /** When the first event came (same clock as the events). */
  readonly startedAt?: number;
  /** The plan's weights for the new version, one per step. */
  readonly steps: readonly number[];
  /** The step it is at, counted from 0; undefined before the first shift. */
  readonly step?: number;
  readonly canary?: string;
  readonly weights: readonly ViewWeight[];
  readonly state: ViewState;
  /** When the bake it waits in ends and the next check runs; undefined between bakes. */
  readonly nextCheckAt?: number;
  /** Each signal as the latest check read it. */
  readonly signals: readonly Signal[];
  /**
   * How many of the latest check's signals `signals` does not show: a real release's state carries at
   * most 8 (core/health/signals.ts's STATE_SIGNALS). Absent when none were left out.
   */
  readonly signalsOmitted?: number;
  readonly outcome?: Outcome;
  /** Why it halted, rolled back, failed or was rejected, or what it is held for. */
  readonly reason?: string;
}

export function emptyView(releaseId: string, service: string): ReleaseView {
  return { releaseId, service, steps: [], weights: [], state: 'starting', signals: [] };
}

const HELD: Record<string, ViewState> = { approval: 'held for approval', frozen: 'frozen', paused: 'paused' };

function weightsOf(targets: unknown): ViewWeight[] | undefined {
  if (!Array.isArray(targets)) return undefined;
  return (targets as { name: string; weight: number }[]).map((t) => ({ target: t.name, weight: t.weight }));
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** How many signals an event's list left out, when it says (a positive whole number). */
export function omittedOf(detail: Readonly<Record<string, unknown>>): number | undefined {
  const n = detail.signalsOmitted;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The view after one more event; events the view has no use for leave it as it was. */
export function applyEvent(view: ReleaseView, event: ViewEvent): ReleaseView {
  const d = event.detail;
  const seen = { ...view, startedAt: view.startedAt ?? event.at };
  const weights = weightsOf(d.targets);
  const ended = (outcome: Outcome, reason?: string): ReleaseView => {
    const { nextCheckAt: _, ...rest } = seen;
    return {
      ...rest,
      state: 'ended',
      outcome,
      ...(weights ? { weights } : {}),
      ...(reason ? { reason } : {}),
    };
  };
  switch (event.type) {
    // Read back from Step Functions (adapters/aws/sfn-release-observer.ts): who and what started it.
    case 'execution.started':
      return {
        ...seen,
        ...(text(d.service) ? { service: text(d.service) as string } : {}),
        ...(text(d.trigger) ? { trigger: text(d.trigger) } : {}),
      };
    case 'release.planned':
      return {
        ...seen,
        ...(text(d.service) ? { service: text(d.service) as string } : {}),
        ...(text(d.version) ? { version: text(d.version) } : {}),
        ...(text(d.trigger) ? { trigger: text(d.trigger) } : {}),
        ...(text(d.canary) ? { canary: text(d.canary) } : {}),
        steps: Array.isArray(d.steps) ? (d.steps as number[]) : [],
        weights: weightsOf(d.snapshot) ?? seen.weights,
      };
    case 'traffic.shifted':
      return {
        ...seen,
        step: typeof d.step === 'number' ? d.step : seen.step,
        weights: weights ?? seen.weights,
        state: seen.state === 'starting' || seen.state === 'rolling back' ? 'baking' : seen.state,
      };
    case 'bake.started':
      return {
        ...seen,
        ...(typeof d.seconds === 'number' ? { nextCheckAt: event.at + d.seconds * 1000 } : {}),
        state: seen.state === 'starting' ? 'baking' : seen.state,
      };
    case 'analysis.completed': {
      if (!Array.isArray(d.signals)) {
        const { nextCheckAt: _, ...rest } = seen;
        return rest;
      }
      // The check's count replaces the last one's, or its absence does.
      const { nextCheckAt: _, signalsOmitted: __, ...rest } = seen;
      const omitted = omittedOf(d);
      return { ...rest, signals: d.signals as Signal[], ...(omitted ? { signalsOmitted: omitted } : {}) };
    }
    case 'release.held':
      return {
        ...seen,
        state: HELD[text(d.why) ?? ''] ?? 'paused',
        weights: weights ?? seen.weights,
        ...(text(d.reason) ? { reason: text(d.reason) } : {}),
      };
    case 'release.resumed': {
      const { reason: _, ...rest } = seen;
      return { ...rest, state: 'baking' };
    }
    case 'release.halted':
    case 'rollback.started': {
      const { nextCheckAt: _, ...rest } = seen;
      return { ...rest, state: 'rolling back', ...(text(d.reason) ? { reason: text(d.reason) } : {}) };
    }
    case 'release.promoted': {
      const { nextCheckAt: _, ...rest } = seen;
      return { ...rest, state: 'promoting', weights: weights ?? seen.weights };
    }
    case 'release.finished':
      return ended('promoted');
    case 'release.rolled_back':
      return ended('rolled_back', text(d.reason));
    case 'release.failed':
      return ended('failed', text(d.reason));
    case 'release.rejected':
      return ended('rejected', Array.isArray(d.problems) ? (d.problems as string[]).join('; ') : undefined);
    // The rehearsal's own word on how the execution ended, for an end no release event tells.
    case 'execution.aborted':
      return seen.outcome ? seen : ended('stopped');
    case 'execution.failed':
      return seen.outcome ? seen : ended('failed', text(d.error));
    default:
      return seen;
  }
}

/** The view of these events, oldest first. */
export function viewOf(releaseId: string, service: string, events: readonly ViewEvent[]): ReleaseView {
  return events.reduce(applyEvent, emptyView(releaseId, service));
}

/** The bus's form of an event, when it is one a person is told about (core/lifecycle.ts). */
export function lifecycleOf(view: ReleaseView, event: ViewEvent): LifecycleEvent | undefined {
  return lifecycleEventOf({
    ...event.detail,
    type: event.type,
    releaseId: view.releaseId,
    service: view.service,
  } as ReleaseEvent);
}
