import { firstServedAt, servedBetween, type WeightsAt, withdrawnAt } from './exposure.ts';

/**
 * One assessed rehearsal, read off its timeline: how long the bad version kept traffic after the
 * onset, how many requests it served, how far the release got, and whether `onFailure: "freeze"`
 * held it instead. A frozen release keeps its weights and waits for a person (core/release/analyze.ts
 * holds it, looking again at doubling intervals, until the execution's history runs short), so its
 * cell ends at the freeze: what follows is a person's decision, not the profile's.
 */

/** What a cell needs of a timeline entry: when, what happened, and the route's weights just after. */
export interface EventAt extends WeightsAt {
  readonly event: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The entry a release writes when a failed check freezes it (the Release Held event, why "frozen"). */
export const isFreeze = (entry: Pick<EventAt, 'event' | 'detail'>): boolean =>
  entry.event === 'release.held' && entry.detail.why === 'frozen';

export interface Exposure {
  /** Seconds from the onset until the new version had no traffic; null when it kept some. */
  readonly secondsToRollback: number | null;
  /** Requests the new version served from the onset until then, the freeze, or the release's end. */
  readonly badRequests: number;
  /** The highest step the release reached by then (1 is the first shift). */
  readonly stepReached: number;
  /** When the release froze (seconds into it), or null when it did not. */
  readonly frozenAt: number | null;
}

/** Steps reached by `until`: each shift that raised the target's weight above all before it. */
function stepsReached(timeline: readonly EventAt[], target: string, until: number): number {
  let highest = 0;
  let steps = 0;
  for (const e of timeline) {
    if (e.at > until || e.event !== 'traffic.shifted') continue;
    const weight = e.weights[target] ?? 0;
    if (weight > highest) {
      highest = weight;
      steps++;
    }
  }
  return steps;
}

/** The cell of a rehearsal whose new version `target` turned bad at `onset`, at `rps` requests/s. */
export function exposureOf(
  timeline: readonly EventAt[],
  target: string,
  onset: number,
  rps: number,
): Exposure {
  const frozen = timeline.find(isFreeze)?.at;
  const back =
    frozen !== undefined || firstServedAt(timeline, target) === undefined
      ? undefined
      : withdrawnAt(timeline, target, onset);
  const end = frozen ?? back ?? timeline[timeline.length - 1]?.at ?? onset;
  return {
    secondsToRollback: back === undefined ? null : Math.round((back - onset) * 1000) / 1000,
    badRequests: Math.round(servedBetween(timeline, target, rps, onset, end)),
    stepReached: stepsReached(timeline, target, end),
    frozenAt: frozen ?? null,
  };
}
