import * as z from 'zod';
import { PREDEFINED_PREFIX } from '#core/codedeploy-configs.ts';
import type { DeploymentConfigLookup } from '#core/ports.ts';
import { objectError, requiredString, show } from '#core/validation.ts';

/**
 * The scenario's `world.codedeploy`: the custom deployment configurations the account holds, each in
 * the shape GetDeploymentConfig returns as deploymentConfigInfo. CodeDeploy's predefined
 * configurations are not declared: stepshift resolves them offline and never asks for them. Read by
 * the simulated CodeDeploy (rehearsal/services/codedeploy/) and by `stepshift plan` for a scenario.
 */

const COMPUTE_PLATFORMS = ['Server', 'Lambda', 'ECS'] as const;
const ROUTING_TYPES = ['TimeBasedCanary', 'TimeBasedLinear', 'AllAtOnce'] as const;

/** A whole number, as CodeDeploy's percentages and minutes are. */
const whole = (what: string) =>
  z
    .number({ error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number` })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; give ${what} as a whole number` });

const CANARY_FIELDS = ['canaryPercentage', 'canaryInterval'] as const;
const LINEAR_FIELDS = ['linearPercentage', 'linearInterval'] as const;
const ROUTING_FIELDS = ['type', 'timeBasedCanary', 'timeBasedLinear'] as const;
const trafficRoutingSchema = z
  .strictObject(
    {
      type: z.enum(ROUTING_TYPES, {
        error: (iss) =>
          `${show(iss.input)} is not a traffic routing type; use one of: ${ROUTING_TYPES.join(', ')}`,
      }),
      timeBasedCanary: z
        .strictObject(
          {
            canaryPercentage: whole('the percentage the first increment shifts'),
            canaryInterval: whole('the minutes between the two increments'),
          },
          { error: objectError('timeBasedCanary', CANARY_FIELDS) },
        )
        .optional(),
      timeBasedLinear: z
        .strictObject(
          {
            linearPercentage: whole('the percentage each increment shifts'),
            linearInterval: whole('the minutes between increments'),
          },
          { error: objectError('timeBasedLinear', LINEAR_FIELDS) },
        )
        .optional(),
    },
    { error: objectError('a trafficRoutingConfig', ROUTING_FIELDS) },
  )
  .superRefine((routing, ctx) => {
    const needed =
      routing.type === 'TimeBasedCanary'
        ? 'timeBasedCanary'
        : routing.type === 'TimeBasedLinear'
          ? 'timeBasedLinear'
          : undefined;
    if (needed && routing[needed] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [needed],
        message: `is missing; a ${routing.type} configuration gives its ${needed}`,
      });
    }
  });

const HOSTS_FIELDS = ['type', 'value'] as const;
const CONFIG_FIELDS = [
  'deploymentConfigName',
  'computePlatform',
  'trafficRoutingConfig',
  'minimumHealthyHosts',
] as const;
const configSchema = z
  .strictObject(
    {
      // CreateDeploymentConfig takes names of 1..100 characters; the predefined prefix is CodeDeploy's own.
      deploymentConfigName: requiredString('the configuration name', 100).check(
        z.refine((name: string) => !name.startsWith(PREDEFINED_PREFIX), {
          error: (iss) =>
            `${show(iss.input)} starts with "${PREDEFINED_PREFIX}", which CodeDeploy keeps for its predefined configurations; give a custom name`,
        }),
      ),
      computePlatform: z.enum(COMPUTE_PLATFORMS, {
        error: (iss) =>
          `${show(iss.input)} is not a compute platform; use one of: ${COMPUTE_PLATFORMS.join(', ')}`,
      }),
      trafficRoutingConfig: trafficRoutingSchema.optional(),
      minimumHealthyHosts: z
        .strictObject(
          {
            type: z.enum(['HOST_COUNT', 'FLEET_PERCENT'], {
              error: (iss) => `${show(iss.input)} is not a type; use HOST_COUNT or FLEET_PERCENT`,
            }),
            value: whole('the number or percentage of healthy hosts'),
          },
          { error: objectError('minimumHealthyHosts', HOSTS_FIELDS) },
        )
        .optional(),
    },
    { error: objectError('a deployment configuration', CONFIG_FIELDS) },
  )
  .superRefine((config, ctx) => {
    // As CreateDeploymentConfig: a Server configuration counts healthy hosts and routes no traffic.
    const server = config.computePlatform === 'Server';
    if (server && config.trafficRoutingConfig) {
      ctx.addIssue({
        code: 'custom',
        path: ['trafficRoutingConfig'],
        message: 'is for ECS and Lambda configurations; a Server configuration gives minimumHealthyHosts',
      });
    }
    if (!server && !config.trafficRoutingConfig) {
      ctx.addIssue({
        code: 'custom',
        path: ['trafficRoutingConfig'],
        message: `is missing; an ${config.computePlatform} configuration says how it shifts traffic`,
      });
    }
  });

/** A deployment's statuses (API reference: ListDeployments includeOnlyStatuses). */
const DEPLOYMENT_STATUSES = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
  'Succeeded',
  'Failed',
  'Stopped',
] as const;
const DEPLOYMENT_FIELDS = ['deploymentId', 'applicationName', 'deploymentGroupName', 'status'] as const;
const deploymentSchema = z.strictObject(
  {
    deploymentId: requiredString('the deployment id, such as "d-ABCDEF123"', 100),
    applicationName: requiredString('the application the deployment belongs to', 100),
    deploymentGroupName: requiredString('the deployment group it deploys', 100),
    status: z.enum(DEPLOYMENT_STATUSES, {
      error: (iss) =>
        `${show(iss.input)} is not a deployment status; use one of: ${DEPLOYMENT_STATUSES.join(', ')}`,
    }),
  },
  { error: objectError('a deployment', DEPLOYMENT_FIELDS) },
);

const CODEDEPLOY_FIELDS = ['configs', 'deployments'] as const;
export const codedeployWorldSchema = z
  .strictObject(
    {
      configs: z.array(configSchema, { error: 'give a list of deployment configurations' }).default([]),
      // The account's deployments by group and status, as ListDeployments reads them.
      deployments: z.array(deploymentSchema, { error: 'give a list of deployments' }).default([]),
    },
    { error: objectError('the codedeploy block', CODEDEPLOY_FIELDS) },
  )
  .superRefine((world, ctx) => {
    const seen = new Set<string>();
    world.configs.forEach((config, i) => {
      if (seen.has(config.deploymentConfigName)) {
        ctx.addIssue({
          code: 'custom',
          path: ['configs', i, 'deploymentConfigName'],
          message: 'repeats a configuration name; names are unique in an account and region',
        });
      }
      seen.add(config.deploymentConfigName);
    });
  })
  .default({ configs: [], deployments: [] });

export type CodeDeployWorld = z.output<typeof codedeployWorldSchema>;

/**
 * What GetDeploymentConfig would tell about a custom name in this world, in core's terms: lets
 * `stepshift plan` show a scenario's custom configuration without running the rehearsal.
 */
export function lookupInWorld(world: CodeDeployWorld, name: string): DeploymentConfigLookup {
  const config = world.configs.find((c) => c.deploymentConfigName === name);
  if (!config) return { found: 'nothing' };
  const routing = config.trafficRoutingConfig;
  if (!routing) return { found: 'no-traffic-routing', computePlatform: config.computePlatform };
  if (routing.type === 'AllAtOnce') return { found: 'traffic-routing', routing: { type: 'AllAtOnce' } };
  const [percentage, intervalMinutes] =
    routing.type === 'TimeBasedCanary'
      ? [routing.timeBasedCanary?.canaryPercentage, routing.timeBasedCanary?.canaryInterval]
      : [routing.timeBasedLinear?.linearPercentage, routing.timeBasedLinear?.linearInterval];
  return {
    found: 'traffic-routing',
    routing: {
      type: routing.type,
      percentage: percentage ?? Number.NaN,
      intervalMinutes: intervalMinutes ?? Number.NaN,
    },
  };
}
