import type { MetricQuery } from '../shapes.ts';
import type { MetricCheck } from './metric-checks.ts';
import { isInsightsQuery, mentions, TOKENS } from './metric-query.ts';

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
export function sideOf(check: MetricCheck): Side {
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

/** Whole minutes: CloudWatch rounds a recent StartTime down to the minute; EndTime is exclusive. */
export function metricWindow(since: Date, now: Date): { start: Date; end: Date } | undefined {
  const minute = 60_000;
  const start = new Date(Math.floor(since.getTime() / minute) * minute);
  // A period still running at `now` is partial; it belongs to the next analysis.
  const end = new Date(Math.floor(now.getTime() / minute) * minute);
  return end > start ? { start, end } : undefined;
}
