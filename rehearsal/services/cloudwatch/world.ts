import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { virtualTime as durationSeconds, listOf } from '#routers/sim/world-fields.ts';
import { ALARM_STATES } from './model.ts';

/** The scenario's `world.alarms` and `world.metrics`: CloudWatch's alarms over virtual time, and the datapoints of each check's series. */

const ALARM_TYPES = ['metric', 'composite'] as const;

const STATE_FIELDS = ['at', 'state', 'reason', 'value'] as const;
const alarmStateSchema = z.strictObject(
  {
    at: durationSeconds('when the alarm enters this state'),
    state: z.enum(ALARM_STATES, {
      error: (iss) => `${show(iss.input)} is not an alarm state; use one of: ${ALARM_STATES.join(', ')}`,
    }),
    reason: z
      .string({ error: (iss) => `${show(iss.input)} is not text; give CloudWatch's StateReason text` })
      .optional(),
    value: z
      .number({
        error: (iss) => `${show(iss.input)} is not a number; give the datapoint the alarm evaluated`,
      })
      .optional(),
  },
  { error: objectError('an alarm state', STATE_FIELDS) },
);

/** CloudWatch's static-threshold comparison operators. */
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

const ALARM_FIELDS = ['name', 'type', 'states', 'threshold', 'comparison'] as const;
const alarmSchema = z.strictObject(
  {
    // CloudWatch alarm names are 1..255 characters.
    name: requiredString('the CloudWatch alarm name'),
    type: z.enum(ALARM_TYPES, {
      error: (iss) => `${show(iss.input)} is not an alarm type; use one of: ${ALARM_TYPES.join(', ')}`,
    }),
    threshold: z
      .number({ error: (iss) => `${show(iss.input)} is not a number; give the metric alarm's Threshold` })
      .optional(),
    comparison: z
      .enum(COMPARISONS, {
        error: (iss) => `${show(iss.input)} is not a comparison; use one of: ${COMPARISONS.join(', ')}`,
      })
      .optional(),
    states: listOf(alarmStateSchema, 'states such as {"at": "0s", "state": "OK"}').superRefine(
      (states, ctx) => {
        for (let i = 1; i < states.length; i++) {
          const previous = states[i - 1]!.at;
          if (states[i]!.at <= previous) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'at'],
              message: `comes at ${states[i]!.at}s, not after the previous state (${previous}s); list states in time order, each later than the one before`,
            });
          }
        }
      },
    ),
  },
  { error: objectError('an alarm', ALARM_FIELDS) },
);

const POINT_FIELDS = ['at', 'value'] as const;
const metricPointSchema = z.strictObject(
  {
    at: durationSeconds("the datapoint's timestamp"),
    value: z
      .number({ error: (iss) => `${show(iss.input)} is not a number; give the datapoint's value` })
      .refine(Number.isFinite, { error: "is not a finite number; give the datapoint's value" }),
  },
  { error: objectError('a datapoint', POINT_FIELDS) },
);

const metricSeriesSchema = listOf(
  metricPointSchema,
  'datapoints such as {"at": "1m", "value": 0.001}',
).superRefine((points, ctx) => {
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.at <= points[i - 1]!.at) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'at'],
        message: `comes at ${points[i]!.at}s, not after the previous datapoint (${points[i - 1]!.at}s); list datapoints in time order, one per timestamp`,
      });
    }
  }
});

const METRIC_TARGET_FIELDS = ['canary', 'stable'] as const;
/** Per metric check (by its name in the profile), the datapoints of each target's series. */
const metricsSchema = z.record(
  z.string(),
  z.strictObject(
    { canary: metricSeriesSchema.default([]), stable: metricSeriesSchema.default([]) },
    { error: objectError("a check's series", METRIC_TARGET_FIELDS) },
  ),
  {
    error: (iss) =>
      `is ${show(iss.input)}; give each metric check's datapoints by its name, e.g. {"error-rate": {"canary": [{"at": "0s", "value": 0.001}]}}`,
  },
);

export const alarmsWorldSchema = listOf(alarmSchema, 'CloudWatch alarms').default([]);
export const metricsWorldSchema = metricsSchema.default({});

export type WorldAlarm = z.output<typeof alarmSchema>;
export type AlarmsWorld = z.output<typeof alarmsWorldSchema>;
export type MetricsWorld = z.output<typeof metricsWorldSchema>;
