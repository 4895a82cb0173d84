import { createHash } from 'node:crypto';
import { InvalidTargetsError, RouteDriftedError } from '#core/errors.ts';
import type { RouteReading } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { describeTargets, sameWeights } from '#core/targets.ts';

/**
 * What VPC Lattice and ALB forward actions share: weighted target groups, each weight an integer
 * 0..999, traffic split in proportion to the weights (a group's share is its weight over the sum).
 *
 * The scale: wire weight = percent. stepshift writes percentages that add up to 100, so each group's
 * share of traffic is exactly its percentage, and a weight read back is the percentage written: the
 * mapping round-trips exactly in both directions with no rounding. A scaled mapping (percent * 9, say)
 * would use more of the range but buy no precision, since core only ever writes whole percentages,
 * and it would turn weights a person wrote (like the default 1) into fractions on the way back. So a
 * route's other weights, and a snapshot taken from a route written by hand, are carried as they are.
 */
const MAX_WIRE_WEIGHT = 999;

/** The weight a forward action carries for a target's percentage. */
export function toWireWeight(percent: number): number {
  return percent;
}

/** The percentage core sees for a weight read from a forward action. */
export function fromWireWeight(weight: number): number {
  return weight;
}

/**
 * Every way these targets break a forward action's rules, so a write is refused here with a readable
 * message instead of by the service's ValidationException.
 * @param maxGroups Lattice: 10 target groups per forward action; ALB: 5.
 */
function targetGroupProblems(targets: readonly Target[], maxGroups: number, service: string): string[] {
  const problems: string[] = [];
  if (targets.length < 1 || targets.length > maxGroups) {
    problems.push(`a ${service} forward action holds 1 to ${maxGroups} target groups, not ${targets.length}`);
  }
  const names = new Set<string>();
  for (const t of targets) {
    if (typeof t.name !== 'string' || t.name.length === 0) problems.push('a target has no target group name');
    else if (names.has(t.name))
      problems.push(`${t.name} is listed twice; a forward action names each target group once`);
    names.add(t.name);
    if (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > MAX_WIRE_WEIGHT) {
      problems.push(
        `${t.name} has weight ${t.weight}; ${service} weights are whole numbers 0..${MAX_WIRE_WEIGHT}`,
      );
    }
    if (t.port !== undefined) {
      problems.push(
        `${t.name} has port ${t.port}; a ${service} target group carries its own port, a forward action none`,
      );
    }
  }
  return problems;
}

/** Refuses a write whose targets the service would refuse. */
export function assertWritable(
  routeId: string,
  targets: readonly Target[],
  maxGroups: number,
  service: string,
): void {
  const problems = targetGroupProblems(targets, maxGroups, service);
  if (problems.length) throw new InvalidTargetsError(`Refusing to write ${routeId}: ${problems.join('; ')}`);
}

/**
 * A revision for a service that keeps none: a short digest of what was read, so it changes whenever the
 * rule or action does.
 */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value), 'utf8').digest('hex').slice(0, 16);
}

/**
 * What a write starts from: the raw rule or listener behind `basedOn` when this router handed that
 * reading out (no second read), or a fresh read, refused with RouteDrifted when its weights are not the
 * reading's. None of these services has a conditional write, so the window between the read and the
 * write is the one a concurrent edit can slip through, as on App Mesh.
 */
export async function startingPoint<Raw>(
  routeId: string,
  basedOn: RouteReading | undefined,
  kept: WeakMap<RouteReading, Raw>,
  readAgain: () => Promise<{ reading: RouteReading; raw: Raw }>,
): Promise<Raw> {
  const known = basedOn && kept.get(basedOn);
  if (known) return known;
  const { reading, raw } = await readAgain();
  if (basedOn && !sameWeights(reading.targets, basedOn.targets)) {
    throw new RouteDriftedError(
      `${routeId} changed between the release's check and its write: expected ${describeTargets(basedOn.targets)}, found ${describeTargets(reading.targets)}`,
    );
  }
  return raw;
}
