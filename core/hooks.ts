import type { CalledHook, Hook, HookPhase, ManualHook } from './shapes.ts';

// The profile's hooks block (its schema) is core/profile/hooks.ts: only what parses profiles loads it.

/** The called hooks of a phase, in the order the profile lists them. */
export function hooksOf(hooks: readonly Hook[] | undefined, phase: HookPhase): CalledHook[] {
  return (hooks ?? []).filter((h): h is CalledHook => h.phase === phase && h.type !== 'manual');
}

/** The manual confirmPromotion hook, if the profile has one. */
export function manualHookOf(hooks: readonly Hook[] | undefined): ManualHook | undefined {
  return (hooks ?? []).find((h): h is ManualHook => h.type === 'manual');
}
