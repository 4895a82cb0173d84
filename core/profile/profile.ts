import * as z from 'zod/mini';
import { InvalidRequestError } from '../errors.ts';
import { oncePer } from '../once-per.ts';
import type { RouterKinds } from '../ports.ts';
import { describeIssues, requiredString, show, strictObject } from '../validation.ts';
import { analysisSchema, onFailureSchema } from './analysis.ts';
import { duration, NAME_PATTERN } from './duration.ts';
import { hooksSchema } from './hooks.ts';
import { OVERRIDABLE } from './request.ts';
import { routerSchemaFor } from './router.ts';
import { sourceSchema } from './source.ts';
import { strategySchema } from './strategy.ts';
import { targetsSchema } from './targets.ts';

/** The longest a release waits for its new version to be ready (the state machine's retry budget). */
const MAX_READINESS_SECONDS = 3600;

function buildProfileSchema(kinds: RouterKinds) {
  return strictObject('a release profile', {
    service: requiredString('the service name, such as "orders"', 128).check(
      z.regex(NAME_PATTERN, {
        error: 'may hold only letters, digits, ".", "_" and "-", starting with a letter or digit',
      }),
    ),
    router: routerSchemaFor(kinds),
    targets: targetsSchema,
    strategy: strategySchema,
    analysis: z._default(analysisSchema, { alarms: [], failureThreshold: 1, insufficientData: 'ignore' }),
    source: z.optional(sourceSchema),
    hooks: z.optional(hooksSchema).register(z.globalRegistry, {
      description:
        'Lambda functions, webhooks and a manual approval run at the release phases teams know from Flagger and CodeDeploy.',
    }),
    readinessTimeout: z.prefault(
      duration('how long to wait for the new version to be ready before giving up', {
        seconds: MAX_READINESS_SECONDS,
        tooLong: (input) =>
          `${show(input)} is longer than 1h; a release waits at most an hour for its new version to be ready`,
      }),
      '10m',
    ),
    onFailure: onFailureSchema,
    allowOverrides: z
      .optional(
        z.array(
          z.enum(OVERRIDABLE, {
            error: (iss) =>
              `${show(iss.input)} is not a block a request may override; use any of: ${OVERRIDABLE.join(', ')}`,
          }),
          { error: `must be a list of the blocks a request may set freely, such as ["strategy"]` },
        ),
      )
      .register(z.globalRegistry, {
        description:
          "Blocks a request's overrides may set freely, weaker than the profile's included; without them a request may only make a release stricter (docs/overrides.md).",
      }),
  }).check(
    z.superRefine((profile, ctx) => {
      // A router whose targets have narrower names (a Lattice or ALB target group) holds the template to them.
      const kind = kinds.find((k) => k.type === profile.router?.type);
      const template = profile.targets?.canary;
      const problem = kind && typeof template === 'string' ? kind.targetTemplateProblem(template) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['targets', 'canary'], message: problem });
    }),
  );
}

/** A service's release profile, its router block one of `kinds` (built once per list of kinds). */
export const profileSchemaFor = oncePer(buildProfileSchema);

export type ReleaseProfile = z.infer<ReturnType<typeof buildProfileSchema>>;
export type ProfileInput = z.input<ReturnType<typeof buildProfileSchema>>;

/**
 * Parses a service's release profile, its router one of `kinds` (routers/registry.ts's routerKinds).
 * @example parseProfile({ service: 'orders', router: {...}, targets: {...}, strategy: {...} }, routerKinds)
 * @throws InvalidRequestError listing every problem as "field: what is wrong; what is allowed".
 */
export function parseProfile(input: unknown, kinds: RouterKinds, where = 'profile'): ReleaseProfile {
  const result = profileSchemaFor(kinds).safeParse(input);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, where));
  return result.data;
}

/** The new version's target name, from the profile's template. */
export function canaryTarget(profile: ReleaseProfile, version: string): string {
  return profile.targets.canary.replaceAll('{version}', version);
}
