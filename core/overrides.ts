import { formatDuration } from './duration.ts';
import {
  DEFAULT_CONFIDENCE,
  DEFAULT_INCONCLUSIVE_LIMIT,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_TOLERANCE,
  type MetricCheck,
} from './health/metric-checks.ts';
import type { Plan } from './plan.ts';
import type { OnFailure } from './profile/analysis.ts';
import type { ReleaseProfile } from './profile/profile.ts';
import type {
  MetricCheckOverride,
  Overridable,
  ReleaseRequest,
  RequestOverrides,
} from './profile/request.ts';
import type { Strategy } from './profile/strategy.ts';

import { show } from './validation.ts';

/**
 * A request's `overrides` may only make a release stricter: anyone who may start a release (a person
 * at the console, a pipeline, whoever may put events on the bus) may tighten the gates the profile set,
 * never loosen them. What "stricter" means, field by field (docs/overrides.md says the same):
 *
 * - strategy: at no moment may the new version get more traffic than under the profile's strategy,
 *   and it may not be promoted sooner (more steps, lower weights, longer intervals and bakes); a side
 *   route (blue-green, ab) only as the profile's own, with the same header match;
 * - analysis: alarms added to the profile's, never dropped; failureThreshold and inconclusiveLimit
 *   lower; interval shorter; insufficientData "ignore" to "fail"; a metric check of the profile, named,
 *   with a tighter bound (lower max, higher min), a noData nearer "fail", a lower confidence or
 *   tolerance;
 * - onFailure: toward "rollback" (freeze, then gradual, then rollback).
 *
 * A profile may let requests choose freely, block by block: "allowOverrides": ["strategy", "analysis",
 * "onFailure"]. Two rules hold even then. Metric queries never come from a request: they would run
 * under Analyze's role and their values come back in the reason, so a request may only name the
 * profile's checks. And a request may name only alarms some release profile names: those are the
 * alarms the construct's alarm rule (and any permission scoped to profiles' alarms) covers.
 */
type AnalysisOverride = NonNullable<RequestOverrides['analysis']>;

/** The fields of `patch` that are set, for spreading over what they replace. */
function given<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function tightened(check: MetricCheck, patches: readonly MetricCheckOverride[] | undefined): MetricCheck {
  const patch = patches?.find((p) => p.name === check.name);
  if (!patch) return check;
  const { name, queries, returnId, ...judgement } = patch;
  return { ...check, ...given(judgement) };
}

/**
 * The profile a release runs with: the service's own, with what the request's overrides set in place
 * of its fields. A strategy replaces the profile's whole; analysis and metric checks field by field,
 * so what a request leaves out keeps the profile's value. Whether the request may set those is
 * overrideProblems' question.
 */
export function applyOverrides(profile: ReleaseProfile, request: ReleaseRequest): ReleaseProfile {
  const overrides = request.overrides;
  if (!overrides) return profile;
  const { metrics, ...analysis } = overrides.analysis ?? {};
  return {
    ...profile,
    strategy: overrides.strategy ?? profile.strategy,
    analysis: overrides.analysis
      ? {
          ...profile.analysis,
          ...given(analysis),
          ...(profile.analysis.metrics
            ? { metrics: profile.analysis.metrics.map((check) => tightened(check, metrics)) }
            : {}),
        }
      : profile.analysis,
    onFailure: overrides.onFailure ?? profile.onFailure,
  };
}

/** Where the request's fields are, as the trigger's payload names them ("event.detail.overrides..."). */
export type FieldOf = (path: readonly PropertyKey[]) => string;

export interface OverrideScope {
  readonly field: FieldOf;
  /** Every alarm a release profile of this deployment names. */
  readonly profileAlarms: ReadonlySet<string>;
  /** The plans of the profile's own strategy and of the request's, when the request overrides it. */
  readonly plans?: { readonly own: Plan; readonly overridden: Plan };
}

const allows = (profile: ReleaseProfile, block: Overridable) =>
  profile.allowOverrides?.includes(block) ?? false;

const unlessAllowed = (block: Overridable) =>
  `a request may only make a release stricter, unless the profile says "allowOverrides": ["${block}"]`;

/**
 * Why the request's overrides cannot be taken, each naming the field and what is allowed; empty when
 * they can.
 */
export function overrideProblems(
  profile: ReleaseProfile,
  overrides: RequestOverrides,
  scope: OverrideScope,
): string[] {
  const problems: string[] = [];
  if (overrides.strategy && !allows(profile, 'strategy')) {
    const problem = strategyProblem(profile.strategy, overrides.strategy, scope.plans);
    if (problem) {
      problems.push(`${scope.field(['overrides', 'strategy'])}: ${problem}; ${unlessAllowed('strategy')}`);
    }
  }
  if (overrides.analysis) problems.push(...analysisProblems(profile, overrides.analysis, scope));
  if (overrides.onFailure && !allows(profile, 'onFailure')) {
    if (FAILURE_RANK[overrides.onFailure] < FAILURE_RANK[profile.onFailure]) {
      problems.push(
        `${scope.field(['overrides', 'onFailure'])}: "${overrides.onFailure}" is weaker than the profile's "${profile.onFailure}" ("rollback" is the strictest, then "gradual", then "freeze"); ${unlessAllowed('onFailure')}`,
      );
    }
  }
  return problems;
}

/** How firmly a failed analysis ends the exposure: rollback at once, step down, or hold for a person. */
const FAILURE_RANK: Record<OnFailure, number> = { rollback: 2, gradual: 1, freeze: 0 };
/** How firmly a check with no datapoints counts against the release. */
const NO_DATA_RANK = { fail: 2, inconclusive: 1, pass: 0 } as const;

/** The traffic the new version gets t seconds in: its weight, or Infinity once promoted (no longer watched). */
function exposureAt(plan: Plan, t: number): number {
  if (t >= plan.totalSeconds) return Number.POSITIVE_INFINITY;
  return plan.steps.findLast((s) => s.startsAtSeconds <= t)?.weight ?? 0;
}

function exposureWords(weight: number): string {
  return weight === 0 ? "0% (production untouched, only a side route's requests)" : `${weight}%`;
}

/**
 * Why a strategy override is not stricter than the profile's: the first moment the new version would
 * get more traffic, or be promoted sooner; or a side route the profile does not open.
 */
function strategyProblem(
  own: Strategy,
  overridden: Strategy,
  plans: OverrideScope['plans'],
): string | undefined {
  if (overridden.type === 'blue-green' || overridden.type === 'ab') {
    const same =
      own.type === overridden.type &&
      JSON.stringify(own.type === 'blue-green' ? own.testHeader : own.match) ===
        JSON.stringify(overridden.type === 'blue-green' ? overridden.testHeader : overridden.match);
    if (!same) {
      return `opens a ${overridden.type} side route the profile's ${own.type} strategy does not (its header match decides which requests reach the new version, whatever the weights)`;
    }
  }
  if (!plans) return undefined;
  const times = [
    ...new Set(
      [plans.own, plans.overridden].flatMap((p) => [
        p.totalSeconds,
        ...p.steps.map((s) => s.startsAtSeconds),
      ]),
    ),
  ].sort((a, b) => a - b);
  for (const t of times) {
    const mine = exposureAt(plans.overridden, t);
    const theirs = exposureAt(plans.own, t);
    if (mine <= theirs) continue;
    const at = formatDuration(t);
    return mine === Number.POSITIVE_INFINITY
      ? `promotes at ${at}, while the profile's ${own.type} strategy still watches the new version at ${exposureWords(theirs)} until ${formatDuration(plans.own.totalSeconds)}`
      : `puts ${mine}% on the new version at ${at}, where the profile's ${own.type} strategy puts ${exposureWords(theirs)} (at no moment may a request send the new version more traffic, or promote it sooner)`;
  }
  return undefined;
}

function analysisProblems(
  profile: ReleaseProfile,
  override: AnalysisOverride,
  scope: OverrideScope,
): string[] {
  const own = profile.analysis;
  const free = allows(profile, 'analysis');
  const at = (...path: PropertyKey[]) => scope.field(['overrides', 'analysis', ...path]);
  const weaker = (path: PropertyKey[], words: string) =>
    `${at(...path)}: ${words}; ${unlessAllowed('analysis')}`;
  const problems: string[] = [];
  override.alarms?.forEach((name, i) => {
    if (!scope.profileAlarms.has(name)) {
      problems.push(
        `${at('alarms', i)}: ${show(name)} is an alarm no release profile names; a request may add only alarms a profile names (the construct's alarm rule and permissions cover those): name it in a profile's analysis.alarms first`,
      );
    }
  });
  if (!free) {
    const missing = own.alarms.filter((name) => override.alarms && !override.alarms.includes(name));
    if (missing.length) {
      problems.push(
        weaker(
          ['alarms'],
          `leaves out the profile's ${missing.map((n) => show(n)).join(', ')}; a request may add alarms to the profile's, not drop them`,
        ),
      );
    }
    if (override.failureThreshold !== undefined && override.failureThreshold > own.failureThreshold) {
      problems.push(
        weaker(
          ['failureThreshold'],
          `${override.failureThreshold} is above the profile's ${own.failureThreshold}; a request may roll back after fewer failed checks, not more`,
        ),
      );
    }
    if (override.insufficientData === 'ignore' && own.insufficientData === 'fail') {
      problems.push(weaker(['insufficientData'], `"ignore" is weaker than the profile's "fail"`));
    }
    const interval = override.interval;
    const ownInterval = own.interval;
    if (interval !== undefined && ownInterval !== undefined && interval > ownInterval) {
      problems.push(
        weaker(
          ['interval'],
          `${show(formatDuration(interval))} is longer than the profile's ${show(formatDuration(ownInterval))}; a request may check health more often, not less`,
        ),
      );
    }
    const limit = own.inconclusiveLimit ?? DEFAULT_INCONCLUSIVE_LIMIT;
    if (override.inconclusiveLimit !== undefined && override.inconclusiveLimit > limit) {
      problems.push(
        weaker(
          ['inconclusiveLimit'],
          `${override.inconclusiveLimit} is above the profile's ${limit}; a request may fail an inconclusive check sooner, not later`,
        ),
      );
    }
  }
  override.metrics?.forEach((patch, i) => {
    const check = own.metrics?.find((c) => c.name === patch.name);
    if (!check) {
      const names = own.metrics?.map((c) => c.name).join(', ');
      problems.push(
        `${at('metrics', i, 'name')}: ${show(patch.name)} names no metric check of the profile (${names ? `it has ${names}` : 'it has none'}); a request may tighten the profile's checks by name, never add one: its queries would run under Analyze's role`,
      );
      return;
    }
    problems.push(
      ...metricProblems(check, patch, free, (field, words) => `${at('metrics', i, field)}: ${words}`),
    );
  });
  return problems;
}

/** Why a request's patch of one metric check cannot be taken. */
function metricProblems(
  check: MetricCheck,
  patch: MetricCheckOverride,
  free: boolean,
  problem: (field: string, words: string) => string,
): string[] {
  const problems: string[] = [];
  const stricter = (field: string, words: string) => {
    if (!free) problems.push(problem(field, `${words}; ${unlessAllowed('analysis')}`));
  };
  if (check.compare) {
    for (const field of ['max', 'min'] as const) {
      if (patch[field] !== undefined) {
        problems.push(
          problem(
            field,
            `${check.name} compares the canary with the stable version and has no bounds; tighten its tolerance or confidence instead`,
          ),
        );
      }
    }
  } else {
    for (const field of ['confidence', 'tolerance'] as const) {
      if (patch[field] !== undefined) {
        problems.push(problem(field, `applies only to a comparison, and ${check.name} is a bound check`));
      }
    }
    const max = patch.max ?? check.max;
    const min = patch.min ?? check.min;
    if (max !== undefined && min !== undefined && min > max) {
      problems.push(problem('min', `${min} is above max (${max}); no value could pass`));
    }
    if (patch.max !== undefined && check.max !== undefined && patch.max > check.max) {
      stricter(
        'max',
        `${patch.max} is above the profile's max ${check.max}; a request may lower a max, not raise it`,
      );
    }
    if (patch.min !== undefined && check.min !== undefined && patch.min < check.min) {
      stricter(
        'min',
        `${patch.min} is below the profile's min ${check.min}; a request may raise a min, not lower it`,
      );
    }
  }
  if (patch.noData !== undefined && NO_DATA_RANK[patch.noData] < NO_DATA_RANK[check.noData]) {
    stricter(
      'noData',
      `"${patch.noData}" is weaker than the profile's "${check.noData}" ("fail" is the strictest, then "inconclusive", then "pass")`,
    );
  }
  if (check.compare) {
    const confidence = check.confidence ?? DEFAULT_CONFIDENCE;
    if (patch.confidence !== undefined && patch.confidence > confidence) {
      stricter(
        'confidence',
        `${patch.confidence} is above the profile's ${confidence}; a higher confidence needs stronger evidence before the canary fails, so a request may lower it, not raise it`,
      );
    }
    const tolerance = check.tolerance ?? DEFAULT_TOLERANCE;
    if (patch.tolerance !== undefined && patch.tolerance > tolerance) {
      stricter(
        'tolerance',
        `${patch.tolerance} is above the profile's ${tolerance}; a request may let the canary be less worse, not more`,
      );
    }
  }
  const samples = check.minSamples ?? DEFAULT_MIN_SAMPLES[check.compare ? 'comparison' : 'bound'];
  if (patch.minSamples !== undefined && patch.minSamples !== samples) {
    stricter(
      'minSamples',
      `changes the ${samples} samples a verdict needs, which is stricter neither way (more delays a failure, fewer judges on noise)`,
    );
  }
  return problems;
}
