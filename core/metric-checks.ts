import { z } from 'zod';
import { judgeComparison } from './judge.ts';
import { metricDataQuerySchema } from './metric-query.ts';
import type { MetricQuery, Signal } from './shapes.ts';
import { requiredString, show, strictObject } from './validation.ts';

/** One GetMetricData call takes at most 500 MetricDataQuery structures (CloudWatch API reference). */
export const MAX_QUERIES_PER_CALL = 500;
/** With no inconclusiveLimit, a check inconclusive this many analyses in a row fails. */
export const DEFAULT_INCONCLUSIVE_LIMIT = 3;
/** A bound check needs this many samples unless it says otherwise; a comparison needs more. */
export const DEFAULT_MIN_SAMPLES = { bound: 1, comparison: 5 } as const;
/** A comparison's confidence and tolerance when the check gives none. */
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_TOLERANCE = 0.1;

const NO_DATA = ['fail', 'inconclusive', 'pass'] as const;
const DIRECTIONS = ['increase-is-bad', 'decrease-is-bad'] as const;
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

const finite = (what: string) =>
  z
    .number({ error: (iss) => `${show(iss.input)} is not a number; give ${what}` })
    .refine(Number.isFinite, { error: (iss) => `${show(iss.input)} is not a finite number; give ${what}` });

/** Every string in a query, wherever it sits. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function mentions(queries: readonly MetricQuery[], placeholder: string): boolean {
  return queries.some((q) => stringsIn(q).some((s) => s.includes(placeholder)));
}

/** A Metrics Insights query ("SELECT AVG(Latency) FROM ..."), whose words are not query ids. */
function isInsightsQuery(expression: string): boolean {
  return /^\s*SELECT\b/i.test(expression);
}

// A quoted string (left alone: SEARCH terms, labels) or an identifier; one right after a digit or a
// dot is part of a number ("1e3", "2.5e-3").
const TOKENS = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?<![0-9.])([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The query ids an expression uses: its identifiers outside quotes that begin with a lowercase
 * letter, as ids must; metric math's functions and keywords are upper case.
 */
function identifiersIn(expression: string): string[] {
  return [...expression.matchAll(TOKENS)]
    .map((m) => m[2])
    .filter((id): id is string => id !== undefined && /^[a-z]/.test(id));
}

export const metricCheckSchema = strictObject('a metric check', {
  name: requiredString('a name for the check, such as "error-rate"', 64).regex(CHECK_NAME, {
    error: 'may hold only letters, digits, spaces, ".", "_" and "-", starting with a letter or digit',
  }),
  queries: z
    .array(metricDataQuerySchema, {
      error:
        'must be a list of CloudWatch MetricDataQuery objects, such as [{"Id": "errors", "MetricStat": {...}}]',
    })
    .min(1, { error: 'is empty; give at least the query whose values are judged' }),
  returnId: requiredString('the Id of the query whose values are judged'),
  max: finite('the highest value that passes').optional(),
  min: finite('the lowest value that passes').optional(),
  minSamples: z
    .number({ error: 'must be a whole number of samples, 1 or more' })
    .int({ error: 'must be a whole number of samples, 1 or more' })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; give how many samples a verdict needs` })
    .optional(),
  noData: z
    .enum(NO_DATA, {
      error: (iss) =>
        `${show(iss.input)} is not a policy; use "fail", "inconclusive" or "pass" for a check whose series has no datapoints`,
    })
    .default('inconclusive'),
  compare: z
    .literal('stable', {
      error: (iss) =>
        `${show(iss.input)} is not a baseline; "compare": "stable" judges the canary against the stable version`,
    })
    .optional(),
  direction: z
    .enum(DIRECTIONS, {
      error: (iss) =>
        `${show(iss.input)} is not a direction; use "increase-is-bad" (latency, errors) or "decrease-is-bad" (throughput)`,
    })
    .optional(),
  confidence: z
    .number({ error: 'must be a number above 0.5 and below 1, such as 0.95' })
    .gt(0.5, { error: (iss) => `${show(iss.input)} is not above 0.5; a coin toss would count as evidence` })
    .lt(1, { error: (iss) => `${show(iss.input)} is not below 1; give a confidence such as 0.95` })
    .optional(),
  tolerance: z
    .number({ error: 'must be a number, 0 or more, such as 0.1 (10%)' })
    .min(0, { error: (iss) => `${show(iss.input)} is below 0; 0.1 lets the canary be 10% worse` })
    .refine(Number.isFinite, { error: 'must be a finite number, such as 0.1 (10%)' })
    .optional(),
  unit: requiredString('the unit written after values, such as "ms"', 32).optional(),
}).superRefine((check, ctx) => {
  const ids = check.queries.map((q) => q.Id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['queries', i, 'Id'],
        message: `repeats "${id}"; each query of a check needs its own Id`,
      });
    }
  });
  check.queries.forEach((query, i) => {
    if (query.Expression === undefined || isInsightsQuery(query.Expression)) return;
    const unknown = identifiersIn(query.Expression).filter((id) => !ids.includes(id) || id === query.Id);
    for (const id of new Set(unknown)) {
      ctx.addIssue({
        code: 'custom',
        path: ['queries', i, 'Expression'],
        message:
          id === query.Id
            ? `refers to its own Id "${id}"; an expression computes from the check's other queries`
            : `refers to "${id}", which is not an Id of this check's queries; use one of: ${[...new Set(ids)].filter((other) => other !== query.Id).join(', ')}`,
      });
    }
  });
  if (!ids.includes(check.returnId)) {
    ctx.addIssue({
      code: 'custom',
      path: ['returnId'],
      message: `"${check.returnId}" names none of the check's queries; use one of: ${ids.join(', ')}`,
    });
  }
  if (check.compare) {
    for (const field of ['max', 'min'] as const) {
      if (check[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message:
            'does not go with "compare"; a comparison judges the canary against the stable version, so bound the value in a check of its own',
        });
      }
    }
    if (!mentions(check.queries, '{canary}')) {
      ctx.addIssue({
        code: 'custom',
        path: ['queries'],
        message:
          'never names {canary}; a comparison runs its queries once as written for the canary and once with the stable version\'s target in place of {canary}, so name the target with {canary}, e.g. {"Name": "VirtualNode", "Value": "{canary}"}',
      });
    }
    for (const other of ['{stable}', '{version}']) {
      if (mentions(check.queries, other)) {
        ctx.addIssue({
          code: 'custom',
          path: ['queries'],
          message: `names ${other}; in a comparison only {canary} names the target, which stepshift fills with each version's target in turn`,
        });
      }
    }
  } else {
    if (check.max === undefined && check.min === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'sets neither "max" nor "min"; bound the value (max, min or both), or add "compare": "stable" to judge the canary against the stable version',
      });
    }
    if (check.max !== undefined && check.min !== undefined && check.min > check.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: `${check.min} is above max (${check.max}); no value could pass`,
      });
    }
    for (const field of ['direction', 'confidence', 'tolerance'] as const) {
      if (check[field] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'applies only to a comparison; add "compare": "stable" or leave it out',
        });
      }
    }
  }
});

export type MetricCheck = z.output<typeof metricCheckSchema>;

/** How many queries a check adds to the one GetMetricData call: a comparison runs its queries twice. */
function queryCount(check: MetricCheck): number {
  return check.queries.length * (check.compare ? 2 : 1);
}

export const metricChecksSchema = z
  .array(metricCheckSchema, {
    error: 'must be a list of metric checks such as [{"name": "error-rate", ...}]',
  })
  .superRefine((checks, ctx) => {
    const names = checks.map((c) => c.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `repeats "${name}"; each check needs its own name, which signals and world.metrics go by`,
        });
      }
    });
    const insights = checks.reduce(
      (sum, c) =>
        sum +
        c.queries.filter((q) => q.Expression !== undefined && isInsightsQuery(q.Expression)).length *
          (c.compare ? 2 : 1),
      0,
    );
    if (insights > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `hold ${insights} Metrics Insights queries (SELECT ..., a comparison's count twice); one GetMetricData call takes only one, so use metric math or MetricStat for the others`,
      });
    }
    const total = checks.reduce((sum, c) => sum + queryCount(c), 0);
    if (total > MAX_QUERIES_PER_CALL) {
      ctx.addIssue({
        code: 'custom',
        message: `ask CloudWatch for ${total} queries in all (a comparison's count twice); one GetMetricData call takes at most ${MAX_QUERIES_PER_CALL}, so use fewer checks or queries`,
      });
    }
  });

export const inconclusiveLimitSchema = z
  .number({ error: 'must be a whole number of analyses, 1 or more' })
  .int({ error: 'must be a whole number of analyses, 1 or more' })
  .min(1, {
    error: (iss) => `${show(iss.input)} is below 1; a check inconclusive this many analyses in a row fails`,
  });

/** The version under test and the two targets, which fill a check's placeholders. */
export interface MetricTargets {
  /** The new version, for {version}. */
  readonly version: string;
  /** The new version's target (the canary), for {canary}. */
  readonly canary: string;
  /** The target that carried all traffic when the release began, for {stable}. */
  readonly stable: string;
}

export type Side = 'canary' | 'stable';

/** One query whose values come back, and which check and target they are for. */
export interface ReturnedQuery {
  readonly id: string;
  readonly check: string;
  readonly side: Side;
}

export interface MetricRequestPlan {
  readonly queries: MetricQuery[];
  readonly returned: ReturnedQuery[];
}

/** The side a bound check measures: the stable's only when its queries name {stable} and no canary. */
function sideOf(check: MetricCheck): Side {
  const canary = mentions(check.queries, '{canary}') || mentions(check.queries, '{version}');
  return !canary && mentions(check.queries, '{stable}') ? 'stable' : 'canary';
}

function fill<T>(value: T, placeholders: Record<string, string>): T {
  if (typeof value === 'string') {
    let out: string = value;
    for (const [key, filled] of Object.entries(placeholders)) out = out.replaceAll(key, filled);
    return out as T;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, placeholders)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, placeholders)])) as T;
  }
  return value;
}

/** The expression with the check's own query ids renamed; a Metrics Insights query holds none. */
function renameIds(expression: string, rename: ReadonlyMap<string, string>): string {
  if (isInsightsQuery(expression)) return expression;
  return expression.replace(TOKENS, (token, quoted: string | undefined, id: string | undefined) =>
    quoted === undefined && id !== undefined ? (rename.get(id) ?? token) : token,
  );
}

/**
 * The one GetMetricData request for all checks. Each check's queries are copied per target it
 * measures, their ids prefixed "<target>_<check index>_" (expressions follow the renaming) so ids of
 * different checks never meet, their placeholders filled: {version} with the new version, {canary}
 * with its target, {stable} with the stable target; a comparison's stable copy has the stable target
 * in place of {canary}. Only the judged query returns data, labelled with the check's name.
 *
 * @example
 * metricRequest([errorRate], { version: 'v2', canary: 'orders-v2', stable: 'orders-v1' }).returned
 * // [{ id: 'canary_0_rate', check: 'error-rate', side: 'canary' }]
 */
export function metricRequest(checks: readonly MetricCheck[], targets: MetricTargets): MetricRequestPlan {
  const queries: MetricQuery[] = [];
  const returned: ReturnedQuery[] = [];
  checks.forEach((check, index) => {
    const sides: Side[] = check.compare ? ['canary', 'stable'] : [sideOf(check)];
    for (const side of sides) {
      const prefix = `${side}_${index}_`;
      const rename = new Map(check.queries.map((q) => [q.Id, `${prefix}${q.Id}`]));
      const placeholders = {
        '{version}': targets.version,
        '{canary}': side === 'stable' && check.compare ? targets.stable : targets.canary,
        '{stable}': targets.stable,
      };
      for (const query of check.queries) {
        const filled = fill(query, placeholders);
        const judged = query.Id === check.returnId;
        const id = `${prefix}${query.Id}`;
        queries.push({
          ...filled,
          Id: id,
          ...(filled.Expression === undefined ? {} : { Expression: renameIds(filled.Expression, rename) }),
          // Only the judged series is worth its datapoints; the simulator and the reader find the check by this label.
          ...(judged ? { Label: check.name } : {}),
          ReturnData: judged,
        });
        if (judged) returned.push({ id, check: check.name, side });
      }
    }
  });
  return { queries, returned };
}

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
  const shown = `${formatValue(m)}${unit}`;
  const over = `over ${samples(values.length)}`;
  if (check.max !== undefined && m > check.max) {
    return {
      value: formatValue(m),
      verdict: 'fail',
      detail: `${shown} above max ${check.max}${unit} ${over}`,
      samples: values.length,
    };
  }
  if (check.min !== undefined && m < check.min) {
    return {
      value: formatValue(m),
      verdict: 'fail',
      detail: `${shown} below min ${check.min}${unit} ${over}`,
      samples: values.length,
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
  };
}

/**
 * A comparison: core/judge.ts's Mann-Whitney judge of the canary's samples against the stable's.
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
  return {
    value: j.verdict.toUpperCase(),
    verdict: j.verdict === 'pass' || j.verdict === 'fail' ? j.verdict : 'inconclusive',
    detail: `${j.reason}${score}`,
    samples: canary.length,
    judgement: { verdict: j.verdict, score: j.score, pValue: j.pValue },
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

/** Whole minutes: CloudWatch rounds a recent StartTime down to the minute; EndTime is exclusive. */
export function metricWindow(since: Date, now: Date): { start: Date; end: Date } | undefined {
  const minute = 60_000;
  const start = new Date(Math.floor(since.getTime() / minute) * minute);
  // A period still running at `now` is partial; it belongs to the next analysis.
  const end = new Date(Math.floor(now.getTime() / minute) * minute);
  return end > start ? { start, end } : undefined;
}
