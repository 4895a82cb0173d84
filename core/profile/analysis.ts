import * as z from 'zod/mini';
import { alarmName } from '../aws-names.ts';
import { show, strictObject } from '../validation.ts';
import { duration } from './duration.ts';
import { inconclusiveLimitSchema, metricChecksSchema } from './metric-checks.ts';

export const analysisSchema = strictObject('analysis', {
  alarms: z.array(alarmName(), { error: 'must be a list of CloudWatch alarm names' }).check(
    z.maxLength(100, { error: 'names more than 100 alarms; DescribeAlarms reads at most 100 at once' }),
    z.refine((names) => new Set(names).size === names.length, { error: 'names the same alarm twice' }),
  ),
  failureThreshold: z._default(
    z.number({ error: 'must be a whole number of failed checks, 1 or more' }).check(
      z.int({ error: 'must be a whole number of failed checks, 1 or more' }),
      z.gte(1, {
        error: (iss) => `${show(iss.input)} is below 1; the release rolls back after this many failed checks`,
      }),
    ),
    1,
  ),
  insufficientData: z._default(
    z.enum(['ignore', 'fail'], {
      error: (iss) =>
        `${show(iss.input)} is not a policy; use "ignore" or "fail" for alarms in INSUFFICIENT_DATA`,
    }),
    'ignore',
  ),
  interval: z.optional(duration('how often to check health while a step bakes')),
  /** CloudWatch metric checks, read with one GetMetricData call per analysis (core/profile/metric-checks.ts). */
  metrics: z.optional(metricChecksSchema),
  /** How many analyses in a row a metric check may be inconclusive before it fails (default 3). */
  inconclusiveLimit: z.optional(inconclusiveLimitSchema),
});

export type Analysis = z.infer<typeof analysisSchema>;

/** What a release does when its analysis fails; an abort or an error always rolls back at once. */
const ON_FAILURE = ['rollback', 'gradual', 'freeze'] as const;
export type OnFailure = (typeof ON_FAILURE)[number];

export const onFailureSchema = z
  ._default(
    z.enum(ON_FAILURE, {
      error: (iss) =>
        `${show(iss.input)} is not a failure policy; use "rollback" (all traffic back at once), "gradual" (step back down, still analysing) or "freeze" (hold the weights and wait for an operator)`,
    }),
    'rollback',
  )
  .register(z.globalRegistry, {
    description: 'What a failed analysis does: roll back at once, step back down, or hold for a person.',
  });
