import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { virtualTime as durationSeconds, listOf } from '#routers/sim/world-fields.ts';

/** The scenario's `world.ecs`: each ECS service's state over virtual time. */

const ECS_STATE_FIELDS = ['at', 'status', 'desiredCount', 'runningCount', 'deployments'] as const;
const count = (what: string) =>
  z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number, 0 or more`,
    })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; give ${what}` })
    .min(0, { error: (iss) => `${show(iss.input)} is below 0; give ${what}` });
const ecsStateSchema = z.strictObject(
  {
    at: durationSeconds('when the service is in this state'),
    status: z
      .enum(['ACTIVE', 'DRAINING', 'INACTIVE'], {
        error: (iss) => `${show(iss.input)} is not an ECS service status; use ACTIVE, DRAINING or INACTIVE`,
      })
      .default('ACTIVE'),
    desiredCount: count('the tasks the service wants'),
    runningCount: count('the tasks running'),
    deployments: count('the deployments the service has (more than one while a rollout runs)')
      .min(1, { error: 'is below 1; a service has at least its primary deployment' })
      .default(1),
  },
  { error: objectError('an ECS service state', ECS_STATE_FIELDS) },
);

const ECS_SERVICE_FIELDS = ['cluster', 'serviceName', 'states'] as const;
/** An ECS service over virtual time: DescribeServices answers with its latest state; before it, MISSING. */
const ecsServiceSchema = z.strictObject(
  {
    cluster: requiredString('the ECS cluster'),
    serviceName: requiredString('the ECS service name'),
    states: listOf(ecsStateSchema, 'states such as {"at": "0s", "desiredCount": 3, "runningCount": 1}'),
  },
  { error: objectError('an ECS service', ECS_SERVICE_FIELDS) },
);

export const ecsWorldSchema = z
  .strictObject(
    { services: listOf(ecsServiceSchema, 'ECS services').default([]) },
    { error: objectError('the ecs block', ['services']) },
  )
  .default({ services: [] });

export type EcsWorld = z.output<typeof ecsWorldSchema>;
