import { z } from 'zod';
import { functionName } from './aws-names.ts';
import { parseDuration } from './duration.ts';
import type { Target } from './targets.ts';
import { requiredString, show, strictObject } from './validation.ts';

/** When hooks run, by the names teams know from Flagger and CodeDeploy. */
export const HOOK_PHASES = [
  'preRollout',
  'rollout',
  'confirmTrafficIncrease',
  'confirmPromotion',
  'postRollout',
  'rollback',
] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

const HOOK_TYPES = ['lambda', 'webhook', 'manual'] as const;

function hookDuration(what: string, max: number, maxText: string) {
  const problem = (input: unknown) => `${show(input)} is not a duration; write ${what} like 10s, 5m or 1h`;
  return z
    .string({ error: (iss) => problem(iss.input) })
    .refine((t) => (parseDuration(t) ?? 0) > 0, { error: (iss) => problem(iss.input) })
    .refine((t) => (parseDuration(t) ?? 0) <= max, {
      error: (iss) => `${show(iss.input)} is longer than ${maxText}; ${what} may be at most ${maxText}`,
    });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const hookName = requiredString('the hook\'s name, such as "smoke-test"', 64).regex(NAME, {
  error: (iss) => `${show(iss.input)} is not a hook name; use 1..64 letters, digits, ".", "_" or "-"`,
});
const phase = z.enum(HOOK_PHASES, {
  error: (iss) => `${show(iss.input)} is not a phase; use one of: ${HOOK_PHASES.join(', ')}`,
});

const lambdaHook = strictObject('a lambda hook', {
  name: hookName,
  phase,
  type: z.literal('lambda'),
  functionName: functionName(),
});

/**
 * A webhook's calls must fit in the function that runs them (two minutes, functions/timeouts.ts): at
 * most 30 s each, and at most two retries.
 */
const webhookHook = strictObject('a webhook hook', {
  name: hookName,
  phase,
  type: z.literal('webhook'),
  url: requiredString('the https:// URL to POST to', 2048).refine((u) => /^https:\/\/[^\s/]+/.test(u), {
    error: (iss) => `${show(iss.input)} is not an https:// URL; webhooks are called over HTTPS only`,
  }),
  timeout: hookDuration('how long one call may take', 30, '30s').default('10s'),
  retries: z
    .number({ error: (iss) => `${show(iss.input)} is not a number; give the retries as a whole number 0..2` })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; give the retries as 0..2` })
    .min(0, { error: (iss) => `${show(iss.input)} is below 0; give the retries as 0..2` })
    .max(2, { error: (iss) => `${show(iss.input)} is above 2; give the retries as 0..2` })
    .default(2),
});

const manualHook = strictObject('a manual hook', {
  name: hookName,
  phase: z.literal('confirmPromotion', {
    error: (iss) =>
      `${show(iss.input)} cannot wait for a person; a manual hook is a confirmPromotion (stepshift approve or reject)`,
  }),
  type: z.literal('manual'),
  deadline: hookDuration('how long to wait for a person', 7 * 86_400, '7d (168h)').default('1h'),
  onExpiry: z
    .enum(['rollback', 'promote'], {
      error: (iss) => `${show(iss.input)} is not an expiry action; use "rollback" (the default) or "promote"`,
    })
    .default('rollback'),
});

export const hookSchema = z.discriminatedUnion('type', [lambdaHook, webhookHook, manualHook], {
  error: (iss) =>
    iss.code === 'invalid_union' && 'discriminator' in iss
      ? `${show((iss.input as { type?: unknown } | undefined)?.type)} is not a hook type; use one of: ${HOOK_TYPES.join(', ')}`
      : `must be an object with a "type" (one of: ${HOOK_TYPES.join(', ')}), a "name" and a "phase"`,
});

export const hooksSchema = z
  .array(hookSchema, {
    error: 'must be a list of hooks such as {"name": "smoke", "phase": "preRollout", ...}',
  })
  .max(20, { error: 'has more than 20 hooks' })
  .superRefine((hooks, ctx) => {
    const seen = new Set<string>();
    hooks.forEach((h, i) => {
      if (seen.has(h.name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `repeats the hook name "${h.name}"; name each hook once`,
        });
      seen.add(h.name);
    });
    const manual = hooks.filter((h) => h.type === 'manual');
    if (manual.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          "has more than one manual hook; one person's approval (stepshift approve) confirms a promotion",
      });
    }
  });

export type Hook = z.infer<typeof hookSchema>;
export type ManualHook = Extract<Hook, { type: 'manual' }>;
export type CalledHook = Exclude<Hook, ManualHook>;

/** What a hook is told: the release, the phase, and the route's weights. */
export interface HookCall {
  readonly releaseId: string;
  readonly service: string;
  readonly version: string;
  readonly phase: HookPhase;
  readonly step: number;
  readonly targets: readonly Target[];
}

/** A hook's answer: pass or fail, with its reason in words. */
export interface HookResult {
  readonly result: 'pass' | 'fail';
  readonly reason: string;
}

/** Runs a Lambda or webhook hook; never throws for the hook's own failure, only returns "fail". */
export interface HookRunner {
  run(hook: CalledHook, call: HookCall): Promise<HookResult>;
}

/** The called hooks of a phase, in the order the profile lists them. */
export function hooksOf(hooks: readonly Hook[] | undefined, phase: HookPhase): CalledHook[] {
  return (hooks ?? []).filter((h): h is CalledHook => h.phase === phase && h.type !== 'manual');
}

/** The manual confirmPromotion hook, if the profile has one. */
export function manualHookOf(hooks: readonly Hook[] | undefined): ManualHook | undefined {
  return (hooks ?? []).find((h): h is ManualHook => h.type === 'manual');
}
