import { bounded, boundedList, TEXT_LIMITS } from '../bounded-text.ts';
import {
  CanaryNotReadyError,
  CanaryNotReadyYetError,
  InvalidRequestError,
  ReleaseInProgressError,
  RouteNotFoundError,
} from '../errors.ts';
import { applyOverrides } from '../overrides.ts';
import { planRelease } from '../plan.ts';
import type { ReleaseDeps, Router, RouterKinds } from '../ports.ts';
import { canaryTarget, profileSchemaFor, type ReleaseProfile } from '../profile/profile.ts';
import { type ReleaseRequest, requestSchema } from '../profile/request.ts';

import { judgeEcsService, notReadyReason } from '../readiness.ts';
import type { Cast, Target } from '../shapes.ts';
import { sideRouteOf } from '../side-route.ts';
import { findStable } from '../targets.ts';
import {
  describeCandidateIssues,
  isJsonObject,
  originOf,
  type RequestCandidate,
} from '../triggers/candidate.ts';
import { normaliseTrigger } from '../triggers/normalise.ts';
import { describeIssues, show } from '../validation.ts';
import { refuseWeakerOverrides } from './check-overrides.ts';
import { resolveStrategy } from './resolve-strategy.ts';
import { capacityProblem, missingAlarmsProblem, serviceProblems } from './route-checks.ts';
import type { ReleaseState } from './state.ts';
import { refuseIfBusy, takeRoute } from './take-route.ts';

/** The ports Prepare uses. */
export type PrepareDeps = Pick<
  ReleaseDeps,
  | 'profiles'
  | 'routerKinds'
  | 'deploymentConfigs'
  | 'routerFor'
  | 'health'
  | 'ecs'
  | 'clock'
  | 'events'
  | 'locks'
  | 'releaseProfiles'
  | 'ledger'
  | 'controls'
  | 'executions'
>;

export interface PrepareInput {
  /** The trigger's input, as the execution received it: a request or an EventBridge event (core/triggers/). */
  readonly request: unknown;
  /** The Step Functions context object's Execution ($$.Execution). */
  readonly execution: { readonly Id: string; readonly Name: string; readonly StartTime?: string };
}

/** What Prepare learnt about the release before refusing it, for the release.rejected event. */
interface Seen {
  service?: string;
  releaseId?: string;
}

/**
 * Normalises and checks everything before any weight moves: the trigger's payload, the request, the
 * service's profile, the plan, the route's starting state, the new version's target and the alarms;
 * then takes the route (lock, snapshot, release id). Writes no weights.
 * @throws InvalidRequestError with every problem found, each as a sentence.
 */
async function prepare(input: PrepareInput, deps: PrepareDeps, seen: Seen): Promise<ReleaseState> {
  const { request, profile: own, candidate } = await readRequestAndProfile(input.request, deps, seen);
  const profile = applyOverrides(own, request);
  const configField = request.overrides?.strategy
    ? originOf(candidate, ['overrides', 'strategy', 'config'])
    : 'profile.strategy.config';
  const plan = planRelease(profile, await resolveStrategy(profile, configField, deps));
  await refuseWeakerOverrides(own, request, plan, candidate, deps);
  const releaseId = request.releaseId ?? input.execution.Name;
  const router = await deps.routerFor(profile.router);

  let reading: Awaited<ReturnType<typeof router.read>>;
  try {
    reading = await router.read();
  } catch (error) {
    if (error instanceof RouteNotFoundError)
      throw new InvalidRequestError([`profile.router: ${error.message}`]);
    throw error;
  }
  const { staleHolder } = await refuseIfBusy(reading, input.execution.Id, deps);
  const problems: string[] = [];
  const found = findStable(reading.targets);
  const canary = canaryTarget(profile, request.version);
  if ('problem' in found) problems.push(`route ${router.routeId}: ${found.problem}`);
  else if (found.stable.name === canary) {
    problems.push(
      `${originOf(candidate, ['version'])}: ${canary} already receives all traffic on ${router.routeId}; nothing to release`,
    );
  }
  const full = capacityProblem(router, reading, canary);
  if (full) problems.push(full);
  if (!(await router.targetExists(canary))) {
    problems.push(
      `profile.targets.canary: ${canary} does not exist for ${router.routeId}; deploy the new version first`,
    );
  }
  problems.push(...(await serviceProblems(router, reading, canary)));
  if (profile.analysis.alarms.length) {
    const readings = await deps.health.readAlarms(profile.analysis.alarms);
    const missing = missingAlarmsProblem(profile.analysis.alarms, readings);
    if (missing) problems.push(missing);
  }
  if ('stable' in found) {
    const problem = await sideRouteProblem(
      profile,
      router,
      reading.targets,
      {
        stable: found.stable.name,
        canary,
      },
      deps.routerKinds,
    );
    const field = request.overrides?.strategy
      ? originOf(candidate, ['overrides', 'strategy'])
      : 'profile.strategy';
    if (problem) problems.push(`${field}: ${problem}`);
  }
  if (problems.length || 'problem' in found) throw new InvalidRequestError(problems);
  await awaitReadiness(profile, request.version, input.execution, deps);

  const cast = { stable: found.stable.name, canary };
  // Last, once the release can run: a refused request takes no lock and leaves its release id free.
  const { lockKey, fence } = await takeRoute(
    {
      releaseId,
      releaseIdField: originOf(candidate, ['releaseId']),
      executionId: input.execution.Id,
      profile,
      version: request.version,
      plan,
      router,
      reading,
      cast,
      ...(staleHolder ? { staleHolder } : {}),
    },
    deps,
  );

  const state: ReleaseState = {
    v: 2,
    releaseId,
    executionId: input.execution.Id,
    service: profile.service,
    version: request.version,
    profile,
    plan,

    cast,
    lockKey,
    fence,
    snapshot: reading.targets,
    written: null,
    step: 0,
    check: 0,
    failedChecks: 0,
    checkedAt: deps.clock.now().toISOString(),
    bakeSeconds: plan.steps[0]?.checkSeconds[0] ?? 1,
    next: 'shift',
  };
  await deps.events.emit({
    type: 'release.planned',
    releaseId,
    trigger: candidate.trigger,
    service: state.service,
    version: state.version,
    routeId: router.routeId,
    stable: state.cast.stable,
    canary,
    snapshot: state.snapshot,
    steps: plan.steps.map((s) => s.weight),
    alarms: profile.analysis.alarms,
    ...(profile.analysis.metrics?.length ? { metrics: profile.analysis.metrics.map((c) => c.name) } : {}),
    totalSeconds: plan.totalSeconds,
    stateTransitions: plan.stateTransitions,
    historyEvents: plan.historyEvents,
    priceUsd: plan.priceUsd,
  });
  return state;
}

/**
 * Why the strategy's side route (blue/green, A/B) cannot be opened beside this route: the router has no
 * side routes, or finds no room for one. Undefined for strategies without one.
 */
export async function sideRouteProblem(
  profile: ReleaseProfile,
  router: Router,
  snapshot: readonly Target[],
  cast: Cast,
  kinds: RouterKinds,
): Promise<string | undefined> {
  const side = sideRouteOf(profile, snapshot, cast);
  if (!side) return undefined;
  const able = kinds.filter((k) => k.sideRoutes).map((k) => k.title);
  if (!router.sideRouteProblem || !router.openSideRoute || !router.closeSideRoute) {
    const instead = able.length ? `${anyOf(able)} router, or ` : '';
    return `a ${profile.strategy.type} release sends its first traffic through a route of stepshift's own beside ${router.routeId}, and ${profile.router.type} routers cannot have one yet; use ${instead}a canary or all-at-once strategy`;
  }
  return router.sideRouteProblem(side);
}

/**
 * The trigger's payload normalised into a request, then the request and the service's profile checked
 * together so that one answer lists the problems of both, each naming the payload's own field. The
 * profile is looked up by the request's service even when the rest of the request is wrong.
 */
async function readRequestAndProfile(
  raw: unknown,
  deps: PrepareDeps,
  seen: Seen,
): Promise<{ request: ReleaseRequest; profile: ReleaseProfile; candidate: RequestCandidate }> {
  const candidate = await normaliseTrigger(raw, deps.profiles, deps.routerKinds);
  const asked = isJsonObject(candidate.request) ? candidate.request : {};
  if (typeof asked.service === 'string') seen.service = bounded(asked.service, TEXT_LIMITS.shown);
  const releaseId = requestSchema.shape.releaseId.safeParse(asked.releaseId).data;
  if (releaseId) seen.releaseId = releaseId;

  const parsedRequest = requestSchema.safeParse(candidate.request);
  const problems = parsedRequest.success ? [] : describeCandidateIssues(parsedRequest.error, candidate);
  const serviceIsWrong =
    !parsedRequest.success && parsedRequest.error.issues.some((i) => i.path[0] === 'service');
  let profile = candidate.profile;
  if (!profile && !serviceIsWrong && typeof asked.service === 'string') {
    const service = asked.service;
    const rawProfile = await deps.profiles.profileFor(service);
    if (rawProfile === undefined) {
      const known = await deps.profiles.services();
      problems.push(
        `${originOf(candidate, ['service'])}: no release profile for ${show(service)}; profiles exist for: ${known.join(', ') || '(none)'}`,
      );
    } else {
      const parsedProfile = profileSchemaFor(deps.routerKinds).safeParse(rawProfile);
      if (parsedProfile.success) profile = parsedProfile.data;
      else problems.push(...describeIssues(parsedProfile.error, 'profile'));
    }
  }
  if (problems.length || !parsedRequest.success || !profile) throw new InvalidRequestError(problems);
  return { request: parsedRequest.data, profile, candidate };
}

/**
 * Before the route is taken: the new version's ECS service, when the profile names one, must be
 * steady. Not yet: CanaryNotReadyYet, which the state machine retries (every 15 s, backing off to a
 * minute); still not at readinessTimeout, counted from the execution's start: CanaryNotReady.
 */
async function awaitReadiness(
  profile: ReleaseProfile,
  version: string,
  execution: PrepareInput['execution'],
  deps: PrepareDeps,
): Promise<void> {
  const target = profile.targets.ecsService;
  if (!target) return;
  const service = target.service.replaceAll('{version}', version);
  const name = `${target.cluster}/${service}`;
  const readiness = judgeEcsService(name, await deps.ecs.describe(target.cluster, service));
  if (readiness.ready) return;
  const now = deps.clock.now().getTime();
  const started = execution.StartTime ? Date.parse(execution.StartTime) : now;
  const waitedSeconds = Math.max(0, Math.round((now - started) / 1000));
  const timeoutSeconds = profile.readinessTimeout;
  const about = { releaseId: execution.Name, service: profile.service, version };
  if (readiness.final || waitedSeconds >= timeoutSeconds) {
    const reason = notReadyReason(readiness.reason, waitedSeconds, timeoutSeconds);
    await deps.events.emit({ type: 'release.not_ready', ...about, reason });
    throw new CanaryNotReadyError(reason);
  }
  await deps.events.emit({
    type: 'canary.waiting',
    ...about,
    reason: readiness.reason,
    waitedSeconds,
    timeoutSeconds,
  });
  throw new CanaryNotReadyYetError(readiness.reason);
}

/**
 * prepareRelease, telling the world when a request is refused before the error ends the execution.
 */
export async function prepareOrReject(input: PrepareInput, deps: PrepareDeps): Promise<ReleaseState> {
  const seen: Seen = {};
  try {
    return await prepare(input, deps, seen);
  } catch (error) {
    if (error instanceof InvalidRequestError || error instanceof ReleaseInProgressError) {
      await deps.events.emit({
        type: 'release.rejected',
        releaseId: seen.releaseId ?? input.execution.Name,
        service: seen.service ?? '(unknown)',
        // Each problem is bounded already (InvalidRequestError); so many of them are not.
        problems: error instanceof InvalidRequestError ? boundedList(error.problems) : [error.message],
      });
    }
    throw error;
  }
}

/** "an App Mesh, VPC Lattice or ALB": the choices as one phrase, with the article the first one takes. */
function anyOf(titles: readonly string[]): string {
  const list = titles.length > 1 ? `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}` : `${titles[0]}`;
  return `${/^[AEIOU]/.test(list) ? 'an' : 'a'} ${list}`;
}
