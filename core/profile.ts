import { z } from 'zod';
import {
  APP_MESH_NAME,
  alarmName,
  awsName,
  CODEDEPLOY_CONFIG_NAME,
  ECS_NAME,
  nameTemplate,
  targetGroupTemplateProblem,
} from './aws-names.ts';
import { PREDEFINED_CONFIGS, predefinedProblem, routingSteps } from './codedeploy-configs.ts';
import { parseDuration } from './duration.ts';
import { InvalidRequestError } from './errors.ts';
import { headerMatchSchema } from './header-match.ts';
import { hooksSchema } from './hooks.ts';
import { inconclusiveLimitSchema, metricChecksSchema } from './metric-checks.ts';
import { metricCheckOverridesSchema, OVERRIDABLE } from './overrides.ts';
import { regexProblem } from './regex.ts';
import { looksLikePipelineVariable, unsubstitutedVariable } from './triggers/codepipeline-variable.ts';
import { describeIssues, requiredString, show, strictObject } from './validation.ts';

function duration(what: string) {
  const problem = (input: unknown) =>
    input === undefined
      ? `is missing; give ${what}, like 30s, 5m or 1h`
      : /^0+[smh]$/.test(String(input))
        ? `${show(input)} is zero; give ${what} as a positive duration, like 30s, 5m or 1h`
        : `${show(input)} is not a duration; write ${what} like 30s, 5m or 1h`;
  return (
    z
      .string({ error: (iss) => problem(iss.input) })
      .refine((text) => (parseDuration(text) ?? 0) > 0, { error: (iss) => problem(iss.input) })
      // The refinement does not reach JSON Schema; the pattern says the same to schema readers.
      .meta({
        description: `${what.charAt(0).toUpperCase()}${what.slice(1)}: whole seconds, minutes or hours`,
        pattern: '^[1-9][0-9]*[smh]$',
      })
  );
}

function percentage() {
  return z
    .number({ error: (iss) => `${show(iss.input)} is not a number; weights are percentages 1..100` })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; weights are whole percentages 1..100` })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; a step must send some traffic (1..100)` })
    .max(100, { error: (iss) => `${show(iss.input)} is above 100; weights are percentages 1..100` });
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const appMeshRouterSchema = strictObject('an App Mesh router', {
  type: z.literal('appmesh'),
  meshName: awsName(APP_MESH_NAME, 'the App Mesh mesh name', 'the mesh name'),
  virtualRouterName: awsName(APP_MESH_NAME, 'the virtual router that owns the route', 'the virtual router'),
  routeName: awsName(APP_MESH_NAME, 'the route whose weights the release shifts', 'the route'),
  meshOwner: z
    .string()
    .regex(/^[0-9]{12}$/, { error: 'must be a 12-digit AWS account id (the mesh owner, for shared meshes)' })
    .optional(),
});

/**
 * A VPC Lattice identifier: the resource's id ("svc-" and 17 lowercase letters or digits, as the API
 * reference's patterns say) or its ARN, whose last part is that id.
 */
function latticeIdentifier(what: string, prefix: string, example: string) {
  const id = new RegExp(`^${prefix}-[0-9a-z]{17}$`);
  const arn =
    /^arn:[a-z0-9-]+:vpc-lattice:[a-z0-9-]+:[0-9]{12}:service\/svc-[0-9a-z]{17}(\/listener\/listener-[0-9a-z]{17}(\/rule\/rule-[0-9a-z]{17})?)?$/;
  return requiredString(what, 2048).refine(
    (text) => id.test(text) || (arn.test(text) && id.test(text.split('/').pop() ?? '')),
    {
      error: (iss) =>
        `${show(iss.input)} is not a VPC Lattice ${prefix} id or ARN; give ${what}, like "${example}"`,
    },
  );
}

export const latticeRouterSchema = strictObject('a VPC Lattice router', {
  type: z.literal('vpc-lattice'),
  serviceIdentifier: latticeIdentifier(
    'the VPC Lattice service (its id or ARN)',
    'svc',
    'svc-0123456789abcdef0',
  ),
  listenerIdentifier: latticeIdentifier(
    "the service's listener (its id or ARN)",
    'listener',
    'listener-0123456789abcdef0',
  ),
  ruleIdentifier: latticeIdentifier(
    "the listener rule whose forward action the release shifts (its id or ARN); leave it out to shift the listener's default action",
    'rule',
    'rule-0123456789abcdef0',
  ).optional(),
});

const ALB_LISTENER_ARN =
  /^arn:[a-z0-9-]+:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}$/;
const ALB_RULE_ARN =
  /^arn:[a-z0-9-]+:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener-rule\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/;

export const albRouterSchema = strictObject('an ALB router', {
  type: z.literal('alb'),
  listenerArn: requiredString("the Application Load Balancer listener's ARN", 2048).regex(ALB_LISTENER_ARN, {
    error: (iss) =>
      `${show(iss.input)} is not an Application Load Balancer listener ARN; copy it from the console or DescribeListeners, like "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"`,
  }),
  ruleArn: requiredString(
    "the listener rule's ARN; leave it out to shift the listener's default action",
    2048,
  )
    .regex(ALB_RULE_ARN, {
      error: (iss) =>
        `${show(iss.input)} is not an Application Load Balancer listener rule ARN; copy it from the console or DescribeRules, like "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/0123456789abcdef/0123456789abcdef"`,
    })
    .optional(),
}).superRefine((router, ctx) => {
  // A rule of another listener would be shifted under this listener's name and lock.
  if (router.ruleArn === undefined) return;
  const listener = router.listenerArn.split(':listener/')[1];
  const ruleListener = router.ruleArn.split(':listener-rule/')[1]?.split('/').slice(0, 4).join('/');
  if (listener !== undefined && ruleListener !== undefined && listener !== ruleListener) {
    ctx.addIssue({
      code: 'custom',
      path: ['ruleArn'],
      message: `belongs to listener ${ruleListener}, not to listenerArn's ${listener}; give a rule of that listener`,
    });
  }
});

const ROUTER_TYPES = ['appmesh', 'vpc-lattice', 'alb'] as const;

export const routerSchema = z.discriminatedUnion(
  'type',
  [appMeshRouterSchema, latticeRouterSchema, albRouterSchema],
  {
    error: (iss) =>
      iss.code === 'invalid_union' && 'discriminator' in iss
        ? `${show((iss.input as { type?: unknown } | undefined)?.type)} is not a router stepshift drives; use one of: ${ROUTER_TYPES.join(', ')}`
        : `must be an object with a "type" (one of: ${ROUTER_TYPES.join(', ')})`,
  },
);

/**
 * The new version's target is named by template. App Mesh's name rule is the widest of the three
 * routers'; the profile holds a VPC Lattice or ALB template to its target group rule (targetRuleOf).
 */
export const targetsSchema = strictObject('targets', {
  canary: nameTemplate(APP_MESH_NAME, 'target'),
  ecsService: strictObject('an ECS service', {
    cluster: awsName(ECS_NAME, 'the ECS cluster the new version runs in, such as "shop"', 'the cluster'),
    service: nameTemplate(ECS_NAME, 'ECS service'),
  })
    .optional()
    .meta({
      description:
        "The new version's ECS service: before any traffic moves, it must be steady (one deployment, every desired task running).",
    }),
});

const canaryStrategySchema = strictObject('a canary strategy', {
  type: z.literal('canary'),
  steps: z
    .array(percentage(), { error: 'must be a list of weights such as [10, 25, 50]' })
    .min(1, { error: 'is empty; list at least one weight, such as [10, 25, 50]' })
    .max(99, { error: 'has more than 99 steps' })
    .superRefine((steps, ctx) => {
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
    .int({
      error: (iss) => `${show(iss.input)} is not a whole number; give the percentage each step adds, 1..99`,
    })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; each step must add some traffic (1..99)` })
    .max(99, {
      error: (iss) =>
        `${show(iss.input)} is above 99; a linear release needs a step below 100 (for all traffic at once, use "all-at-once")`,
    }),
  interval: duration('the time each step bakes'),
});

const codedeployStrategySchema = strictObject('a CodeDeploy strategy', {
  type: z.literal('codedeploy'),
  // CodeDeploy's deploymentConfigName is 1..100 characters.
  config: awsName(
    CODEDEPLOY_CONFIG_NAME,
    'a CodeDeploy deployment configuration name, such as "CodeDeployDefault.ECSCanary10Percent5Minutes"',
    'the configuration',
  ).superRefine((name, ctx) => {
    if (!CODEDEPLOY_CONFIG_NAME.pattern.test(name)) return;
    const problem = predefinedProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', input: name, message: problem });
  }),
  bake: duration(
    'how long to watch the new version at 100% before promoting, for an all-at-once configuration',
  )
    .optional()
    .meta({
      description:
        'For configurations that shift all traffic at once (CodeDeployDefault.ECSAllAtOnce, LambdaAllAtOnce, or a custom AllAtOnce): how long the new version is watched at 100% before the release promotes.',
    }),
}).superRefine((strategy, ctx) => {
  // A predefined configuration is known offline, so its bake is checked here; a custom one at Prepare.
  const routing = PREDEFINED_CONFIGS[strategy.config];
  if (!routing) return;
  const steps = routingSteps(routing, strategy.bake === undefined ? undefined : parseDuration(strategy.bake));
  if (typeof steps === 'string') {
    ctx.addIssue({
      code: 'custom',
      path: [strategy.bake === undefined ? 'config' : 'bake'],
      message: `${strategy.config} ${steps}`,
    });
  }
});

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
      .min(1, { error: 'is empty; name at least one header the cohort carries' })
      .max(10, { error: 'has more than 10 headers; App Mesh matches at most 10 per route' }),
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

export const analysisSchema = strictObject('analysis', {
  alarms: z
    .array(alarmName(), { error: 'must be a list of CloudWatch alarm names' })
    .max(100, { error: 'names more than 100 alarms; DescribeAlarms reads at most 100 at once' })
    .refine((names) => new Set(names).size === names.length, { error: 'names the same alarm twice' }),
  failureThreshold: z
    .number({ error: 'must be a whole number of failed checks, 1 or more' })
    .int({ error: 'must be a whole number of failed checks, 1 or more' })
    .min(1, {
      error: (iss) => `${show(iss.input)} is below 1; the release rolls back after this many failed checks`,
    })
    .default(1),
  insufficientData: z
    .enum(['ignore', 'fail'], {
      error: (iss) =>
        `${show(iss.input)} is not a policy; use "ignore" or "fail" for alarms in INSUFFICIENT_DATA`,
    })
    .default('ignore'),
  interval: duration('how often to check health while a step bakes').optional(),
  /** CloudWatch metric checks, read with one GetMetricData call per analysis (core/metric-checks.ts). */
  metrics: metricChecksSchema.optional(),
  /** How many analyses in a row a metric check may be inconclusive before it fails (default 3). */
  inconclusiveLimit: inconclusiveLimitSchema.optional(),
});

/** ECR's own rule for repository names (CreateRepository: 2..256 characters, this pattern). */
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * Where new versions of the service come from: an image pushed to this ECR repository with a tag
 * matching tagPattern starts a release of that tag (see docs/triggers.md).
 */
export const sourceSchema = strictObject('a source', {
  ecrRepository: requiredString(
    'the ECR repository whose image pushes release this service, such as "orders"',
    256,
  )
    .min(2, {
      error: 'is shorter than 2 characters; ECR repository names have 2..256 characters',
      abort: true,
    })
    .regex(ECR_REPOSITORY, {
      error: (iss) =>
        `${show(iss.input)} is not an ECR repository name; use lowercase letters and digits, with ".", "_" or "-" between them and "/" between namespaces, such as "shop/orders"`,
    }),
  tagPattern: requiredString(
    'a regular expression every image tag to release must match as a whole, such as "^v[0-9]+$"',
    256,
  ).superRefine((pattern, ctx) => {
    const problem = regexProblem(pattern);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        input: pattern,
        message: `${show(pattern)} is not a regular expression stepshift can evaluate (${problem}); write one such as "^v[0-9]+$"`,
      });
    }
  }),
});

/**
 * What a request's overrides may set for one release: the profile's analysis fields, each optional
 * and without defaults (a field left out keeps the profile's value), and the profile's metric checks
 * by name (core/overrides.ts says which values are stricter).
 */
export const analysisOverrideSchema = strictObject('analysis overrides', {
  alarms: analysisSchema.shape.alarms.optional(),
  failureThreshold: analysisSchema.shape.failureThreshold.removeDefault().optional(),
  insufficientData: analysisSchema.shape.insufficientData.removeDefault().optional(),
  interval: analysisSchema.shape.interval,
  metrics: metricCheckOverridesSchema.optional(),
  inconclusiveLimit: analysisSchema.shape.inconclusiveLimit,
});

/** The longest a release waits for its new version to be ready (the state machine's retry budget). */
export const MAX_READINESS_SECONDS = 3600;

/** What a release does when its analysis fails; an abort or an error always rolls back at once. */
export const ON_FAILURE = ['rollback', 'gradual', 'freeze'] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

export const profileSchema = strictObject('a release profile', {
  service: requiredString('the service name, such as "orders"', 128).regex(NAME_PATTERN, {
    error: 'may hold only letters, digits, ".", "_" and "-", starting with a letter or digit',
  }),
  router: routerSchema,
  targets: targetsSchema,
  strategy: strategySchema,
  analysis: analysisSchema.default({ alarms: [], failureThreshold: 1, insufficientData: 'ignore' }),
  source: sourceSchema.optional(),
  hooks: hooksSchema.optional().meta({
    description:
      'Lambda functions, webhooks and a manual approval run at the release phases teams know from Flagger and CodeDeploy.',
  }),
  readinessTimeout: duration('how long to wait for the new version to be ready before giving up')
    .refine((text) => (parseDuration(text) ?? 0) <= MAX_READINESS_SECONDS, {
      error: (iss) =>
        `${show(iss.input)} is longer than 1h; a release waits at most an hour for its new version to be ready`,
    })
    .default('10m'),
  onFailure: z
    .enum(ON_FAILURE, {
      error: (iss) =>
        `${show(iss.input)} is not a failure policy; use "rollback" (all traffic back at once), "gradual" (step back down, still analysing) or "freeze" (hold the weights and wait for an operator)`,
    })
    .default('rollback')
    .meta({
      description: 'What a failed analysis does: roll back at once, step back down, or hold for a person.',
    }),
  allowOverrides: z
    .array(
      z.enum(OVERRIDABLE, {
        error: (iss) =>
          `${show(iss.input)} is not a block a request may override; use any of: ${OVERRIDABLE.join(', ')}`,
      }),
      { error: `must be a list of the blocks a request may set freely, such as ["strategy"]` },
    )
    .optional()
    .meta({
      description:
        "Blocks a request's overrides may set freely, weaker than the profile's included; without them a request may only make a release stricter (docs/overrides.md).",
    }),
}).superRefine((profile, ctx) => {
  // A VPC Lattice or ALB target is a target group, whose names are narrower than App Mesh's.
  const problem = targetGroupTemplateProblem(profile.router?.type, profile.targets?.canary);
  if (problem) ctx.addIssue({ code: 'custom', path: ['targets', 'canary'], message: problem });
});

/** A value the request's field cannot take: an unsubstituted CodePipeline variable gets its own sentence. */
function refused(input: unknown, otherwise: string): string {
  return looksLikePipelineVariable(input) ? unsubstitutedVariable(input) : `${show(input)} ${otherwise}`;
}

/**
 * What every trigger is normalised into (core/triggers/), and what the console, the CLI and a
 * CodePipeline Step Functions action hand over as they are. docs/request.schema.json is generated from
 * it (npm run schema).
 */
export const requestSchema = strictObject('a release request', {
  service: requiredString('the service to release, such as "orders"', 128)
    .refine((s) => !looksLikePipelineVariable(s), {
      error: (iss) => refused(iss.input, 'is not a service name'),
    })
    .meta({ description: 'The service to release: the name its release profile has.', examples: ['orders'] }),
  version: requiredString('the version to release, such as "v2"', 64)
    .regex(NAME_PATTERN, {
      error: (iss) =>
        refused(
          iss.input,
          'cannot name a target; use letters, digits, ".", "_" and "-", starting with a letter or digit',
        ),
    })
    .meta({
      description: "The version to release; the profile's targets.canary template names its target.",
      examples: ['v2'],
    }),
  releaseId: z
    .string({ error: 'must be text' })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, {
      error: (iss) => refused(iss.input, 'is not a release id; use 1..64 letters, digits, "-" or "_"'),
    })
    .optional()
    .meta({ description: "Names the release in events and logs; defaults to the execution's name." }),
  overrides: strictObject('overrides', {
    strategy: strategySchema.optional(),
    analysis: analysisOverrideSchema.optional(),
    onFailure: profileSchema.shape.onFailure.removeDefault().optional(),
  })
    .optional()
    .meta({
      description:
        "For this release only: a strategy in place of the profile's, and analysis fields and onFailure in place of the profile's values. Only stricter than the profile's, unless the profile's allowOverrides names the block (docs/overrides.md).",
    }),
}).meta({
  title: 'stepshift release request',
  description:
    'The input of a stepshift release execution, as the Step Functions console, the CLI or a CodePipeline Step Functions action sends it.',
});

export type ReleaseProfile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ReleaseRequest = z.infer<typeof requestSchema>;
export type AppMeshRouterConfig = z.infer<typeof appMeshRouterSchema>;
export type RouterConfig = z.infer<typeof routerSchema>;
export type LatticeRouterConfig = z.infer<typeof latticeRouterSchema>;
export type AlbRouterConfig = z.infer<typeof albRouterSchema>;
export type Analysis = z.infer<typeof analysisSchema>;
export type ImageSource = z.infer<typeof sourceSchema>;
export type Strategy = z.infer<typeof strategySchema>;
export type CodeDeployStrategy = z.infer<typeof codedeployStrategySchema>;

/**
 * Parses a service's release profile.
 * @example parseProfile({ service: 'orders', router: {...}, targets: {...}, strategy: {...} })
 * @throws InvalidRequestError listing every problem as "field: what is wrong; what is allowed".
 */
export function parseProfile(input: unknown, where = 'profile'): ReleaseProfile {
  const result = profileSchema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, where));
  return result.data;
}

/** Parses a release request ({ service, version } plus optional releaseId and overrides). */
export function parseRequest(input: unknown): ReleaseRequest {
  const result = requestSchema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, 'request'));
  return result.data;
}

export { applyOverrides } from './overrides.ts';

/** The new version's target name, from the profile's template. */
export function canaryTarget(profile: ReleaseProfile, version: string): string {
  return profile.targets.canary.replaceAll('{version}', version);
}

/** How logs, errors and the CLI name a profile's route, e.g. "appmesh:shop/orders-router/orders-route". */
export function routeLabel(router: RouterConfig): string {
  switch (router.type) {
    case 'appmesh':
      return `appmesh:${router.meshName}/${router.virtualRouterName}/${router.routeName}`;
    case 'vpc-lattice':
      return `vpc-lattice:${lastPart(router.serviceIdentifier)}/${lastPart(router.listenerIdentifier)}/${router.ruleIdentifier === undefined ? 'default' : lastPart(router.ruleIdentifier)}`;
    case 'alb': {
      const listener = router.listenerArn.split(':listener/')[1];
      return `alb:${listener}/${router.ruleArn === undefined ? 'default' : lastPart(router.ruleArn)}`;
    }
  }
}

/** The id at the end of an id or an ARN, which is what logs need to tell routes apart. */
function lastPart(identifier: string): string {
  return identifier.split('/').pop() as string;
}
