/**
 * Traffic over a release's timeline: how many requests a target served between two moments, at a
 * steady request rate, from the route's weights as a rehearsal records them (each entry holds the
 * weights just after it, and they hold until the next entry). Before the first entry the target
 * serves nothing.
 */

/** What exposure needs of a timeline entry: when, and the route's weights (target -> percent) then. */
export interface WeightsAt {
  readonly at: number;
  readonly weights: Readonly<Record<string, number>>;
}

const shareAt = (entry: WeightsAt | undefined, target: string) => (entry?.weights[target] ?? 0) / 100;

/** Requests `target` served in [from, to) at `rps` requests per second. */
export function servedBetween(
  timeline: readonly WeightsAt[],
  target: string,
  rps: number,
  from: number,
  to: number,
): number {
  let served = 0;
  timeline.forEach((entry, i) => {
    const start = Math.max(entry.at, from);
    const end = Math.min(timeline[i + 1]?.at ?? Number.POSITIVE_INFINITY, to);
    const share = shareAt(entry, target);
    if (share > 0 && end > start) served += rps * share * (end - start);
  });
  return served;
}

/** When `target` first carries traffic, if it ever does. */
export function firstServedAt(timeline: readonly WeightsAt[], target: string): number | undefined {
  return timeline.find((e) => shareAt(e, target) > 0)?.at;
}

/** When `target`'s traffic goes back to none after `after`, if it does. */
export function withdrawnAt(
  timeline: readonly WeightsAt[],
  target: string,
  after: number,
): number | undefined {
  return timeline.find(
    (e, i) => e.at >= after && i > 0 && shareAt(e, target) === 0 && shareAt(timeline[i - 1], target) > 0,
  )?.at;
}
