import type { MetricQuery } from '../shapes.ts';

// The query's schema, as a profile writes it, is core/profile/metric-query.ts.

/** Every string in a query, wherever it sits. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

export function mentions(queries: readonly MetricQuery[], placeholder: string): boolean {
  return queries.some((q) => stringsIn(q).some((s) => s.includes(placeholder)));
}

/** A Metrics Insights query ("SELECT AVG(Latency) FROM ..."), whose words are not query ids. */
export function isInsightsQuery(expression: string): boolean {
  return /^\s*SELECT\b/i.test(expression);
}

// A quoted string (left alone: SEARCH terms, labels) or an identifier; one right after a digit or a
// dot is part of a number ("1e3", "2.5e-3").
export const TOKENS = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?<![0-9.])([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The query ids an expression uses: its identifiers outside quotes that begin with a lowercase
 * letter, as ids must; metric math's functions and keywords are upper case.
 */
export function identifiersIn(expression: string): string[] {
  return [...expression.matchAll(TOKENS)]
    .map((m) => m[2])
    .filter((id): id is string => id !== undefined && /^[a-z]/.test(id));
}
