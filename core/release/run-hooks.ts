import { bounded } from '../bounded-text.ts';
import { HookFailedError } from '../errors.ts';
import { hooksOf } from '../hooks.ts';
import type { ReleaseDeps } from '../ports.ts';
import type { HookPhase, Target } from '../shapes.ts';

import { about, type ReleaseState } from './state.ts';

/** Phases whose failing hook stops the release; the others' failures are reported only. */
const BLOCKING: ReadonlySet<HookPhase> = new Set([
  'preRollout',
  'rollout',
  'confirmTrafficIncrease',
  'confirmPromotion',
]);

/**
 * Runs the profile's Lambda and webhook hooks of a phase, in order, each told the release, the phase
 * and the route's weights; reports each result and returns them all.
 */
export async function runHooks(
  phase: HookPhase,
  state: ReleaseState,
  targets: readonly Target[],
  deps: Pick<ReleaseDeps, 'hooks' | 'events'>,
): Promise<{ name: string; result: 'pass' | 'fail'; reason: string }[]> {
  const results: { name: string; result: 'pass' | 'fail'; reason: string }[] = [];
  for (const hook of hooksOf(state.profile.hooks, phase)) {
    const answered = await deps.hooks.run(hook, {
      ...about(state),
      phase,
      step: state.step,
      targets,
    });
    // A hook's reason is its author's text, of any length: it reaches events, the state and causes.
    const answer = { result: answered.result, reason: bounded(answered.reason) };
    await deps.events.emit({
      type: 'hook.finished',
      ...about(state),
      hook: hook.name,
      phase,
      ...answer,
      blocking: BLOCKING.has(phase),
    });
    results.push({ name: hook.name, ...answer });
  }
  return results;
}

/** The failed hooks of a phase in words, or undefined when none failed. */
export function hookFailures(
  phase: HookPhase,
  results: readonly { name: string; result: 'pass' | 'fail'; reason: string }[],
): string | undefined {
  const failed = results.filter((r) => r.result === 'fail');
  if (!failed.length) return undefined;
  return `${phase} hook ${failed.map((f) => `${f.name} failed (${f.reason})`).join('; ')}`;
}

/** Runs a blocking phase's hooks; the first failures stop the release (HookFailed). */
export async function requireHooks(
  phase: HookPhase,
  state: ReleaseState,
  targets: readonly Target[],
  deps: Pick<ReleaseDeps, 'hooks' | 'events'>,
): Promise<void> {
  const failed = hookFailures(phase, await runHooks(phase, state, targets, deps));
  if (failed) throw new HookFailedError(`${failed}, at step ${state.step + 1}; nothing more was shifted`);
}
