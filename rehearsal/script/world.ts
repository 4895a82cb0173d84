import * as z from 'zod';
import { objectError, show } from '#core/validation.ts';
import { duplicates, listOf } from '#routers/sim/world-fields.ts';
import { ROUTER_WORLD_SCHEMAS } from '#routers/simulators.ts';
import { functionTimeoutsSchema } from '../platform/lambda-faults.ts';
import { codedeployWorldSchema } from '../scenario-codedeploy.ts';
import { alarmsWorldSchema, metricsWorldSchema } from '../services/cloudwatch/world.ts';
import { ecsWorldSchema } from '../services/ecs/world.ts';
import { secretsWorldSchema } from '../services/secrets-manager/model.ts';
import { faultSchema } from './fault-schema.ts';
import { hooksWorldSchema, unknownSigningSecrets } from './hooks.ts';
import { operatorActionSchema, parseMilliseconds, personActionOf } from './operator-actions.ts';

export type { WorldHookAnswer } from './hooks.ts';

const latencySchema = z
  .string({
    error: (iss) => `${show(iss.input)} is not a latency; write whole milliseconds such as "50ms" or "0ms"`,
  })
  .transform((text, ctx) => {
    const seconds = parseMilliseconds(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(text)} is not a latency; write whole milliseconds such as "50ms" or "0ms"`,
      });
      return z.NEVER;
    }
    return seconds;
  });

/** Virtual seconds each call takes when the scenario does not say. */
const DEFAULT_CALL_LATENCY_SECONDS = 0.05;

const WORLD_FIELDS = [
  ...Object.keys(ROUTER_WORLD_SCHEMAS),
  'codedeploy',
  'alarms',
  'metrics',
  'faults',
  'callLatency',
  'functionTimeouts',
  'operator',
  'alarmEventDelay',
  'alarmEvents',
  'ecs',
  'hooks',
  'secrets',
] as const;

/**
 * The scenario's `world`: what AWS holds when the rehearsal starts, how alarms change over virtual
 * time, and which calls fail. Durations come out as seconds; callLatency too.
 */
export const worldSchema = z
  .strictObject(
    {
      ...ROUTER_WORLD_SCHEMAS,
      codedeploy: codedeployWorldSchema,
      alarms: alarmsWorldSchema,
      metrics: metricsWorldSchema,
      faults: listOf(
        faultSchema,
        'faults such as {"operation": "UpdateRoute", "call": 1, "error": "TooManyRequestsException"}',
      ).default([]),
      callLatency: latencySchema.default(DEFAULT_CALL_LATENCY_SECONDS),
      functionTimeouts: functionTimeoutsSchema.default({}),
      operator: listOf(
        operatorActionSchema,
        'operator actions such as {"at": "7m", "action": "stop-execution"}',
      ).default([]),
      // EventBridge publishes no delivery latency for CloudWatch's alarm events; by default the
      // rehearsal delivers at once, so detectionDelaySeconds measures what stepshift itself adds.
      alarmEventDelay: latencySchema.default(0),
      // "lost": no alarm event arrives (a missing rule, a failed delivery), so only polling notices.
      alarmEvents: z
        .enum(['delivered', 'lost'], {
          error: (iss) =>
            `${show(iss.input)} is not a delivery; use "delivered" (the default) or "lost" (no alarm event reaches the alarm function)`,
        })
        .default('delivered'),
      hooks: hooksWorldSchema,
      secrets: secretsWorldSchema,
      ecs: ecsWorldSchema,
    },
    { error: objectError('the world', WORLD_FIELDS) },
  )
  .superRefine((world, ctx) => {
    for (const issue of unknownSigningSecrets(world.hooks, world.secrets))
      ctx.addIssue({ code: 'custom', ...issue });
    duplicates(
      world.alarms.map((a) => a.name),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['alarms', i, 'name'],
          message: 'repeats an alarm name; CloudWatch alarm names are unique in an account and region',
        }),
    );
    world.operator.forEach((action, i) => {
      const person = personActionOf(action);
      if (person === undefined) return;
      const block = (world as Record<string, unknown>)[person.worldKey];
      for (const { path, message } of person.action.problemsIn(block, action as Record<string, unknown>)) {
        ctx.addIssue({ code: 'custom', path: ['operator', i, ...path], message });
      }
    });
  });

/** The parsed world: durations and callLatency in seconds, defaults filled in. */
export type World = z.output<typeof worldSchema>;
/** The world as a scenario file writes it. */
export type WorldInput = z.input<typeof worldSchema>;
export type WorldAlarm = World['alarms'][number];

/** Parses a world block; throws zod's error (use describeIssues from core for readable lines). */
export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}
