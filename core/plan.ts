import {
  isPredefined,
  linearSteps,
  PREDEFINED_CONFIGS,
  routingSteps,
  type StrategyStep,
} from './codedeploy-configs.ts';
import { formatDuration } from './duration.ts';
import { InvalidRequestError } from './errors.ts';
import type { TrafficRouting } from './ports.ts';
import type { ReleaseProfile } from './profile/profile.ts';

/** One traffic step: the canary's weight, how long it bakes, and how many health checks fall in it. */
export interface PlanStep {
  readonly index: number;
  /** The new version's share of the route; 0 is blue/green's or A/B's side-route step. */
  readonly weight: number;
  readonly bakeSeconds: number;
  /** Seconds of each wait between checks; the last may be shorter. Their sum is bakeSeconds. */
  readonly checkSeconds: readonly number[];
  /** Offset from the start of the release, assuming every call is instant. */
  readonly startsAtSeconds: number;
}

export interface Plan {
  readonly steps: readonly PlanStep[];
  readonly totalSeconds: number;
  /** Step Functions state transitions on the promoted path (what Standard workflows bill). */
  readonly stateTransitions: number;
  /** Execution history events on the promoted path; an execution fails at 25,000. */
  readonly historyEvents: number;
  readonly priceUsd: number;
}

/** Step Functions Standard: $0.025 per 1,000 state transitions (us-east-1 list price). */
const PRICE_PER_TRANSITION_USD = 0.025 / 1000;
export const HISTORY_EVENT_LIMIT = 25_000;
/** Kept free for rollback, Step Functions retries and operator actions, so a busy release still fits. */
export const HISTORY_EVENT_RESERVE = 500;
const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;

/**
 * What one pass through each state of statemachines/release.asl.json costs. The numbers follow AWS's
 * history event types (TaskStateEntered, TaskScheduled, TaskStarted, [TaskSubmitted,] TaskSucceeded or
 * TaskTimedOut, TaskStateExited); the rehearsal tests check the transitions against real runs.
 */
const COST = {
  execution: { transitions: 0, events: 2 },
  lambdaTask: { transitions: 1, events: 5 },
  callbackTask: { transitions: 1, events: 6 },
  choice: { transitions: 1, events: 2 },
  succeed: { transitions: 1, events: 2 },
} as const;

/**
 * History events one more check costs (Bake, Analyze, the Choice): what holding a paused or frozen
 * release spends on top of the plan.
 */
export const HOLD_HISTORY_EVENTS = COST.callbackTask.events + COST.lambdaTask.events + COST.choice.events;

/**
 * The strategy's steps. A custom CodeDeploy configuration is only known once Prepare has read it with
 * GetDeploymentConfig, so its routing comes in as `resolved`.
 */
function stepsOf(profile: ReleaseProfile, resolved: TrafficRouting | undefined): StrategyStep[] {
  const strategy = profile.strategy;
  switch (strategy.type) {
    case 'canary': {
      const bakeSeconds = strategy.interval;
      return strategy.steps.map((weight) => ({ weight, bakeSeconds }));
    }
    case 'linear':
      return linearSteps(strategy.stepPercent, strategy.interval);
    case 'all-at-once':
      return [{ weight: 100, bakeSeconds: strategy.bake }];
    case 'codedeploy': {
      const routing = PREDEFINED_CONFIGS[strategy.config] ?? resolved;
      if (!routing) {
        throw new InvalidRequestError([
          `strategy.config: ${strategy.config} is a custom CodeDeploy configuration, which only Prepare can read (GetDeploymentConfig); plan it with its traffic routing`,
        ]);
      }
      const steps = routingSteps(routing, strategy.bake);
      if (typeof steps === 'string')
        throw new InvalidRequestError([`strategy.config: ${strategy.config} ${steps}`]);
      return steps;
    }
    case 'blue-green': {
      // Test traffic first, through the side route (production at 0), then production at once.
      const bakeSeconds = strategy.bake;
      return [
        { weight: 0, bakeSeconds },
        { weight: 100, bakeSeconds },
      ];
    }
    case 'ab':
      // Only the cohort reaches the new version, through the side route; promotion moves everyone.
      return [{ weight: 0, bakeSeconds: strategy.bake }];
  }
}

/** The custom CodeDeploy configuration a profile names, which must be read before it can be planned. */
export function customConfigOf(profile: ReleaseProfile): string | undefined {
  const strategy = profile.strategy;
  return strategy.type === 'codedeploy' && !isPredefined(strategy.config) ? strategy.config : undefined;
}

function checksFor(bakeSeconds: number, analysisSeconds: number | undefined): number[] {
  const every = Math.min(analysisSeconds ?? bakeSeconds, bakeSeconds);
  const out: number[] = [];
  for (let left = bakeSeconds; left > 0; left -= every) out.push(Math.min(every, left));
  return out;
}

/**
 * Turns a profile into the steps a release walks and what it will cost. A profile with a custom
 * CodeDeploy configuration needs the configuration's traffic routing (`resolved`), read at Prepare.
 * @example planRelease(profile).steps.map((s) => s.weight) // [10, 25, 50]
 * @throws InvalidRequestError when the release would not fit in one Step Functions execution.
 */
export function planRelease(profile: ReleaseProfile, resolved?: TrafficRouting): Plan {
  const analysisSeconds = profile.analysis.interval;
  let startsAtSeconds = 0;
  const steps = stepsOf(profile, resolved).map((s, index) => {
    const step: PlanStep = {
      index,
      ...s,
      checkSeconds: checksFor(s.bakeSeconds, analysisSeconds),
      startsAtSeconds,
    };
    startsAtSeconds += s.bakeSeconds;
    return step;
  });
  const checks = steps.reduce((n, s) => n + s.checkSeconds.length, 0);
  // Prepare, then per step Shift, per check Bake + Analyze + Choice, then Promote, Finish, Succeed.
  const perCheck = [COST.callbackTask, COST.lambdaTask, COST.choice];
  const sum = (key: 'transitions' | 'events') =>
    COST.execution[key] +
    COST.lambdaTask[key] * (1 + steps.length + 2) +
    checks * perCheck.reduce((n, c) => n + c[key], 0) +
    COST.succeed[key];
  const stateTransitions = sum('transitions');
  const historyEvents = sum('events');
  const plan: Plan = {
    steps,
    totalSeconds: startsAtSeconds,
    stateTransitions,
    historyEvents,
    priceUsd: Math.round(stateTransitions * PRICE_PER_TRANSITION_USD * 1e6) / 1e6,
  };
  const problems: string[] = [];
  if (historyEvents + HISTORY_EVENT_RESERVE > HISTORY_EVENT_LIMIT) {
    problems.push(
      `the plan needs ${historyEvents} execution history events (${checks} health checks) plus ${HISTORY_EVENT_RESERVE} kept for rollback and retries, above Step Functions' limit of ${HISTORY_EVENT_LIMIT}; use fewer steps or a longer analysis.interval`,
    );
  }
  if (plan.totalSeconds > MAX_EXECUTION_SECONDS) {
    problems.push(
      `the plan runs ${formatDuration(plan.totalSeconds)}, longer than a Step Functions execution may (1 year)`,
    );
  }
  if (problems.length) throw new InvalidRequestError(problems);
  return plan;
}
