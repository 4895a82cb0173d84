import { readFile } from 'node:fs/promises';
import { describeRouting, PREDEFINED_CONFIGS } from '#core/codedeploy-configs.ts';
import { formatDuration } from '#core/duration.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { customConfigOf, HISTORY_EVENT_LIMIT, type Plan, planRelease } from '#core/plan.ts';
import type { TrafficRouting } from '#core/ports.ts';
import { parseProfile, type ReleaseProfile } from '#core/profile/profile.ts';
import { routeLabel } from '#core/profile/router.ts';
import { resolveStrategy } from '#core/release/resolve-strategy.ts';
import { sideRouteNames } from '#core/side-route.ts';
import { describeIssues } from '#core/validation.ts';
import { codedeployWorldSchema, lookupInWorld } from '#rehearsal/scenario-codedeploy.ts';
import { routerKinds } from '#routers/registry.ts';
import { EXIT, printJson } from './conventions.ts';

/** The plan as an operator reads it: each step's weight, when it starts, how long it bakes. */
function formatPlan(
  profile: ReleaseProfile,
  routeId: string,
  plan: Plan,
  config: string | undefined,
): string {
  const service = profile.service;
  const lines = [`${service}: ${plan.steps.length} step(s) on ${routeId}`];
  if (config) lines.push(`  ${config}`);
  // A step at 0 is blue/green's or A/B's: say which side route carries its traffic.
  const names = sideRouteNames(service);
  const side = profile.strategy.type === 'blue-green' ? names.test : names.cohort;
  for (const step of plan.steps) {
    const checks = step.checkSeconds.length;
    lines.push(
      `  step ${step.index + 1}  ${String(step.weight).padStart(3)}%  from ${formatDuration(step.startsAtSeconds).padEnd(8)} bakes ${formatDuration(step.bakeSeconds)}${checks > 1 ? `, checked ${checks} times` : ''}${step.weight === 0 ? `; production stays, matching requests go to the new version through ${side}` : ''}`,
    );
  }
  lines.push(`  promote 100% at ${formatDuration(plan.totalSeconds)}`);
  lines.push(
    `  ${plan.stateTransitions} state transitions, $${plan.priceUsd.toFixed(6)} per release; ~${plan.historyEvents} of ${HISTORY_EVENT_LIMIT} history events (estimated)`,
  );
  return lines.join('\n');
}

/**
 * The traffic routing of the CodeDeploy configuration a profile names: a predefined one from the
 * table, a custom one from a scenario's world.codedeploy (as its rehearsal's Prepare would read it).
 * "unknown" when a plain profile names a custom configuration, which only AWS can tell.
 */
async function routingOf(
  profile: ReleaseProfile,
  document: unknown,
): Promise<TrafficRouting | 'unknown' | undefined> {
  if (profile.strategy.type !== 'codedeploy') return undefined;
  const custom = customConfigOf(profile);
  if (custom === undefined) return PREDEFINED_CONFIGS[profile.strategy.config];
  const world = (document as { world?: { codedeploy?: unknown } }).world;
  if (world === undefined) return 'unknown';
  const configs = codedeployWorldSchema.safeParse(world.codedeploy);
  if (!configs.success) throw new InvalidRequestError(describeIssues(configs.error, 'world.codedeploy'));
  return resolveStrategy(profile, 'profile.strategy.config', {
    deploymentConfigs: { trafficRouting: async (name) => lookupInWorld(configs.data, name) },
  });
}

/**
 * `stepshift plan <file>`: validates a release profile (or a scenario's) and prints its plan and cost,
 * offline. A CodeDeploy strategy shows its configuration's traffic routing; a custom configuration is
 * planned from a scenario's world, and otherwise only named (Prepare reads it). Exit 0 when valid, 2
 * with every problem listed when not.
 */
export async function planCommand(
  file: string,
  flags: { json?: boolean },
  out: { write(text: string): unknown } = process.stdout,
  err: { write(text: string): unknown } = process.stderr,
): Promise<number> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const sentence = `${file} cannot be read as JSON: ${(error as Error).message}`;
    err.write(`${sentence}\n`);
    if (flags.json) printJson(out, { error: sentence });
    return EXIT.couldNotAsk;
  }
  const scenario = document && typeof document === 'object' && 'profile' in document;
  const raw = scenario ? (document as { profile: unknown }).profile : withoutSchemaKey(document);
  try {
    const profile = parseProfile(raw, routerKinds);
    const routeId = routeLabel(routerKinds, profile.router);
    const routing = await routingOf(profile, scenario ? document : {});
    const config = profile.strategy.type === 'codedeploy' ? profile.strategy.config : undefined;
    if (routing === 'unknown') {
      out.write(
        flags.json
          ? `${JSON.stringify({ service: profile.service, routeId, codedeployConfig: config, resolvedAt: 'Prepare' }, null, 2)}\n`
          : `${profile.service}: on ${routeId}, with the custom CodeDeploy configuration ${config}; Prepare reads it (GetDeploymentConfig) and plans its traffic routing when a release starts\n`,
      );
      return 0;
    }
    const plan = planRelease(profile, routing);
    const named = config && routing ? `${config} (${describeRouting(routing)})` : undefined;
    out.write(
      flags.json
        ? `${JSON.stringify({ service: profile.service, routeId, ...(config ? { codedeployConfig: config, routing } : {}), ...plan }, null, 2)}\n`
        : `${formatPlan(profile, routeId, plan, named)}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    err.write(`${file} cannot be released:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    if (flags.json) printJson(out, { error: `${file} cannot be released`, problems: error.problems });
    return EXIT.couldNotAsk;
  }
}

/** A profile file's `$schema` names its JSON Schema for an editor; profilesFrom drops it the same way. */
function withoutSchemaKey(document: unknown): unknown {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return document;
  const { $schema: _schema, ...profile } = document as Record<string, unknown>;
  return profile;
}
