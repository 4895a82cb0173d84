import * as z from 'zod/mini';
import { awsName, CODEDEPLOY_CONFIG_NAME } from '../aws-names.ts';
import { PREDEFINED_CONFIGS, predefinedProblem, routingSteps } from '../codedeploy-configs.ts';
import { headerMatchSchema } from '../header-match.ts';
import { requiredString, show, strictObject } from '../validation.ts';
import { duration, percentage } from './duration.ts';

const canaryStrategySchema = strictObject('a canary strategy', {
  type: z.literal('canary'),
  steps: z.array(percentage(), { error: 'must be a list of weights such as [10, 25, 50]' }).check(
    z.minLength(1, { error: 'is empty; list at least one weight, such as [10, 25, 50]' }),
    z.maxLength(99, { error: 'has more than 99 steps' }),
    z.superRefine((steps, ctx) => {
      for (let i = 1; i < steps.length; i++) {
        const prev = steps[i - 1] as number;
        const cur = steps[i] as number;
        if (cur <= prev) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `${cur} is not above the previous step (${prev}); weights must rise step by step`,
          });
        }
      }
    }),
  ),
  interval: duration('the time each step bakes'),
});

const allAtOnceStrategySchema = strictObject('an all-at-once strategy', {
  type: z.literal('all-at-once'),
  bake: duration('how long to watch the new version at 100% before promoting'),
});

const linearStrategySchema = strictObject('a linear strategy', {
  type: z.literal('linear'),
  stepPercent: z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give the percentage each step adds, 1..99`,
    })
    .check(
      z.int({
        error: (iss) => `${show(iss.input)} is not a whole number; give the percentage each step adds, 1..99`,
      }),
      z.gte(1, { error: (iss) => `${show(iss.input)} is below 1; each step must add some traffic (1..99)` }),
      z.lte(99, {
        error: (iss) =>
          `${show(iss.input)} is above 99; a linear release needs a step below 100 (for all traffic at once, use "all-at-once")`,
      }),
    ),
  interval: duration('the time each step bakes'),
});

const codedeployStrategySchema = strictObject('a CodeDeploy strategy', {
  type: z.literal('codedeploy'),
  // CodeDeploy's deploymentConfigName is 1..100 characters.
  config: awsName(
    CODEDEPLOY_CONFIG_NAME,
    'a CodeDeploy deployment configuration name, such as "CodeDeployDefault.ECSCanary10Percent5Minutes"',
    'the configuration',
  ).check(
    z.superRefine((name, ctx) => {
      if (!CODEDEPLOY_CONFIG_NAME.pattern.test(name)) return;
      const problem = predefinedProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', input: name, message: problem });
    }),
  ),
  bake: z
    .optional(
      duration(
        'how long to watch the new version at 100% before promoting, for an all-at-once configuration',
      ),
    )
    .register(z.globalRegistry, {
      description:
        'For configurations that shift all traffic at once (CodeDeployDefault.ECSAllAtOnce, LambdaAllAtOnce, or a custom AllAtOnce): how long the new version is watched at 100% before the release promotes.',
    }),
}).check(
  z.superRefine((strategy, ctx) => {
    // A predefined configuration is known offline, so its bake is checked here; a custom one at Prepare.
    const routing = PREDEFINED_CONFIGS[strategy.config];
    if (!routing) return;
    const steps = routingSteps(routing, strategy.bake);
    if (typeof steps === 'string') {
      ctx.addIssue({
        code: 'custom',
        path: [strategy.bake === undefined ? 'config' : 'bake'],
        message: `${strategy.config} ${steps}`,
      });
    }
  }),
);

/**
 * Blue/green with test traffic: requests carrying the header reach the new version through a route of
 * stepshift's own while production stays put; then production moves at once and bakes.
 */
const blueGreenStrategySchema = strictObject('a blue-green strategy', {
  type: z.literal('blue-green'),
  testHeader: strictObject('a test header', {
    name: requiredString('the header test requests carry, such as "x-stepshift-preview"', 50),
    value: requiredString('the exact value test requests carry in it, such as "true"'),
  }),
  bake: duration('how long to watch test traffic, and then production at 100%, before promoting'),
});

/** A/B: only the cohort's requests reach the new version while it is analysed; then promote or roll back. */
const abStrategySchema = strictObject('an ab strategy', {
  type: z.literal('ab'),
  match: strictObject('a cohort match', {
    headers: z
      .array(headerMatchSchema, {
        error: 'must be a list of header matches such as [{"name": "x-cohort", "match": {"exact": "b"}}]',
      })
      .check(
        z.minLength(1, { error: 'is empty; name at least one header the cohort carries' }),
        z.maxLength(10, { error: 'has more than 10 headers; App Mesh matches at most 10 per route' }),
      ),
  }),
  bake: duration("how long to analyse the cohort's traffic before promoting"),
});

const STRATEGY_TYPES = ['canary', 'linear', 'all-at-once', 'codedeploy', 'blue-green', 'ab'] as const;

export const strategySchema = z.discriminatedUnion(
  'type',
  [
    canaryStrategySchema,
    linearStrategySchema,
    allAtOnceStrategySchema,
    codedeployStrategySchema,
    blueGreenStrategySchema,
    abStrategySchema,
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union' && 'discriminator' in iss
        ? `${show((iss.input as { type?: unknown } | undefined)?.type)} is not a strategy stepshift knows; use one of: ${STRATEGY_TYPES.join(', ')}`
        : `must be an object with a "type" (one of: ${STRATEGY_TYPES.join(', ')})`,
  },
);

export type Strategy = z.infer<typeof strategySchema>;
