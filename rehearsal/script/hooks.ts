import { isIP } from 'node:net';
import * as z from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, requiredString, show } from '#core/validation.ts';

/** The scenario's `world.hooks`: each hook's scripted answers over virtual time, by the hook's name. */

const HOOK_RESULTS = ['pass', 'fail', 'timeout', 'error'] as const;
const HOOK_ANSWER_FIELDS = ['at', 'result', 'reason', 'status', 'signedWith', 'resolvesTo'] as const;

const problem = (input: unknown) =>
  `${show(input)} is not a duration; write when the hook starts answering so as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"`;
const at = z.string({ error: (iss) => problem(iss.input) }).transform((text, ctx) => {
  const seconds = parseDuration(text);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: problem(text) });
    return z.NEVER;
  }
  return seconds;
});

const status = z
  .number({ error: (iss) => `${show(iss.input)} is not an HTTP status; give a number 100..599` })
  .int()
  .min(100, { error: (iss) => `${show(iss.input)} is not an HTTP status; give a number 100..599` })
  .max(599, { error: (iss) => `${show(iss.input)} is not an HTTP status; give a number 100..599` });

/**
 * A hook's answer from a virtual time on: pass or fail (a webhook answers 200 or `status`, default
 * 500), timeout (a webhook's call takes its whole timeout; a Lambda hook times out) or error (the
 * Lambda hook throws; the webhook cannot be reached). A webhook's receiver may check the request's
 * signature with a secret of world.secrets (`signedWith`: a request that does not verify is answered
 * 401), and its host may resolve to `resolvesTo` (what DNS answers then, checked as on AWS).
 */
export const hookAnswerSchema = z.strictObject(
  {
    at,
    result: z.enum(HOOK_RESULTS, {
      error: (iss) => `${show(iss.input)} is not a hook answer; use one of: ${HOOK_RESULTS.join(', ')}`,
    }),
    reason: z
      .string({ error: (iss) => `${show(iss.input)} is not text; give the hook's reason in words` })
      .optional(),
    status: status.optional(),
    signedWith: z.optional(
      requiredString('the name, in world.secrets, of the secret the receiver checks signatures with'),
    ),
    resolvesTo: z
      .array(
        z
          .string({
            error: (iss) => `${show(iss.input)} is not text; give an IP address, such as "52.94.0.1"`,
          })
          .refine((a) => isIP(a) !== 0, {
            error: (iss) =>
              `${show(iss.input)} is not an IP address; give one such as "52.94.0.1" or "2600:1f18::1"`,
          }),
        { error: (iss) => `is ${show(iss.input)}; give the addresses the host resolves to, as a list` },
      )
      .min(1, { error: 'is empty; give at least one address the host resolves to' })
      .optional(),
  },
  { error: objectError('a hook answer', HOOK_ANSWER_FIELDS) },
);
export type WorldHookAnswer = z.output<typeof hookAnswerSchema>;

export const hooksWorldSchema = z
  .record(
    requiredString('a hook name, as the profile names it'),
    z.array(hookAnswerSchema, {
      error: (iss) => `is ${show(iss.input)}; give a list of answers such as {"at": "0s", "result": "pass"}`,
    }),
    {
      error: (iss) =>
        `is ${show(iss.input)}; give each hook's answers by its name, e.g. {"smoke": [{"at": "0s", "result": "pass"}]}`,
    },
  )
  .default({});

type HookAnswers = Readonly<Record<string, readonly WorldHookAnswer[]>>;

/** A hook's scripted answer at this virtual time: the latest at or before it. */
export function hookAnswer(
  world: { readonly hooks: HookAnswers },
  hook: string,
  seconds: number,
): WorldHookAnswer | undefined {
  return world.hooks[hook]?.findLast((a) => a.at <= seconds);
}

/** Each answer whose `signedWith` names no secret of world.secrets: its path and what is wrong. */
export function unknownSigningSecrets(
  hooks: HookAnswers,
  secrets: readonly { readonly name: string }[],
): { path: (string | number)[]; message: string }[] {
  const names = secrets.map((s) => s.name);
  return Object.entries(hooks).flatMap(([hook, answers]) =>
    answers.flatMap((answer, i) =>
      answer.signedWith === undefined || names.includes(answer.signedWith)
        ? []
        : [
            {
              path: ['hooks', hook, i, 'signedWith'],
              message: `names ${show(answer.signedWith)}, which is not in world.secrets; name one of: ${names.join(', ') || '(none declared)'}`,
            },
          ],
    ),
  );
}
