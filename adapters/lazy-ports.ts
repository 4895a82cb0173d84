import { onFirstUse, type PortBuilder } from './port-builders.ts';

// Ports whose code and SDK client are imported when first called, each in a module that only the
// functions listing them import: esbuild emits a chunk for every import() in a module it bundles,
// used or not.

// Only a profile that names targets.ecsService reads ECS, and only a strategy that names a CodeDeploy
// configuration reads CodeDeploy: each client is imported when its port is first called.
export const ecs: PortBuilder<'ecs'> = (o) => {
  const port = onFirstUse(async () => (await import('./aws/ecs-services.ts')).ecsServicesOver(o.aws));
  return { describe: async (cluster, service) => (await port()).describe(cluster, service) };
};
export const deploymentConfigs: PortBuilder<'deploymentConfigs'> = (o) => {
  const port = onFirstUse(async () =>
    (await import('./aws/codedeploy-configs.ts')).codeDeployConfigsOver(o.aws),
  );
  return { trafficRouting: async (name) => (await port()).trafficRouting(name) };
};

// Prepare asks Step Functions about an execution only when another holds the route's lock, which is
// rare: its SFN client is imported then. The guard, which asks every time, lists `executions` instead.
export const executionsOnFirstUse: PortBuilder<'executions'> = (o) => {
  const port = onFirstUse(async () =>
    (await import('./aws/sfn-execution-status.ts')).executionStatusOver(o.aws),
  );
  return {
    isRunning: async (executionId) => (await port()).isRunning(executionId),
    ending: async (executionId) => (await port()).ending(executionId),
  };
};
