import * as z from 'zod/mini';
import { identifiersIn, isInsightsQuery, mentions } from '../health/metric-query.ts';
import { requiredString, show, strictObject } from '../validation.ts';
import { metricDataQuerySchema } from './metric-query.ts';

/**
 * The profile's metric checks (analysis.metrics), as written: CloudWatch queries judged against
 * bounds, or the canary's against the stable's (core/health/ runs them).
 */

/** One GetMetricData call takes at most 500 MetricDataQuery structures (CloudWatch API reference). */
const MAX_QUERIES_PER_CALL = 500;

const NO_DATA = ['fail', 'inconclusive', 'pass'] as const;
const DIRECTIONS = ['increase-is-bad', 'decrease-is-bad'] as const;
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

const finite = (what: string) =>
  z.number({ error: (iss) => `${show(iss.input)} is not a number; give ${what}` }).check(
    z.refine(Number.isFinite, {
      error: (iss) => `${show(iss.input)} is not a finite number; give ${what}`,
    }),
  );

export const metricCheckSchema = strictObject('a metric check', {
  name: requiredString('a name for the check, such as "error-rate"', 64).check(
    z.regex(CHECK_NAME, {
      error: 'may hold only letters, digits, spaces, ".", "_" and "-", starting with a letter or digit',
    }),
  ),
  queries: z
    .array(metricDataQuerySchema, {
      error:
        'must be a list of CloudWatch MetricDataQuery objects, such as [{"Id": "errors", "MetricStat": {...}}]',
    })
    .check(z.minLength(1, { error: 'is empty; give at least the query whose values are judged' })),
  returnId: requiredString('the Id of the query whose values are judged'),
  max: z.optional(finite('the highest value that passes')),
  min: z.optional(finite('the lowest value that passes')),
  minSamples: z.optional(
    z
      .number({ error: 'must be a whole number of samples, 1 or more' })
      .check(
        z.int({ error: 'must be a whole number of samples, 1 or more' }),
        z.gte(1, { error: (iss) => `${show(iss.input)} is below 1; give how many samples a verdict needs` }),
      ),
  ),
  noData: z._default(
    z.enum(NO_DATA, {
      error: (iss) =>
        `${show(iss.input)} is not a policy; use "fail", "inconclusive" or "pass" for a check whose series has no datapoints`,
    }),
    'inconclusive',
  ),
  compare: z.optional(
    z.literal('stable', {
      error: (iss) =>
        `${show(iss.input)} is not a baseline; "compare": "stable" judges the canary against the stable version`,
    }),
  ),
  direction: z.optional(
    z.enum(DIRECTIONS, {
      error: (iss) =>
        `${show(iss.input)} is not a direction; use "increase-is-bad" (latency, errors) or "decrease-is-bad" (throughput)`,
    }),
  ),
  confidence: z.optional(
    z.number({ error: 'must be a number above 0.5 and below 1, such as 0.95' }).check(
      z.gt(0.5, {
        error: (iss) => `${show(iss.input)} is not above 0.5; a coin toss would count as evidence`,
      }),
      z.lt(1, { error: (iss) => `${show(iss.input)} is not below 1; give a confidence such as 0.95` }),
    ),
  ),
  tolerance: z.optional(
    z
      .number({ error: 'must be a number, 0 or more, such as 0.1 (10%)' })
      .check(
        z.gte(0, { error: (iss) => `${show(iss.input)} is below 0; 0.1 lets the canary be 10% worse` }),
        z.refine(Number.isFinite, { error: 'must be a finite number, such as 0.1 (10%)' }),
      ),
  ),
  unit: z.optional(requiredString('the unit written after values, such as "ms"', 32)),
}).check(
  z.superRefine((check, ctx) => {
    const ids = check.queries.map((q) => q.Id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['queries', i, 'Id'],
          message: `repeats "${id}"; each query of a check needs its own Id`,
        });
      }
    });
    check.queries.forEach((query, i) => {
      if (query.Expression === undefined || isInsightsQuery(query.Expression)) return;
      const unknown = identifiersIn(query.Expression).filter((id) => !ids.includes(id) || id === query.Id);
      for (const id of new Set(unknown)) {
        ctx.addIssue({
          code: 'custom',
          path: ['queries', i, 'Expression'],
          message:
            id === query.Id
              ? `refers to its own Id "${id}"; an expression computes from the check's other queries`
              : `refers to "${id}", which is not an Id of this check's queries; use one of: ${[...new Set(ids)].filter((other) => other !== query.Id).join(', ')}`,
        });
      }
    });
    if (!ids.includes(check.returnId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['returnId'],
        message: `"${check.returnId}" names none of the check's queries; use one of: ${ids.join(', ')}`,
      });
    }
    if (check.compare) {
      for (const field of ['max', 'min'] as const) {
        if (check[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message:
              'does not go with "compare"; a comparison judges the canary against the stable version, so bound the value in a check of its own',
          });
        }
      }
      if (!mentions(check.queries, '{canary}')) {
        ctx.addIssue({
          code: 'custom',
          path: ['queries'],
          message:
            'never names {canary}; a comparison runs its queries once as written for the canary and once with the stable version\'s target in place of {canary}, so name the target with {canary}, e.g. {"Name": "VirtualNode", "Value": "{canary}"}',
        });
      }
      for (const other of ['{stable}', '{version}']) {
        if (mentions(check.queries, other)) {
          ctx.addIssue({
            code: 'custom',
            path: ['queries'],
            message: `names ${other}; in a comparison only {canary} names the target, which stepshift fills with each version's target in turn`,
          });
        }
      }
    } else {
      if (check.max === undefined && check.min === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'sets neither "max" nor "min"; bound the value (max, min or both), or add "compare": "stable" to judge the canary against the stable version',
        });
      }
      if (check.max !== undefined && check.min !== undefined && check.min > check.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['min'],
          message: `${check.min} is above max (${check.max}); no value could pass`,
        });
      }
      for (const field of ['direction', 'confidence', 'tolerance'] as const) {
        if (check[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'applies only to a comparison; add "compare": "stable" or leave it out',
          });
        }
      }
    }
  }),
);

export type MetricCheck = z.output<typeof metricCheckSchema>;

/** How many queries a check adds to the one GetMetricData call: a comparison runs its queries twice. */
function queryCount(check: MetricCheck): number {
  return check.queries.length * (check.compare ? 2 : 1);
}

export const metricChecksSchema = z
  .array(metricCheckSchema, {
    error: 'must be a list of metric checks such as [{"name": "error-rate", ...}]',
  })
  .check(
    z.superRefine((checks, ctx) => {
      const names = checks.map((c) => c.name);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `repeats "${name}"; each check needs its own name, which signals and world.metrics go by`,
          });
        }
      });
      const insights = checks.reduce(
        (sum, c) =>
          sum +
          c.queries.filter((q) => q.Expression !== undefined && isInsightsQuery(q.Expression)).length *
            (c.compare ? 2 : 1),
        0,
      );
      if (insights > 1) {
        ctx.addIssue({
          code: 'custom',
          message: `hold ${insights} Metrics Insights queries (SELECT ..., a comparison's count twice); one GetMetricData call takes only one, so use metric math or MetricStat for the others`,
        });
      }
      const total = checks.reduce((sum, c) => sum + queryCount(c), 0);
      if (total > MAX_QUERIES_PER_CALL) {
        ctx.addIssue({
          code: 'custom',
          message: `ask CloudWatch for ${total} queries in all (a comparison's count twice); one GetMetricData call takes at most ${MAX_QUERIES_PER_CALL}, so use fewer checks or queries`,
        });
      }
    }),
  );

export const inconclusiveLimitSchema = z
  .number({ error: 'must be a whole number of analyses, 1 or more' })
  .check(
    z.int({ error: 'must be a whole number of analyses, 1 or more' }),
    z.gte(1, {
      error: (iss) => `${show(iss.input)} is below 1; a check inconclusive this many analyses in a row fails`,
    }),
  );
