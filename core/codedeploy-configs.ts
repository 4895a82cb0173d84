import type { TrafficRouting } from './ports.ts';

/**
 * CodeDeploy deployment configurations as stepshift steps. A configuration's traffic routing is one of
 * CodeDeploy's three (GetDeploymentConfig's trafficRoutingConfig): TimeBasedCanary shifts in two
 * increments (the percentage, then the rest after the interval); TimeBasedLinear shifts the same
 * percentage every interval until all traffic has moved; AllAtOnce shifts everything at once.
 */

/** The prefix CodeDeploy reserves for its own configurations; a custom one cannot use it. */
export const PREDEFINED_PREFIX = 'CodeDeployDefault.';

const canary = (percentage: number, intervalMinutes: number): TrafficRouting => ({
  type: 'TimeBasedCanary',
  percentage,
  intervalMinutes,
});
const linear = (percentage: number, intervalMinutes: number): TrafficRouting => ({
  type: 'TimeBasedLinear',
  percentage,
  intervalMinutes,
});
const ALL_AT_ONCE: TrafficRouting = { type: 'AllAtOnce' };

/**
 * CodeDeploy's predefined ECS and Lambda configurations, spelled as AWS spells them (ECS linear says
 * "Every1Minutes", Lambda linear "Every1Minute"); the CodeDeploy User Guide's tables and aws-cdk-lib's
 * EcsDeploymentConfig and LambdaDeploymentConfig list the same names.
 */
export const PREDEFINED_CONFIGS: Readonly<Record<string, TrafficRouting>> = {
  'CodeDeployDefault.ECSAllAtOnce': ALL_AT_ONCE,
  'CodeDeployDefault.ECSCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.ECSCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': linear(10, 1),
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': linear(10, 3),
  'CodeDeployDefault.LambdaAllAtOnce': ALL_AT_ONCE,
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': canary(10, 10),
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': canary(10, 30),
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': linear(10, 1),
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': linear(10, 2),
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': linear(10, 3),
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': linear(10, 10),
};

/** The predefined EC2/on-premises configurations: minimum healthy hosts, no traffic routing. */
const SERVER_CONFIGS = [
  'CodeDeployDefault.AllAtOnce',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.OneAtATime',
] as const;

/** Whether a name is CodeDeploy's own, which stepshift resolves offline, rather than a custom one. */
export function isPredefined(name: string): boolean {
  return name.startsWith(PREDEFINED_PREFIX);
}

/** Why a predefined-looking name cannot be released with, or undefined when it names a traffic routing. */
export function predefinedProblem(name: string): string | undefined {
  if (!isPredefined(name) || name in PREDEFINED_CONFIGS) return undefined;
  if ((SERVER_CONFIGS as readonly string[]).includes(name)) {
    return `${JSON.stringify(name)} is an EC2/on-premises configuration (minimum healthy hosts), which shifts no traffic; use an ECS or Lambda one, such as "CodeDeployDefault.ECSCanary10Percent5Minutes"`;
  }
  return `${JSON.stringify(name)} is not a predefined CodeDeploy configuration; use one of: ${Object.keys(PREDEFINED_CONFIGS).join(', ')}, or the name of a custom configuration in your account`;
}

/** One step of a strategy: the new version's weight and how long it bakes. */
export interface StrategyStep {
  readonly weight: number;
  readonly bakeSeconds: number;
}

/**
 * Linear steps: stepPercent, 2 x stepPercent, ... while below 100, each baked for the interval; the
 * shift to 100 is the promotion. This is CodeDeploy's TimeBasedLinear: 10% every minute holds 10..90
 * for a minute each and moves the rest at the ninth minute.
 */
export function linearSteps(stepPercent: number, bakeSeconds: number): StrategyStep[] {
  const steps: StrategyStep[] = [];
  for (let weight = stepPercent; weight < 100; weight += stepPercent) steps.push({ weight, bakeSeconds });
  return steps;
}

/**
 * A traffic routing as steps. `allAtOnceBakeSeconds` is how long stepshift watches the new version at
 * 100% before it promotes, for AllAtOnce, where CodeDeploy itself waits no time but an analysis needs
 * some. Returns a sentence (without the field) when the routing cannot be walked.
 */
export function routingSteps(
  routing: TrafficRouting,
  allAtOnceBakeSeconds: number | undefined,
): StrategyStep[] | string {
  if (routing.type === 'AllAtOnce') {
    return allAtOnceBakeSeconds === undefined
      ? 'shifts all traffic at once; give strategy.bake, how long to watch the new version at 100% before promoting, like 5m'
      : [{ weight: 100, bakeSeconds: allAtOnceBakeSeconds }];
  }
  if (allAtOnceBakeSeconds !== undefined) {
    return `is a ${routing.type} configuration, which bakes each step for its own interval; leave strategy.bake out (it is only for all-at-once configurations)`;
  }
  const { percentage, intervalMinutes } = routing;
  if (!Number.isInteger(percentage) || percentage < 1 || percentage > 99) {
    return `shifts ${percentage}% per increment; stepshift walks whole percentages 1..99 before promoting`;
  }
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1) {
    return `waits ${intervalMinutes} minutes between increments; stepshift needs each step to bake a whole number of minutes, 1 or more`;
  }
  const bakeSeconds = intervalMinutes * 60;
  return routing.type === 'TimeBasedCanary'
    ? [{ weight: percentage, bakeSeconds }]
    : linearSteps(percentage, bakeSeconds);
}

/** A traffic routing in words, as `stepshift plan` shows it next to the configuration's name. */
export function describeRouting(routing: TrafficRouting): string {
  switch (routing.type) {
    case 'AllAtOnce':
      return 'AllAtOnce: all traffic at once';
    case 'TimeBasedCanary':
      return `TimeBasedCanary: ${routing.percentage}%, then the rest after ${routing.intervalMinutes} minute(s)`;
    case 'TimeBasedLinear':
      return `TimeBasedLinear: ${routing.percentage}% more every ${routing.intervalMinutes} minute(s)`;
  }
}
