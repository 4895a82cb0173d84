import { readFile } from 'node:fs/promises';
import { formatDuration } from '#core/duration.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { HISTORY_EVENT_LIMIT, type Plan, planRelease } from '#core/plan.ts';
import { parseProfile, type ReleaseProfile, routeLabel } from '#core/profile.ts';
import { sideRouteNames } from '#core/side-route.ts';

/** The plan as an operator reads it: each step's weight, when it starts, how long it bakes. */
function formatPlan(profile: ReleaseProfile, routeId: string, plan: Plan): string {
  const service = profile.service;
  const lines = [`${service}: ${plan.steps.length} step(s) on ${routeId}`];
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
 * `stepshift plan <file>`: validates a release profile (or a scenario's) and prints its plan and cost,
 * offline. Exit 0 when valid, 2 with every problem listed when not.
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
    err.write(`${file} cannot be read as JSON: ${(error as Error).message}\n`);
    return 2;
  }
  const raw =
    document && typeof document === 'object' && 'profile' in document
      ? (document as { profile: unknown }).profile
      : document;
  try {
    const profile = parseProfile(raw);
    const plan = planRelease(profile);
    const routeId = routeLabel(profile.router);
    out.write(
      flags.json
        ? `${JSON.stringify({ service: profile.service, routeId, ...plan }, null, 2)}\n`
        : `${formatPlan(profile, routeId, plan)}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    err.write(`${file} cannot be released:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
}
