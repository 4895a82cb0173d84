// 100 releases of 100 services in one simulated world (one mesh, one table, one bus), all started in
// the same virtual minute and run side by side (RehearseOptions.interleave); every fifth service's
// alarm goes into ALARM during its release, so those roll back. Checked: each release's outcome, each
// route's final weights (its snapshot or fully promoted), no lock left held, and every event on the bus
// naming the service its release belongs to.
import { performance } from 'node:perf_hooks';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, parseScenario } from '#rehearsal/script/scenario.ts';
import { round } from '../stats.ts';

export const SERVICES = 100;
const rollsBack = (i: number) => i % 5 === 0;
const service = (i: number) => `svc-${i}`;

export async function concurrencyScenario(services = SERVICES) {
  const base = await loadScenario(new URL('../../examples/canary-healthy.json', import.meta.url).pathname);
  const profileOf = (i: number) => ({
    ...(base.profile as object),
    service: service(i),
    router: {
      type: 'appmesh',
      meshName: 'shop',
      virtualRouterName: `${service(i)}-router`,
      routeName: `${service(i)}-route`,
    },
    targets: { canary: `${service(i)}-{version}` },
    strategy: { type: 'canary', steps: [10, 25, 50], interval: '5m' },
    analysis: { alarms: [`${service(i)}-5xx`], failureThreshold: 1, insufficientData: 'ignore' },
  });
  const all = Array.from({ length: services }, (_, i) => i);
  const scenario = parseScenario({
    name: `${services} releases of ${services} services in one world`,
    profile: profileOf(0),
    request: { service: service(0), version: 'v2' },
    world: {
      appmesh: {
        routes: all.map((i) => ({
          meshName: 'shop',
          virtualRouterName: `${service(i)}-router`,
          routeName: `${service(i)}-route`,
          spec: {
            httpRoute: {
              match: { prefix: '/' },
              action: { weightedTargets: [{ virtualNode: `${service(i)}-v1`, weight: 100 }] },
            },
          },
        })),
        virtualNodes: all.flatMap((i) => [
          { meshName: 'shop', virtualNodeName: `${service(i)}-v1` },
          { meshName: 'shop', virtualNodeName: `${service(i)}-v2` },
        ]),
      },
      alarms: all.map((i) => ({
        name: `${service(i)}-5xx`,
        type: 'metric',
        threshold: 1,
        comparison: 'GreaterThanThreshold',
        states: [
          { at: '0s', state: 'OK', value: 0.2 },
          ...(rollsBack(i) ? [{ at: `${3 + (i % 7)}m`, state: 'ALARM', value: 4.7 }] : []),
        ],
      })),
      // Each service's release starts half a second after the one before: all within the first minute.
      operator: all.slice(1).map((i) => ({
        at: `${i * 500}ms`,
        action: 'start-release',
        request: { service: service(i), version: 'v2' },
      })),
    },
  });
  return { scenario, profiles: all.slice(1).map(profileOf) };
}

export async function measureConcurrency(services = SERVICES) {
  const { scenario, profiles } = await concurrencyScenario(services);
  const start = performance.now();
  const report = await rehearse(scenario, { interleave: true, profiles });
  const wallSeconds = (performance.now() - start) / 1000;
  const outcomes = [report.outcome, ...report.others.map((o) => o.outcome)];
  const problems: string[] = [];
  outcomes.forEach((outcome, i) => {
    const expected = rollsBack(i) ? 'rolled_back' : 'promoted';
    if (outcome !== expected) problems.push(`${service(i)} ended ${outcome}, not ${expected}`);
  });
  for (const route of report.finalRoutes) {
    const i = Number(/svc-(\d+)-route/.exec(route.route)?.[1]);
    const expected = `${service(i)}-${rollsBack(i) ? 'v1' : 'v2'}`;
    const carrying = route.targets.filter((t) => t.weight > 0).map((t) => `${t.name} ${t.weight}`);
    if (carrying.join() !== `${expected} 100`)
      problems.push(`${route.route} ends at ${carrying.join(', ')}, not ${expected} 100`);
  }
  for (const lock of report.heldLocks) problems.push(`still locked: ${lock}`);
  // The release id names the execution; each must name one service, and each service one release.
  const serviceOf = new Map<string, string>();
  for (const event of report.events) {
    const { service: named, releaseId } = event.detail as { service?: string; releaseId?: string };
    if (releaseId === undefined || named === undefined) continue;
    const known = serviceOf.get(releaseId) ?? named;
    serviceOf.set(releaseId, known);
    if (known !== named)
      problems.push(`${event.detailType} of ${releaseId} names ${named}, its release ${known}`);
  }
  if (new Set(serviceOf.values()).size !== serviceOf.size || serviceOf.size !== services)
    problems.push(`${serviceOf.size} releases on the bus for ${new Set(serviceOf.values()).size} services`);
  const ends = report.events.filter(
    (e) => e.detailType === 'Release Finished' || e.detailType === 'Release Rolled Back',
  );
  for (const [releaseId, named] of serviceOf) {
    const own = ends.filter((e) => (e.detail as { releaseId?: string }).releaseId === releaseId).length;
    if (own !== 1) problems.push(`${named}'s release ended ${own} times on the bus`);
  }
  const starts = report.timeline.filter(
    (e) => e.event === 'release.started' || e.event === 'operator.start-release',
  );
  return {
    services,
    rollingBack: outcomes.filter((_, i) => rollsBack(i)).length,
    outcomes: Object.fromEntries(
      [...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]),
    ),
    lastStartSeconds: Math.max(0, ...starts.map((e) => e.at)),
    virtualSeconds: report.durationSeconds,
    events: report.events.length,
    awsCalls: report.calls.length,
    problems,
    wallSeconds: round(wallSeconds),
    goalSeconds: 30,
  };
}
