import * as z from 'zod/mini';
import { functionName } from '../aws-names.ts';
import { parseDuration } from '../duration.ts';
import { requiredString, show, strictObject } from '../validation.ts';
import { SIGNATURE_HEADER } from '../webhook-auth.ts';
import { redactUrl, webhookUrlProblem } from '../webhook-url.ts';

/** When hooks run, by the names teams know from Flagger and CodeDeploy. */
const HOOK_PHASES = [
  'preRollout',
  'rollout',
  'confirmTrafficIncrease',
  'confirmPromotion',
  'postRollout',
  'rollback',
] as const;

const HOOK_TYPES = ['lambda', 'webhook', 'manual'] as const;

function hookDuration(what: string, max: number, maxText: string) {
  const problem = (input: unknown) => `${show(input)} is not a duration; write ${what} like 10s, 5m or 1h`;
  return z.pipe(
    z.string({ error: (iss) => problem(iss.input) }).check(
      z.refine((t) => (parseDuration(t) ?? 0) > 0, { error: (iss) => problem(iss.input) }),
      z.refine((t) => (parseDuration(t) ?? 0) <= max, {
        error: (iss) => `${show(iss.input)} is longer than ${maxText}; ${what} may be at most ${maxText}`,
      }),
    ),
    z.transform((t: string) => parseDuration(t) as number),
  );
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const hookName = requiredString('the hook\'s name, such as "smoke-test"', 64).check(
  z.regex(NAME, {
    error: (iss) => `${show(iss.input)} is not a hook name; use 1..64 letters, digits, ".", "_" or "-"`,
  }),
);
const phase = z.enum(HOOK_PHASES, {
  error: (iss) => `${show(iss.input)} is not a phase; use one of: ${HOOK_PHASES.join(', ')}`,
});

const lambdaHook = strictObject('a lambda hook', {
  name: hookName,
  phase,
  type: z.literal('lambda'),
  functionName: functionName(),
});

/** Secrets Manager's secret names (CreateSecret): ASCII letters, digits and /_+=.@- only, so never "*" or "?". */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete secret ARN: the name and the hyphen and six characters Secrets Manager adds to it. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$/;

const secretId = requiredString('the Secrets Manager secret: its name or its complete ARN', 2048).check(
  z.refine((id) => (id.startsWith('arn:') ? SECRET_ARN.test(id) : SECRET_NAME.test(id)), {
    error: (iss) =>
      String(iss.input).startsWith('arn:')
        ? `${show(iss.input)} is not a complete secret ARN; give arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<the six characters Secrets Manager added>, or the secret's name`
        : `${show(iss.input)} is not a secret name; use 1..512 letters, digits and / _ + = . @ -`,
  }),
);

/** Headers stepshift writes itself, or that frame the request: a secret may not replace them. */
const OWN_HEADERS = [
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'user-agent',
];
const headerName = requiredString('the header to send the secret in, such as "Authorization"', 64).check(
  z.regex(/^[A-Za-z][A-Za-z0-9-]*$/, {
    error: (iss) =>
      `${show(iss.input)} is not a header name; use letters, digits and "-", such as "Authorization"`,
  }),
  z.refine((name) => ![...OWN_HEADERS, SIGNATURE_HEADER.toLowerCase()].includes(name.toLowerCase()), {
    error: (iss) =>
      `${show(iss.input)} is a header stepshift sets itself; name another, such as "Authorization"`,
  }),
);

/**
 * The Secrets Manager secret a webhook's requests carry: by default stepshift signs each body with it
 * (X-Stepshift-Signature); with `header` it also, or instead (`sign: false`), sends the secret's value
 * in that header. docs/webhooks.md says how a receiver checks a signature.
 */
const webhookSecret = strictObject('a webhook secret', {
  secretId,
  sign: z._default(
    z.boolean({
      error: (iss) => `${show(iss.input)} is not true or false; say whether to sign each request`,
    }),
    true,
  ),
  header: z.optional(headerName),
}).check(
  z.refine((s) => s.sign || s.header !== undefined, {
    error: 'uses the secret for nothing; sign with it (sign: true) or name the header it goes in',
  }),
);

/** The https:// URL of a public endpoint; a refusal shows the URL redacted, as every text does. */
const webhookUrl = requiredString('the https:// URL to POST to', 2048).check(
  z.superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: `${show(redactUrl(url))} ${problem}` });
  }),
);

/**
 * A webhook's calls must fit in the function that runs them (two minutes, functions/timeouts.ts): at
 * most 30 s each, and at most two retries.
 */
const webhookHook = strictObject('a webhook hook', {
  name: hookName,
  phase,
  type: z.literal('webhook'),
  url: webhookUrl,
  timeout: z.prefault(hookDuration('how long one call may take', 30, '30s'), '10s'),
  retries: z._default(
    z
      .number({
        error: (iss) => `${show(iss.input)} is not a number; give the retries as a whole number 0..2`,
      })
      .check(
        z.int({ error: (iss) => `${show(iss.input)} is not a whole number; give the retries as 0..2` }),
        z.gte(0, { error: (iss) => `${show(iss.input)} is below 0; give the retries as 0..2` }),
        z.lte(2, { error: (iss) => `${show(iss.input)} is above 2; give the retries as 0..2` }),
      ),
    2,
  ),
  secret: z.optional(webhookSecret),
});

const manualHook = strictObject('a manual hook', {
  name: hookName,
  phase: z.literal('confirmPromotion', {
    error: (iss) =>
      `${show(iss.input)} cannot wait for a person; a manual hook is a confirmPromotion (stepshift approve or reject)`,
  }),
  type: z.literal('manual'),
  deadline: z.prefault(hookDuration('how long to wait for a person', 7 * 86_400, '7d (168h)'), '1h'),
  onExpiry: z._default(
    z.enum(['rollback', 'promote'], {
      error: (iss) => `${show(iss.input)} is not an expiry action; use "rollback" (the default) or "promote"`,
    }),
    'rollback',
  ),
});

const hookSchema = z.discriminatedUnion('type', [lambdaHook, webhookHook, manualHook], {
  error: (iss) =>
    iss.code === 'invalid_union' && 'discriminator' in iss
      ? `${show((iss.input as { type?: unknown } | undefined)?.type)} is not a hook type; use one of: ${HOOK_TYPES.join(', ')}`
      : `must be an object with a "type" (one of: ${HOOK_TYPES.join(', ')}), a "name" and a "phase"`,
});

export const hooksSchema = z
  .array(hookSchema, {
    error: 'must be a list of hooks such as {"name": "smoke", "phase": "preRollout", ...}',
  })
  .check(
    z.maxLength(20, { error: 'has more than 20 hooks' }),
    z.superRefine((hooks, ctx) => {
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
    }),
  );
