import * as z from 'zod/mini';
import { objectError, show } from '../validation.ts';

/**
 * CloudWatch's MetricDataQuery as a profile writes it, mirroring the fields and limits the CloudWatch
 * API reference publishes (MetricDataQuery, MetricStat, Metric, Dimension). Core may not import the
 * SDK; the adapter hands these to GetMetricData as the SDK's own MetricDataQuery.
 */

/** CloudWatch's rule for a query's Id: a lowercase letter, then letters, digits and underscores. */
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
/**
 * stepshift puts "<target>_<check>_" in front of each Id to keep the ids of all checks apart in one
 * call (CloudWatch allows 255 characters), so a profile's own Id has at most 200.
 */
const MAX_QUERY_ID_LENGTH = 200;

const text = (what: string, max: number) =>
  z
    .string({
      error: (iss) =>
        iss.input === undefined ? `is missing; give ${what}` : `${show(iss.input)} is not text; give ${what}`,
    })
    .check(
      z.minLength(1, { error: `is empty; give ${what}` }),
      z.maxLength(max, { error: `is longer than ${max} characters, CloudWatch's limit for ${what}` }),
    );

const DIMENSION_FIELDS = ['Name', 'Value'] as const;
const dimensionSchema = z.strictObject(
  {
    Name: text('the dimension name', 255),
    Value: text('the dimension value, such as "{canary}"', 1024),
  },
  { error: objectError('a dimension', DIMENSION_FIELDS) },
);

const METRIC_FIELDS = ['Namespace', 'MetricName', 'Dimensions'] as const;
const metricSchema = z.strictObject(
  {
    Namespace: text('the metric namespace, such as "AWS/AppMesh" or your own', 255).check(
      z.refine((ns) => !ns.startsWith(':'), { error: 'starts with ":"; CloudWatch namespaces may not' }),
    ),
    MetricName: text('the metric name', 255),
    Dimensions: z.optional(
      z
        .array(dimensionSchema, { error: 'must be a list of {"Name", "Value"} dimensions' })
        .check(
          z.maxLength(30, { error: 'lists more than 30 dimensions; a CloudWatch metric has at most 30' }),
        ),
    ),
  },
  { error: objectError('a metric', METRIC_FIELDS) },
);

/** Regular metrics take multiples of 60; high-resolution ones also 1, 5, 10, 20 and 30 seconds. */
const periodSchema = z
  .number({ error: (iss) => `${show(iss.input)} is not a number; give the period in seconds, such as 60` })
  .check(
    z.int({ error: (iss) => `${show(iss.input)} is not a whole number of seconds` }),
    z.refine((p) => [1, 5, 10, 20, 30].includes(p) || (p >= 60 && p % 60 === 0), {
      error: (iss) =>
        `${show(iss.input)} is not a CloudWatch period; use 60 or a multiple of it (1, 5, 10, 20 or 30 for high-resolution metrics)`,
    }),
  );

/** CloudWatch's StandardUnit values. */
const UNITS = [
  'Bits',
  'Bits/Second',
  'Bytes',
  'Bytes/Second',
  'Count',
  'Count/Second',
  'Gigabits',
  'Gigabits/Second',
  'Gigabytes',
  'Gigabytes/Second',
  'Kilobits',
  'Kilobits/Second',
  'Kilobytes',
  'Kilobytes/Second',
  'Megabits',
  'Megabits/Second',
  'Megabytes',
  'Megabytes/Second',
  'Microseconds',
  'Milliseconds',
  'None',
  'Percent',
  'Seconds',
  'Terabits',
  'Terabits/Second',
  'Terabytes',
  'Terabytes/Second',
] as const;

const METRIC_STAT_FIELDS = ['Metric', 'Period', 'Stat', 'Unit'] as const;
const metricStatSchema = z.strictObject(
  {
    Metric: metricSchema,
    Period: periodSchema,
    Stat: text('the statistic, such as "Sum", "Average" or "p99"', 255),
    Unit: z.optional(
      z.enum(UNITS, {
        error: (iss) =>
          `${show(iss.input)} is not a CloudWatch unit; use one of CloudWatch's StandardUnit values, such as "Milliseconds", "Count" or "Percent"`,
      }),
    ),
  },
  { error: objectError('a MetricStat', METRIC_STAT_FIELDS) },
);

const QUERY_FIELDS = [
  'Id',
  'Expression',
  'MetricStat',
  'Label',
  'ReturnData',
  'Period',
  'AccountId',
] as const;

export const metricDataQuerySchema = z
  .strictObject(
    {
      Id: text('the query id, such as "errors"', MAX_QUERY_ID_LENGTH).check(
        z.regex(QUERY_ID, {
          error: (iss) =>
            `${show(iss.input)} is not a CloudWatch query id; start with a lowercase letter and use only letters, digits and "_", such as "errorRate"`,
        }),
      ),
      Expression: z.optional(text('a metric math expression, such as "errors / requests"', 2048)),
      MetricStat: z.optional(metricStatSchema),
      Label: z.optional(text('a label', 1024)),
      ReturnData: z.optional(z.boolean({ error: 'must be true or false' })),
      Period: z.optional(periodSchema),
      AccountId: z.optional(text('the account that holds the metric', 255)),
    },
    { error: objectError('a MetricDataQuery', QUERY_FIELDS) },
  )
  .check(
    z.superRefine((query, ctx) => {
      if ((query.Expression === undefined) === (query.MetricStat === undefined)) {
        ctx.addIssue({
          code: 'custom',
          message:
            query.Expression === undefined
              ? 'has neither "Expression" nor "MetricStat"; a query either reads a metric (MetricStat) or computes one (Expression)'
              : 'has both "Expression" and "MetricStat"; CloudWatch takes exactly one of them per query',
        });
      }
    }),
  );
