/**
 * A profile's metric checks: CloudWatch queries (core/health/metric-query.ts) judged against bounds, or
 * the canary's against the stable's. Their schema is the profile's (core/profile/metric-checks.ts); what
 * they ask CloudWatch is built by metric-request.ts, and judged by metric-verdicts.ts.
 */

export type { MetricCheck } from '../profile/metric-checks.ts';

/** With no inconclusiveLimit, a check inconclusive this many analyses in a row fails. */
export const DEFAULT_INCONCLUSIVE_LIMIT = 3;
/** A bound check needs this many samples unless it says otherwise; a comparison needs more. */
export const DEFAULT_MIN_SAMPLES = { bound: 1, comparison: 5 } as const;
/** A comparison's confidence and tolerance when the check gives none. */
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_TOLERANCE = 0.1;
