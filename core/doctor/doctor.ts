import type { ReleaseProfile } from '../profile/profile.ts';
import { routeLabel } from '../profile/router.ts';
import { missingAlarmsProblem } from '../release/route-checks.ts';
import { type DoctorCheck, type DoctorDeps, finding, fromPrepare, ok } from './check.ts';
import { checkHooks } from './hooks.ts';
import { checkMetrics } from './metrics.ts';
import { checkCanary, checkRoute } from './route.ts';

export type { DoctorCheck, DoctorDeps } from './check.ts';

/** One profile's checks, with the route they are about. */
export interface DoctorReport {
  readonly service: string;
  readonly routeId: string;
  readonly checks: DoctorCheck[];
}

/** Every alarm exists; its type and state now, and whether that state would stop a release at once. */
async function checkAlarms(profile: ReleaseProfile, deps: DoctorDeps): Promise<DoctorCheck[]> {
  const names = profile.analysis.alarms;
  if (!names.length) return [];
  const readings = await deps.health.readAlarms(names);
  const checks: DoctorCheck[] = [];
  const missing = missingAlarmsProblem(names, readings);
  if (missing) checks.push(fromPrepare(missing, 'analysis.alarms'));
  const failsOnNoData = profile.analysis.insufficientData === 'fail';
  for (const alarm of readings) {
    const what = `alarm "${alarm.name}" (${alarm.type}) is ${alarm.state}`;
    if (alarm.state === 'ALARM') {
      checks.push(
        finding(
          'analysis.alarms',
          `${what} now${alarm.reason ? ` (${alarm.reason})` : ''}; a release would roll back at its first check: fix what it reports, or its threshold, first`,
        ),
      );
    } else if (alarm.state === 'INSUFFICIENT_DATA' && failsOnNoData) {
      checks.push(
        finding(
          'analysis.insufficientData',
          `${what} and the profile fails a check on missing data; send it data (or treat missing data as notBreaching) before releasing, or set insufficientData to "ignore"`,
        ),
      );
    } else {
      checks.push(ok('analysis.alarms', what));
    }
  }
  return checks;
}

/**
 * Checks one (valid) profile against the account, read-only: the route, the canary template, the
 * alarms. Throws what the adapters throw when AWS cannot be asked (the CLI makes that exit 2).
 */
export async function examineProfile(profile: ReleaseProfile, deps: DoctorDeps): Promise<DoctorReport> {
  const router = await deps.routerFor(profile.router);
  const checks: DoctorCheck[] = [];
  const route = await checkRoute(profile, router);
  checks.push(...route.checks);
  if (route.facts?.stable !== undefined)
    checks.push(...(await checkCanary(profile, router, route.facts, deps.routerKinds)));
  checks.push(...(await checkAlarms(profile, deps)));
  checks.push(...(await checkMetrics(profile, route.facts, deps)));
  checks.push(...(await checkHooks(profile, deps)));
  return { service: profile.service, routeId: routeLabel(deps.routerKinds, profile.router), checks };
}
