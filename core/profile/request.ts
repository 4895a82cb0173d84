import * as z from 'zod/mini';
import { InvalidRequestError } from '../errors.ts';
import { describeIssues, objectError, requiredString, show, strictObject } from '../validation.ts';
import { analysisSchema, onFailureSchema } from './analysis.ts';
import { looksLikePipelineVariable, unsubstitutedVariable } from './codepipeline-variable.ts';
import { NAME_PATTERN } from './duration.ts';
import { metricCheckSchema } from './metric-checks.ts';
import { strategySchema } from './strategy.ts';

/** The blocks of a profile a request's overrides may set, within the rules of core/overrides.ts. */
export const OVERRIDABLE = ['strategy', 'analysis', 'onFailure'] as const;
export type Overridable = (typeof OVERRIDABLE)[number];

const NO_QUERIES =
  "cannot come from a request: a request's metric queries would run under Analyze's role and their values come back in the reason; define the check in the profile, and tighten it here by its name";

const METRIC_OVERRIDE_FIELDS = ['name', 'max', 'min', 'noData', 'confidence', 'tolerance', 'minSamples'];

/** A metric check of the profile, named, with the judgement fields a request may tighten. */
const metricCheckOverrideSchema = z.strictObject(
  {
    name: metricCheckSchema.shape.name,
    max: metricCheckSchema.shape.max,
    min: metricCheckSchema.shape.min,
    noData: z.optional(metricCheckSchema.shape.noData.def.innerType),
    confidence: metricCheckSchema.shape.confidence,
    tolerance: metricCheckSchema.shape.tolerance,
    minSamples: metricCheckSchema.shape.minSamples,
    queries: z.optional(z.never({ error: NO_QUERIES })),
    returnId: z.optional(z.never({ error: NO_QUERIES })),
  },
  { error: objectError('a metric check override', METRIC_OVERRIDE_FIELDS) },
);

const metricCheckOverridesSchema = z
  .array(metricCheckOverrideSchema, {
    error:
      'must be a list of the profile\'s metric checks to tighten, such as [{"name": "error-rate", "max": 0.005}]',
  })
  .check(
    z.superRefine((checks, ctx) => {
      checks.forEach((check, i) => {
        if (checks.findIndex((c) => c.name === check.name) !== i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `repeats "${check.name}"; name each check once`,
          });
        }
      });
    }),
  );

/**
 * What a request's overrides may set for one release: the profile's analysis fields, each optional
 * and without defaults (a field left out keeps the profile's value), and the profile's metric checks
 * by name (core/overrides.ts says which values are stricter).
 */
const analysisOverrideSchema = strictObject('analysis overrides', {
  alarms: z.optional(analysisSchema.shape.alarms),
  failureThreshold: z.optional(analysisSchema.shape.failureThreshold.def.innerType),
  insufficientData: z.optional(analysisSchema.shape.insufficientData.def.innerType),
  interval: analysisSchema.shape.interval,
  metrics: z.optional(metricCheckOverridesSchema),
  inconclusiveLimit: analysisSchema.shape.inconclusiveLimit,
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
    .check(
      z.refine((s) => !looksLikePipelineVariable(s), {
        error: (iss) => refused(iss.input, 'is not a service name'),
      }),
    )
    .register(z.globalRegistry, {
      description: 'The service to release: the name its release profile has.',
      examples: ['orders'],
    }),
  version: requiredString('the version to release, such as "v2"', 64)
    .check(
      z.regex(NAME_PATTERN, {
        error: (iss) =>
          refused(
            iss.input,
            'cannot name a target; use letters, digits, ".", "_" and "-", starting with a letter or digit',
          ),
      }),
    )
    .register(z.globalRegistry, {
      description: "The version to release; the profile's targets.canary template names its target.",
      examples: ['v2'],
    }),
  releaseId: z
    .optional(
      z.string({ error: 'must be text' }).check(
        z.regex(/^[A-Za-z0-9_-]{1,64}$/, {
          error: (iss) => refused(iss.input, 'is not a release id; use 1..64 letters, digits, "-" or "_"'),
        }),
      ),
    )
    .register(z.globalRegistry, {
      description: "Names the release in events and logs; defaults to the execution's name.",
    }),
  overrides: z
    .optional(
      strictObject('overrides', {
        strategy: z.optional(strategySchema),
        analysis: z.optional(analysisOverrideSchema),
        onFailure: z.optional(onFailureSchema.def.innerType),
      }),
    )
    .register(z.globalRegistry, {
      description:
        "For this release only: a strategy in place of the profile's, and analysis fields and onFailure in place of the profile's values. Only stricter than the profile's, unless the profile's allowOverrides names the block (docs/overrides.md).",
    }),
}).register(z.globalRegistry, {
  title: 'stepshift release request',
  description:
    'The input of a stepshift release execution, as the Step Functions console, the CLI or a CodePipeline Step Functions action sends it.',
});

export type ReleaseRequest = z.infer<typeof requestSchema>;
export type MetricCheckOverride = z.output<typeof metricCheckOverrideSchema>;
export type RequestOverrides = NonNullable<ReleaseRequest['overrides']>;

/** Parses a release request ({ service, version } plus optional releaseId and overrides). */
export function parseRequest(input: unknown): ReleaseRequest {
  const result = requestSchema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, 'request'));
  return result.data;
}
