import type { AlarmReading, RouteReading, Router } from '../ports.ts';

/**
 * Checks Prepare makes before any weight moves and `stepshift doctor` makes before the first release,
 * written once so both say the same thing.
 */

/** Why this route has no room for `canary` beside what it holds, or undefined when it has. */
export function capacityProblem(router: Router, reading: RouteReading, canary: string): string | undefined {
  if (reading.targets.some((t) => t.name === canary) || reading.targets.length < router.maxTargets)
    return undefined;
  return `route ${router.routeId}: it already has ${reading.targets.length} targets, the most this router allows; remove unused ones before adding ${canary}`;
}

/** What the router's service would refuse in releasing `canary` through this route (releaseProblems). */
export async function serviceProblems(
  router: Router,
  reading: RouteReading,
  canary: string,
): Promise<string[]> {
  return ((await router.releaseProblems?.(reading, canary)) ?? []).map(
    (problem) => `route ${router.routeId}: ${problem}`,
  );
}

/** The profile's alarms CloudWatch does not have, as one sentence; undefined when every one exists. */
export function missingAlarmsProblem(
  names: readonly string[],
  readings: readonly AlarmReading[],
): string | undefined {
  const missing = names.filter((name) => !readings.some((r) => r.name === name));
  if (!missing.length) return undefined;
  return `profile.analysis.alarms: no CloudWatch alarm named ${missing.map((n) => `"${n}"`).join(', ')}; a release cannot be gated on an alarm that does not exist`;
}
