import { InvalidRequestError } from '../errors.ts';
import { metricRequest } from '../health/metric-request.ts';
import type { ReleaseProfile } from '../profile/profile.ts';
import type { DoctorCheck, DoctorDeps } from './check.ts';
import { finding, ok, unchecked } from './check.ts';
import type { RouteFacts } from './route.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * Every metric check's queries, sent as a release would send them (one GetMetricData a check, so a
 * refusal names its check) over the last hour, with the stable in place of the new version: the
 * stable is what serves traffic before the first release, so a query with no data for it is likely
 * to have none for the new version either.
 */
export async function checkMetrics(
  profile: ReleaseProfile,
  facts: RouteFacts | undefined,
  deps: Pick<DoctorDeps, 'health' | 'clock'>,
): Promise<DoctorCheck[]> {
  const metricChecks = profile.analysis.metrics ?? [];
  if (!metricChecks.length) return [];
  const stable = facts?.stable;
  if (stable === undefined) {
    return [
      unchecked(
        'analysis.metrics',
        'the route has no one stable target to measure, so the metric queries were not tried; fix the route first',
      ),
    ];
  }
  // Whole minutes, as a release reads them (metricWindow): the last period may still be filling.
  const end = new Date(Math.floor(deps.clock.now().getTime() / MINUTE_MS) * MINUTE_MS);
  const start = new Date(end.getTime() - HOUR_MS);
  const targets = { version: facts?.stableVersion ?? stable, canary: stable, stable };
  const checks: DoctorCheck[] = [];
  for (const [index, check] of metricChecks.entries()) {
    const field = `analysis.metrics[${index}]`;
    const { queries } = metricRequest([check], targets);
    let points: number;
    try {
      const series = await deps.health.readMetrics({ queries, start, end });
      points = series.reduce((sum, s) => sum + s.values.length, 0);
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      checks.push(
        finding(
          field,
          `CloudWatch refused the queries of "${check.name}" (${error.problems.join('; ')}); fix them`,
        ),
      );
      continue;
    }
    checks.push(
      points
        ? ok(
            field,
            `"${check.name}" returns ${points} datapoint(s) over the last hour, measured on the stable ${stable}`,
          )
        : finding(
            field,
            `"${check.name}" returns no data over the last hour for the stable ${stable}; check its namespace, metric name and dimensions, or that the service publishes it`,
          ),
    );
  }
  return checks;
}
