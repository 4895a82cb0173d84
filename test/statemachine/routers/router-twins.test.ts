import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import type { Twin } from '#routers/sim/router-simulator.ts';
import { hasTwins, skippedTwins, type TwinRouter, twinFor, twins } from '../../../scripts/router-twins.ts';
import { expectLambdaAliasInvariant, expectTargetGroupInvariant } from '../../support/invariant.ts';

/**
 * Every App Mesh example has a VPC Lattice twin (examples/lattice/) and an ALB twin (examples/alb/),
 * and each whose strategy an alias can run a Lambda twin (examples/lambda/twins/): the same profile but
 * for its router block and the names the router gives targets, the same alarms, faults and operator
 * actions. Each twin must reach the App Mesh original's outcome through the same timeline of
 * percentages, read in the twin's names (orders-v2 is the Lambda version "2").
 *
 * The differences by design, each the twin's (routers/<name>/sim/twin.ts): App Mesh's edit-route takes
 * a whole RouteSpec, so a Lattice or ALB twin scripts a person's edit as its route's `edits`, which
 * leaves no "operator.edit-route" line on its timeline; a Lambda twin's person sends UpdateAlias, an
 * "operator.edit-alias" line.
 */
const dir = new URL('../../../examples/', import.meta.url).pathname;
const originalsOn = (router: TwinRouter) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => hasTwins(JSON.parse(readFileSync(`${dir}${f}`, 'utf8')), router));

/** An App Mesh timeline's weights in the twin's names. */
const named = (twin: Twin, weights: Record<string, number>) =>
  Object.fromEntries(Object.entries(weights).map(([name, w]) => [twin.target(name), w]));

/** The timeline as percentages, in the twin's names: each event in order with the route's weights just after it. */
function percentages(report: RehearsalReport, twin: Twin, appMesh: boolean) {
  return report.timeline.flatMap((e) => {
    const event = appMesh ? twin.event(e.event) : e.event;
    if (event === undefined) return [];
    return [{ event, weights: appMesh ? named(twin, e.weights) : e.weights }];
  });
}

/** When each entry of the timeline comes, of those the twin has. */
const times = (report: RehearsalReport, twin: Twin, appMesh: boolean) =>
  report.timeline.filter((e) => !appMesh || twin.event(e.event) !== undefined).map((e) => e.at);

const cache = new Map<string, Promise<RehearsalReport>>();
function original(file: string): Promise<RehearsalReport> {
  if (!cache.has(file))
    cache.set(
      file,
      loadScenario(`${dir}${file}`).then((s) => rehearse(s)),
    );
  return cache.get(file) as Promise<RehearsalReport>;
}

/** The release invariant on the twin's router, from the App Mesh example's snapshot. */
function expectTwinInvariant(
  router: TwinRouter,
  scenario: Scenario,
  report: RehearsalReport,
  snapshot: Record<string, number>,
) {
  const twin = twinFor(router);
  if (router === 'lambda') {
    const ended = expectLambdaAliasInvariant(scenario, report, twin.target('orders-v2'));
    // The alias's weights at the end are the snapshot or the new version alone.
    expect([named(twin, snapshot), { [twin.target('orders-v2')]: 100 }]).toContainEqual(
      report.timeline.at(-1)?.weights,
    );
    return ended;
  }
  return expectTargetGroupInvariant(scenario, report, snapshot, 'orders-v2');
}

/** The twins on this router: one for each example it can run, up to date, each as its original ends. */
function describeTwins(router: TwinRouter): void {
  describe(`the ${router} twins of the App Mesh examples`, () => {
    const twin = twinFor(router);
    const originals = originalsOn(router);
    it('has a twin for every example it can run', () => {
      expect(
        readdirSync(`${dir}${twin.folder}`)
          .filter((f) => f.endsWith('.json'))
          .sort(),
      ).toEqual([...originals].sort());
    });

    it('has twins made from the examples as they are now (npm run twins)', () => {
      const written = twins().filter((t) => t.router === router);
      expect(written).toHaveLength(originals.length);
      for (const t of written) {
        expect(JSON.parse(readFileSync(t.path, 'utf8')), t.path.pathname).toEqual(JSON.parse(t.text));
      }
    });

    it.each(originals)(
      '%s: same outcome, same timeline of percentages, and the invariant holds',
      async (file) => {
        const appMesh = await original(file);
        const scenario = await loadScenario(`${dir}${twin.folder}/${file}`);
        const report = await rehearse(scenario);

        expect(report.expectation?.met, `${report.outcome}: ${report.error?.message}`).toBe(true);
        expect(report.outcome).toBe(appMesh.outcome);
        expect(report.error?.name).toBe(appMesh.error?.name);
        expect(percentages(report, twin, false)).toEqual(percentages(appMesh, twin, true));
        // The twins make a few more or fewer calls (each 50 ms of virtual time); the steps and bakes come
        // at the same times.
        const appMeshTimes = times(appMesh, twin, true);
        times(report, twin, false).forEach((at, i) => {
          expect(Math.abs(at - (appMeshTimes[i] ?? Number.NaN)), `entry ${i} comes at ${at}s`).toBeLessThan(
            2,
          );
        });

        const ended = expectTwinInvariant(router, scenario, report, appMesh.timeline[0]?.weights ?? {});
        expect(ended).toBe(report.outcome === 'promoted' ? 'promoted' : 'snapshot');
      },
    );
  });
}

// One file, so that each App Mesh original is rehearsed once for its three twins.
describeTwins('lattice');
describeTwins('alb');
describeTwins('lambda');

describe('the examples a router has no twin of', () => {
  it('are those a Lambda alias cannot run, each with its reason', () => {
    expect(
      skippedTwins().map(({ router, file, reason }) => `${router}/${file}: ${reason.split(',')[0]}`),
    ).toEqual([
      'lambda/ab-promotes.json: an A/B release sends its first traffic by a header',
      'lambda/ab-rollback.json: an A/B release sends its first traffic by a header',
      'lambda/blue-green-production-rollback.json: a blue/green release sends its first traffic by a header',
      'lambda/blue-green-promotes.json: a blue/green release sends its first traffic by a header',
      'lambda/blue-green-rollback.json: a blue/green release sends its first traffic by a header',
      'lambda/blue-green-stopped.json: a blue/green release sends its first traffic by a header',
      "lambda/readiness-timeout.json: it waits for the new version's ECS service to be ready",
      "lambda/readiness-waits.json: it waits for the new version's ECS service to be ready",
    ]);
  });
});
