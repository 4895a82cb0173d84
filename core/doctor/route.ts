import { RouteNotFoundError, UnsupportedRouteError } from '../errors.ts';
import type { RouteReading, Router, RouterKinds } from '../ports.ts';
import type { ReleaseProfile } from '../profile/profile.ts';
import { sideRouteProblem } from '../release/prepare.ts';
import { capacityProblem, serviceProblems } from '../release/route-checks.ts';
import { findStable } from '../targets.ts';
import { type DoctorCheck, finding, fromPrepare, ok, unchecked } from './check.ts';

/** How many of the template's existing targets doctor asks about, newest listed last. */
const CANDIDATES_ASKED = 3;

/** What doctor learnt of the route, for the checks that follow. */
export interface RouteFacts {
  readonly reading: RouteReading;
  readonly stable?: string;
  /** The stable's version, when the canary template names the stable ("orders-{version}" and "orders-v1": "v1"). */
  readonly stableVersion?: string;
}

/** The version a target name holds under the template, or undefined when the template does not name it. */
export function versionIn(template: string, name: string): string | undefined {
  const parts = template.split('{version}');
  if (parts.length < 2) return template === name ? '' : undefined;
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const match = new RegExp(`^${escaped.join('(.+?)')}$`).exec(name);
  if (!match) return undefined;
  const versions = match.slice(1);
  return versions.every((v) => v === versions[0]) ? versions[0] : undefined;
}

/**
 * The route exists, is one stepshift can drive, and sends all its traffic to one target: what Prepare
 * refuses first. Undefined facts when there is no route to go on with.
 */
export async function checkRoute(
  profile: ReleaseProfile,
  router: Router,
): Promise<{ checks: DoctorCheck[]; facts?: RouteFacts }> {
  let reading: RouteReading;
  try {
    reading = await router.read();
  } catch (error) {
    if (error instanceof RouteNotFoundError || error instanceof UnsupportedRouteError) {
      return { checks: [finding('router', error.message)] };
    }
    throw error;
  }
  const found = findStable(reading.targets);
  if ('problem' in found)
    return { checks: [finding('router', `${router.routeId}: ${found.problem}`)], facts: { reading } };
  const stable = found.stable.name;
  const stableVersion = versionIn(profile.targets.canary, stable);
  return {
    checks: [ok('router', `the route exists and sends all its traffic to ${stable}`)],
    facts: { reading, stable, ...(stableVersion === undefined ? {} : { stableVersion }) },
  };
}

/**
 * The canary template against the targets the router has (its optional targetNames): which existing
 * targets it names and whether they could take traffic now, or that the new version's target is still
 * to be deployed; then Prepare's own checks of the route with such a target (room for it, what the
 * router's service refuses, the strategy's side route).
 */
export async function checkCanary(
  profile: ReleaseProfile,
  router: Router,
  facts: RouteFacts,
  kinds: RouterKinds,
): Promise<DoctorCheck[]> {
  const template = profile.targets.canary;
  const field = 'targets.canary';
  const stable = facts.stable as string;
  const named =
    facts.stableVersion === undefined
      ? `; the stable ${stable} is not named by it, so a release adds a target of another naming beside it: check the template`
      : '';
  if (!router.targetNames) {
    return [
      unchecked(
        field,
        `the ${profile.router.type} router cannot list its targets, so "${template}" was not matched against them${named}`,
      ),
    ];
  }
  const candidates = (await router.targetNames())
    .filter((name) => name !== stable && versionIn(template, name) !== undefined)
    .slice(-CANDIDATES_ASKED);
  const ready: string[] = [];
  const notReady: string[] = [];
  for (const name of candidates) ((await router.targetExists(name)) ? ready : notReady).push(name);

  const checks: DoctorCheck[] = [];
  const describe = (name: string) => `${name} (version ${versionIn(template, name)})`;
  if (ready.length) {
    checks.push(
      ok(field, `"${template}" names ${ready.map(describe).join(', ')}, ready for traffic now${named}`),
    );
  }
  if (notReady.length) {
    checks.push(
      ok(
        field,
        `"${template}" names ${notReady.map(describe).join(', ')}, which cannot take traffic yet (no healthy target); a release of ${notReady.length > 1 ? 'those versions' : 'that version'} waits until it can`,
      ),
    );
  }
  if (!candidates.length) {
    checks.push(
      ok(
        field,
        `no target named by "${template}" exists yet besides the stable ${stable}; deploy ${template.replaceAll('{version}', '<version>')} before releasing <version>${named}`,
      ),
    );
  }
  // Prepare's checks of the route with the new version's target: a target that exists, or a name the
  // template would give one (for room on the route and the side route, which need no existing target).
  const canary = ready.at(-1) ?? notReady.at(-1) ?? template.replaceAll('{version}', 'doctor-check');
  const full = capacityProblem(router, facts.reading, canary);
  if (full) checks.push(fromPrepare(full, 'router'));
  if (ready.length || notReady.length) {
    for (const problem of await serviceProblems(router, facts.reading, canary))
      checks.push(fromPrepare(problem, 'router'));
  }
  const side = await sideRouteProblem(profile, router, facts.reading.targets, { stable, canary }, kinds);
  if (side) checks.push(finding('strategy', side));
  return checks;
}
