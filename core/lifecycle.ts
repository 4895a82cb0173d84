import type { ReleaseEvent, Target } from './shapes.ts';

/** The `source` of every event stepshift puts on the bus; rules match on it. */
export const LIFECYCLE_SOURCE = 'stepshift';

/**
 * The detail-types a team's EventBridge rules match on, one per moment worth telling a person about.
 * Bakes and individual analyses stay in the logs: they come every interval and would flood a channel.
 */
export const LIFECYCLE_DETAIL_TYPES = {
  'release.planned': 'Release Started',
  'traffic.shifted': 'Traffic Shifted',
  'release.promoted': 'Release Promoted',
  'release.finished': 'Release Finished',
  'release.rolled_back': 'Release Rolled Back',
  'release.failed': 'Release Failed',
  'release.rejected': 'Release Rejected',
  'lock.taken_over': 'Release Lock Taken Over',
  'release.held': 'Release Held',
  'release.resumed': 'Release Resumed',
  'release.retreating': 'Release Stepping Back',
  'release.not_ready': 'Release Not Ready',
} as const satisfies Partial<Record<ReleaseEvent['type'], string>>;

export type LifecycleDetailType = (typeof LIFECYCLE_DETAIL_TYPES)[keyof typeof LIFECYCLE_DETAIL_TYPES];

/** One target's share of the route, as lifecycle events carry it. */
export interface LifecycleWeight {
  readonly target: string;
  readonly weight: number;
  readonly port?: number;
}

/** What a lifecycle event's `detail` holds; every field but these four depends on the detail-type. */
export interface LifecycleDetail {
  readonly releaseId: string;
  readonly service: string;
  readonly version?: string;
  /**
   * The route's weights after the moment the event reports; absent for a rejected request, and for a
   * guard that could not trust the record naming the route (Release Failed, CorruptRecord).
   */
  readonly weights?: readonly LifecycleWeight[];
  readonly [field: string]: unknown;
}

export interface LifecycleEvent {
  readonly detailType: LifecycleDetailType;
  readonly detail: LifecycleDetail;
}

const weightsOf = (targets: readonly Target[]): LifecycleWeight[] =>
  targets.map((t) => ({
    target: t.name,
    weight: t.weight,
    ...(t.port === undefined ? {} : { port: t.port }),
  }));

/** The bus event for a release event, or undefined for events that only go to the logs. */
export function lifecycleEventOf(event: ReleaseEvent): LifecycleEvent | undefined {
  switch (event.type) {
    case 'release.planned': {
      const { type, snapshot, ...rest } = event;
      return { detailType: LIFECYCLE_DETAIL_TYPES[type], detail: { ...rest, weights: weightsOf(snapshot) } };
    }
    case 'traffic.shifted': {
      const { type, targets, step, ...rest } = event;
      // Steps count from 1 for people; the state machine counts from 0.
      return {
        detailType: LIFECYCLE_DETAIL_TYPES[type],
        detail: { ...rest, step: step + 1, weights: weightsOf(targets) },
      };
    }
    case 'release.rolled_back': {
      const { type, targets, step, ...rest } = event;
      return {
        detailType: LIFECYCLE_DETAIL_TYPES[type],
        detail: { ...rest, ...(step === undefined ? {} : { step: step + 1 }), weights: weightsOf(targets) },
      };
    }
    case 'release.promoted':
    case 'release.held':
    case 'release.finished':
    case 'release.failed': {
      const { type, targets, ...rest } = event;
      return {
        detailType: LIFECYCLE_DETAIL_TYPES[type],
        detail: { ...rest, ...(targets === undefined ? {} : { weights: weightsOf(targets) }) },
      };
    }
    case 'lock.taken_over':
    case 'release.resumed':
    case 'release.retreating':
    case 'release.not_ready':
    case 'release.rejected': {
      const { type, ...rest } = event;
      return { detailType: LIFECYCLE_DETAIL_TYPES[type], detail: rest };
    }
    default:
      return undefined;
  }
}
