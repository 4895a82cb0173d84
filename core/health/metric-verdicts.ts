import type { Signal } from '../shapes.ts';
import { judgeComparison } from './judge.ts';
import {
  DEFAULT_CONFIDENCE,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_TOLERANCE,
  type MetricCheck,
} from './metric-checks.ts';
import { type MetricRequestPlan, type Side, sideOf } from './metric-request.ts';

/** The values each returned query got, by id. */
export type SeriesById = ReadonlyMap<string, readonly number[]>;

function formatValue(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

function samples(n: number): string {
  return `${n} sample${n === 1 ? '' : 's'}`;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

type Judged = Omit<Signal, 'name' | 'kind'>;

function noData(check: MetricCheck): Judged {
  const detail = `has no datapoints in the window; noData is "${check.noData}"`;
  switch (check.noData) {
    case 'fail':
      return { value: 'NO DATA', verdict: 'fail', detail, samples: 0 };
    case 'pass':
      return { value: 'NO DATA', verdict: 'pass', detail, samples: 0 };
    default:
      return { value: 'NO DATA', verdict: 'inconclusive', detail, samples: 0 };
  }
}

/** A bound check: the mean of the window's samples against max and min. */
function judgeBounds(check: MetricCheck, values: readonly number[]): Judged {
  if (values.length === 0) return noData(check);
  const needed = check.minSamples ?? DEFAULT_MIN_SAMPLES.bound;
  const unit = check.unit ? ` ${check.unit}` : '';
  if (values.length < needed) {
    return {
      value: 'TOO FEW',
      verdict: 'inconclusive',
      detail: `has ${samples(values.length)}, fewer than the ${needed} minSamples asks for`,
      samples: values.length,
    };
  }
  const m = mean(values);
  const measured = {
    [sideOf(check)]: m,
    ...(check.min === undefined ? {} : { min: check.min }),
    ...(check.max === undefined ? {} : { max: check.max }),
  };
  const shown = `${formatValue(m)}${unit}`;
  const over = `over ${samples(values.length)}`;
  if (check.max !== undefined && m > check.max) {
    return {
      value: formatValue(m),
      verdict: 'fail',
      detail: `${shown} above max ${check.max}${unit} ${over}`,
      samples: values.length,
      measured,
    };
  }
  if (check.min !== undefined && m < check.min) {
    return {
      value: formatValue(m),
      verdict: 'fail',
      detail: `${shown} below min ${check.min}${unit} ${over}`,
      samples: values.length,
      measured,
    };
  }
  const bounds = [
    check.min === undefined ? undefined : `min ${check.min}${unit}`,
    check.max === undefined ? undefined : `max ${check.max}${unit}`,
  ]
    .filter((b) => b !== undefined)
    .join(' and ');
  return {
    value: formatValue(m),
    verdict: 'pass',
    detail: `${shown} within ${bounds} ${over}`,
    samples: values.length,
    measured,
  };
}

/**
 * A comparison: core/health/judge.ts's Mann-Whitney judge of the canary's samples against the stable's.
 * Marginal counts as inconclusive: not bad enough to fail, not clean enough to pass, so a canary that
 * stays marginal reaches the inconclusive limit.
 */
function judgeAgainstStable(
  check: MetricCheck,
  canary: readonly number[],
  stable: readonly number[],
): Judged {
  if (canary.length === 0) return noData(check);
  const j = judgeComparison({
    canary,
    baseline: stable,
    direction: check.direction ?? 'increase-is-bad',
    confidence: check.confidence ?? DEFAULT_CONFIDENCE,
    tolerance: check.tolerance ?? DEFAULT_TOLERANCE,
    minSamples: check.minSamples ?? DEFAULT_MIN_SAMPLES.comparison,
    metric: check.name,
    ...(check.unit ? { unit: check.unit } : {}),
  });
  const score = j.score === null ? '' : ` (score ${Math.round(j.score)})`;
  const tolerance = check.tolerance ?? DEFAULT_TOLERANCE;
  const base = j.baselineMedian;
  const bound =
    base === null
      ? {}
      : (check.direction ?? 'increase-is-bad') === 'increase-is-bad'
        ? { max: base + Math.abs(base) * tolerance }
        : { min: base - Math.abs(base) * tolerance };
  const measured =
    j.canaryMedian === null || base === null ? undefined : { canary: j.canaryMedian, stable: base, ...bound };
  return {
    value: j.verdict.toUpperCase(),
    verdict: j.verdict === 'pass' || j.verdict === 'fail' ? j.verdict : 'inconclusive',
    detail: `${j.reason}${score}`,
    samples: canary.length,
    judgement: { verdict: j.verdict, score: j.score, pValue: j.pValue },
    ...(measured ? { measured } : {}),
  };
}

export interface MetricVerdicts {
  readonly signals: Signal[];
  /** Per check, how many analyses in a row it has been inconclusive (0 once it passes or fails). */
  readonly inconclusiveRuns: Record<string, number>;
}

/**
 * Judges every metric check on the values its queries returned (non-finite values dropped, as
 * CloudWatch leaves out periods without data). An inconclusive check neither passes nor fails until
 * it has been inconclusive `limit` analyses in a row; then it fails.
 */
export function judgeMetricChecks(
  checks: readonly MetricCheck[],
  plan: MetricRequestPlan,
  series: SeriesById,
  limit: number,
  previousRuns: Readonly<Record<string, number>> = {},
): MetricVerdicts {
  const inconclusiveRuns: Record<string, number> = {};
  const valuesOf = (name: string, side: Side): number[] => {
    const query = plan.returned.find((r) => r.check === name && r.side === side);
    return [...((query && series.get(query.id)) ?? [])].filter(Number.isFinite);
  };
  const signals = checks.map((check): Signal => {
    const kind = check.compare ? ('comparison' as const) : ('metric' as const);
    const judged = check.compare
      ? judgeAgainstStable(check, valuesOf(check.name, 'canary'), valuesOf(check.name, 'stable'))
      : judgeBounds(check, valuesOf(check.name, sideOf(check)));
    if (judged.verdict !== 'inconclusive') {
      inconclusiveRuns[check.name] = 0;
      return { name: check.name, kind, ...judged };
    }
    const runs = (previousRuns[check.name] ?? 0) + 1;
    inconclusiveRuns[check.name] = runs;
    if (runs < limit) return { name: check.name, kind, ...judged };
    return {
      name: check.name,
      kind,
      ...judged,
      verdict: 'fail',
      detail: `${judged.detail}; inconclusive ${runs} analyses in a row, the inconclusiveLimit of ${limit}`,
    };
  });
  return { signals, inconclusiveRuns };
}
