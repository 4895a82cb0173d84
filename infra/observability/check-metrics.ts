import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { MetricCheck } from '#core/health/metric-checks.ts';
import { identifiersIn, isInsightsQuery } from '#core/health/metric-query.ts';
import { metricRequest, type Side } from '#core/health/metric-request.ts';
import type { MetricQuery } from '#core/shapes.ts';

/**
 * A profile's metric checks as dashboard graphs. The queries name their targets by placeholder
 * ({canary}, {stable}, {version}), which only a running release fills; on the dashboard each
 * placeholder becomes a dashboard variable a person picks at the top of the page.
 */

/** The placeholders a check's queries may hold, as core/health/metric-request.ts fills them. */
export const PLACEHOLDERS = ['{canary}', '{stable}', '{version}'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/**
 * What each placeholder reads as in the dashboard's source: plain words, so that the pattern variable
 * replacing it (CloudWatch matches a pattern variable as a regular expression over the dashboard's
 * JSON) needs no escaping.
 */
export const VARIABLE_PATTERNS: Readonly<Record<Placeholder, string>> = {
  '{canary}': 'STEPSHIFT_CANARY_TARGET',
  '{stable}': 'STEPSHIFT_STABLE_TARGET',
  '{version}': 'STEPSHIFT_VERSION',
};

export interface CheckSeries {
  readonly check: MetricCheck;
  readonly side: Side;
  readonly metric: cloudwatch.IMetric;
}

function withPatterns(text: string): string {
  let out = text;
  for (const placeholder of PLACEHOLDERS) out = out.replaceAll(placeholder, VARIABLE_PATTERNS[placeholder]);
  return out;
}

const seconds = (period: number | undefined) => Duration.seconds(period ?? 60);

function metricOf(id: string, queries: ReadonlyMap<string, MetricQuery>, label?: string): cloudwatch.IMetric {
  const query = queries.get(id);
  if (query === undefined) throw new Error(`metric query "${id}" is not in its check`);
  if (query.MetricStat !== undefined) {
    const { Metric, Period, Stat, Unit } = query.MetricStat;
    return new cloudwatch.Metric({
      namespace: Metric.Namespace,
      metricName: Metric.MetricName,
      dimensionsMap: Object.fromEntries(
        (Metric.Dimensions ?? []).map((d) => [d.Name, withPatterns(d.Value)]),
      ),
      statistic: Stat,
      period: seconds(query.Period ?? Period),
      // CloudWatch's StandardUnit names are cloudwatch.Unit's values (core/health/metric-query.ts checks them).
      ...(Unit === undefined ? {} : { unit: Unit as cloudwatch.Unit }),
      ...(label === undefined ? {} : { label }),
      ...(query.AccountId === undefined ? {} : { account: query.AccountId }),
    });
  }
  const expression = query.Expression ?? '';
  // A Metrics Insights query (SELECT ...) names metrics, not query ids.
  const used = isInsightsQuery(expression)
    ? []
    : [...new Set(identifiersIn(expression))].filter((other) => other !== id && queries.has(other));
  return new cloudwatch.MathExpression({
    expression: withPatterns(expression),
    usingMetrics: Object.fromEntries(used.map((other) => [other, metricOf(other, queries)])),
    period: seconds(query.Period),
    ...(label === undefined ? {} : { label }),
  });
}

/**
 * One series per check and side it measures: a comparison's canary and stable, a bound check's one
 * side. The queries are the ones a release sends (metricRequest: ids prefixed per side and check, a
 * comparison's stable copy naming {stable} where the canary's names {canary}), placeholders left for
 * the dashboard's variables.
 */
export function checkSeries(checks: readonly MetricCheck[]): CheckSeries[] {
  const plan = metricRequest(checks, { version: '{version}', canary: '{canary}', stable: '{stable}' });
  const queries = new Map(plan.queries.map((q) => [q.Id, q]));
  return plan.returned.map((returned) => {
    const check = checks.find((c) => c.name === returned.check);
    if (check === undefined) throw new Error(`metric check "${returned.check}" is not in the profile`);
    return {
      check,
      side: returned.side,
      metric: metricOf(returned.id, queries, `${check.name} (${returned.side})`),
    };
  });
}

/** The placeholders the series' queries hold, which the dashboard needs a variable for. */
export function placeholdersIn(checks: readonly MetricCheck[]): Placeholder[] {
  const plan = metricRequest(checks, { version: '{version}', canary: '{canary}', stable: '{stable}' });
  const text = JSON.stringify(plan.queries);
  return PLACEHOLDERS.filter((p) => text.includes(p));
}

/**
 * A metric whose dimension holds exactly this placeholder, to offer the dimension's values in a
 * drop-down (a search over the metric); undefined when no query names the target that plainly.
 */
export function searchFor(
  checks: readonly MetricCheck[],
  placeholder: Placeholder,
): { namespace: string; metricName: string; dimensions: string[]; populateFrom: string } | undefined {
  for (const check of checks) {
    for (const query of check.queries) {
      const metric = query.MetricStat?.Metric;
      const dimension = metric?.Dimensions?.find((d) => d.Value === placeholder);
      if (metric && dimension) {
        return {
          namespace: metric.Namespace,
          metricName: metric.MetricName,
          dimensions: (metric.Dimensions ?? []).map((d) => d.Name),
          populateFrom: dimension.Name,
        };
      }
    }
  }
  return undefined;
}
