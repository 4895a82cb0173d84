/** A deployment of the world, as ListDeployments finds it. */
interface WorldDeployment {
  readonly deploymentId: string;
  readonly applicationName: string;
  readonly deploymentGroupName: string;
  readonly status: string;
}

/** The scenario's world.codedeploy as this service reads it: configurations and deployments. */
interface CodeDeployWorld {
  readonly configs: readonly ({ readonly deploymentConfigName: string } & Record<string, unknown>)[];
  readonly deployments: readonly WorldDeployment[];
}

/** An error CodeDeploy answers with: its name and message, and the HTTP status. */
export class CodeDeployError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GetDeploymentConfig as CodeDeploy answers it, from the world's configurations. */
export function getDeploymentConfig(
  world: CodeDeployWorld,
  input: Record<string, unknown>,
  createdAt: number,
): Record<string, unknown> {
  const name = input.deploymentConfigName;
  if (typeof name !== 'string' || name === '') {
    throw new CodeDeployError(
      'DeploymentConfigNameRequiredException',
      400,
      'Deployment config name is required',
    );
  }
  const config = world.configs.find((c) => c.deploymentConfigName === name) ?? predefined(name);
  if (!config) {
    throw new CodeDeployError(
      'DeploymentConfigDoesNotExistException',
      400,
      `No deployment configuration found for name: ${name}`,
    );
  }
  return {
    deploymentConfigInfo: {
      deploymentConfigId: `sim-${Buffer.from(name).toString('hex').slice(0, 24)}`,
      createTime: createdAt,
      ...config,
    },
  };
}

/**
 * ListDeployments as CodeDeploy answers it for one deployment group: the world's deployments of the
 * group, in the statuses asked for (all when none are), in one page. An application or group the world's
 * deployments never name has none; applicationName and deploymentGroupName go together, as CodeDeploy
 * requires.
 */
export function listDeployments(
  world: CodeDeployWorld,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const application = input.applicationName;
  const group = input.deploymentGroupName;
  if ((application === undefined) !== (group === undefined)) {
    throw new CodeDeployError(
      application === undefined ? 'ApplicationNameRequiredException' : 'DeploymentGroupNameRequiredException',
      400,
      'applicationName and deploymentGroupName are given together or not at all',
    );
  }
  const statuses = Array.isArray(input.includeOnlyStatuses) ? input.includeOnlyStatuses : undefined;
  const deployments = world.deployments
    .filter((d) => application === undefined || d.applicationName === application)
    .filter((d) => group === undefined || d.deploymentGroupName === group)
    .filter((d) => !statuses?.length || statuses.includes(d.status))
    .map((d) => d.deploymentId);
  return { deployments };
}

/**
 * CodeDeploy's own ECS and Lambda configurations, as the CodeDeploy User Guide names them: the
 * simulated service's data, apart from the table stepshift plans with (core/codedeploy-configs.ts),
 * so a test can tell when the two disagree.
 */
const PREDEFINED = [
  'CodeDeployDefault.ECSAllAtOnce',
  'CodeDeployDefault.ECSCanary10Percent5Minutes',
  'CodeDeployDefault.ECSCanary10Percent15Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
  'CodeDeployDefault.LambdaAllAtOnce',
  'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  'CodeDeployDefault.LambdaCanary10Percent15Minutes',
  'CodeDeployDefault.LambdaCanary10Percent30Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
];

const PREDEFINED_NAME =
  /^CodeDeployDefault\.(ECS|Lambda)(?:(AllAtOnce)|Canary(\d+)Percent(\d+)Minutes|Linear(\d+)PercentEvery(\d+)Minutes?)$/;

/** CodeDeploy answers for its own configurations too, in the same shape, their routing in their name. */
function predefined(name: string): Record<string, unknown> | undefined {
  const parts = PREDEFINED.includes(name) ? PREDEFINED_NAME.exec(name) : null;
  if (!parts) return undefined;
  const [, platform, allAtOnce, canaryPercentage, canaryInterval, linearPercentage, linearInterval] = parts;
  const trafficRoutingConfig = allAtOnce
    ? { type: 'AllAtOnce' }
    : canaryPercentage
      ? {
          type: 'TimeBasedCanary',
          timeBasedCanary: {
            canaryPercentage: Number(canaryPercentage),
            canaryInterval: Number(canaryInterval),
          },
        }
      : {
          type: 'TimeBasedLinear',
          timeBasedLinear: {
            linearPercentage: Number(linearPercentage),
            linearInterval: Number(linearInterval),
          },
        };
  return { deploymentConfigName: name, computePlatform: platform, trafficRoutingConfig };
}
