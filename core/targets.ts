import type { Cast, Target } from './shapes.ts';

function sameTarget(a: Target, b: Target): boolean {
  return a.name === b.name && a.weight === b.weight && a.port === b.port;
}

/** True when both lists hold the same targets with the same weights and ports, in any order. */
export function sameWeights(a: readonly Target[], b: readonly Target[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t) => b.some((u) => sameTarget(t, u)));
}

/** "orders-v1 90% · orders-v2 10%" */
export function describeTargets(targets: readonly Target[]): string {
  return targets
    .map((t) => `${t.name} ${t.weight}%${t.port === undefined ? '' : ` (port ${t.port})`}`)
    .join(' · ');
}

/**
 * The stable target: the one target that holds traffic at the start. A route split between two
 * versions, or sending nothing anywhere, cannot be released from; the returned string says why.
 */
export function findStable(targets: readonly Target[]): { stable: Target } | { problem: string } {
  const live = targets.filter((t) => t.weight > 0);
  if (live.length === 1) return { stable: live[0] as Target };
  if (live.length === 0)
    return {
      problem: 'no target on the route has weight above 0; there is no stable version to move traffic from',
    };
  return {
    problem: `the route is split between ${live.map((t) => `${t.name} (${t.weight})`).join(' and ')}; finish or roll back that release first so one version holds all traffic`,
  };
}

/**
 * The targets for a step: the canary gets `weight` percent, the stable the rest, every other target
 * keeps its entry untouched. A canary missing from the route is added with the stable's port. At 0
 * the route is the snapshot.
 */
export function weightsForStep(snapshot: readonly Target[], cast: Cast, weight: number): Target[] {
  // Blue/green's and A/B's step at 0 sends traffic through a side route: production stays as it was.
  if (weight === 0) return [...snapshot];
  const stable = snapshot.find((t) => t.name === cast.stable);
  const out = snapshot.map((t) => {
    if (t.name === cast.stable) return withWeight(t, 100 - weight);
    if (t.name === cast.canary) return withWeight(t, weight);
    return t;
  });
  if (!snapshot.some((t) => t.name === cast.canary)) {
    out.push(
      stable?.port === undefined
        ? { name: cast.canary, weight }
        : { name: cast.canary, weight, port: stable.port },
    );
  }
  return out;
}

/**
 * The fully promoted route: the canary holds 100 and the old stable entry is gone (so routes do not
 * collect zero-weight targets up to App Mesh's limit of 10); other targets are untouched.
 */
export function promotedWeights(snapshot: readonly Target[], cast: Cast): Target[] {
  const withCanary = weightsForStep(snapshot, cast, 100);
  return withCanary.filter((t) => t.name !== cast.stable);
}

function withWeight(target: Target, weight: number): Target {
  return target.port === undefined
    ? { name: target.name, weight }
    : { name: target.name, weight, port: target.port };
}
