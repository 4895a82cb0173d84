import { SIMULATED_ACCOUNT } from '#routers/sim/account.ts';
import type { Json } from '#routers/sim/service.ts';
import type { EcsWorld } from './world.ts';

/** The operations the simulated ECS serves; a scenario's fault may target any of them. */
export const ECS_OPERATIONS = ['DescribeServices'] as const;

/**
 * ECS DescribeServices: each named service in its latest scripted state at this time, or a
 * "MISSING" failure before its first (or when the world does not have it), as ECS answers.
 */
export function describeServices(world: EcsWorld, input: Json, region: string, at: number): Json {
  const cluster = String(input.cluster ?? 'default');
  const names = Array.isArray(input.services) ? input.services.map(String) : [];
  const services: Json[] = [];
  const failures: Json[] = [];
  for (const name of names) {
    const arn = `arn:aws:ecs:${region}:${SIMULATED_ACCOUNT}:service/${cluster}/${name}`;
    const scripted = world.services.find((s) => s.cluster === cluster && s.serviceName === name);
    const state = scripted?.states.findLast((s) => s.at <= at);
    if (!state) {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    services.push({
      serviceArn: arn,
      serviceName: name,
      clusterArn: `arn:aws:ecs:${region}:${SIMULATED_ACCOUNT}:cluster/${cluster}`,
      status: state.status,
      desiredCount: state.desiredCount,
      runningCount: state.runningCount,
      pendingCount: Math.max(0, state.desiredCount - state.runningCount),
      deployments: Array.from({ length: state.deployments }, (_, i) => ({
        id: `ecs-svc/${i + 1}`,
        status: i === 0 ? 'PRIMARY' : 'ACTIVE',
        rolloutState:
          state.deployments === 1 && state.runningCount === state.desiredCount ? 'COMPLETED' : 'IN_PROGRESS',
      })),
    });
  }
  return { services, failures };
}

/**
 * Lambda Invoke of a hook function: answered from world.hooks by the hook's name (the profile maps
 * function names to hooks: `hookFunctions`). "error" answers as a function error (the
 * X-Amz-Function-Error header), "timeout" as one after the hook's time; a function the world does not
 * script is not found.
 */
