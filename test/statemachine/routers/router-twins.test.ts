import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { hasTwins, type TwinRouter, twins } from '../../../scripts/router-twins.ts';
import { expectTargetGroupInvariant } from '../../support/invariant.ts';

/**
 * Every App Mesh example has a VPC Lattice twin (examples/lattice/) and an ALB twin (examples/alb/):
 * the same profile but for its router block, the same alarms, faults and operator actions. Each twin
 * must reach the App Mesh original's outcome through the same timeline of percentages.
 *
 * The one difference by design: App Mesh's edit-route action takes a whole RouteSpec, so a twin
 * scripts a person's edit as its route's `edits` (the same weights, at the same time), which leaves no
 * "operator.edit-route" line on the timeline; that line is left out of the comparison.
 */
const dir = new URL('../../../examples/', import.meta.url).pathname;
// Every example has its twins, blue/green and A/B included (their side route is a listener rule).
const originalsOn = (router: TwinRouter) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => hasTwins(JSON.parse(readFileSync(`${dir}${f}`, 'utf8')), router));

/** The timeline as percentages: each event in order with the route's weights just after it. */
function percentages(report: RehearsalReport) {
  return report.timeline
    .filter((e) => e.event !== 'operator.edit-route')
    .map((e) => ({ event: e.event, weights: e.weights }));
}

const cache = new Map<string, Promise<RehearsalReport>>();
function original(file: string): Promise<RehearsalReport> {
  if (!cache.has(file))
    cache.set(
      file,
      loadScenario(`${dir}${file}`).then((s) => rehearse(s)),
    );
  return cache.get(file) as Promise<RehearsalReport>;
}

describe.each(['lattice', 'alb'] as const)('the %s twins of the App Mesh examples', (router) => {
  const originals = originalsOn(router);
  it('has a twin for every example', () => {
    expect(readdirSync(`${dir}${router}`).sort()).toEqual([...originals].sort());
  });

  it('has twins made from the examples as they are now (npm run twins)', () => {
    for (const twin of twins().filter((t) => t.path.pathname.includes(`/${router}/`))) {
      expect(JSON.parse(readFileSync(twin.path, 'utf8')), twin.path.pathname).toEqual(JSON.parse(twin.text));
    }
  });

  it.each(originals)(
    '%s: same outcome, same timeline of percentages, and the invariant holds',
    async (file) => {
      const appMesh = await original(file);
      const scenario = await loadScenario(`${dir}${router}/${file}`);
      const twin = await rehearse(scenario);

      expect(twin.expectation?.met, `${twin.outcome}: ${twin.error?.message}`).toBe(true);
      expect(twin.outcome).toBe(appMesh.outcome);
      expect(twin.error?.name).toBe(appMesh.error?.name);
      expect(percentages(twin)).toEqual(percentages(appMesh));
      // The twins make a few more or fewer calls (each 50 ms of virtual time); the steps and bakes come
      // at the same times.
      const times = (r: RehearsalReport) =>
        r.timeline.filter((e) => e.event !== 'operator.edit-route').map((e) => e.at);
      const appMeshTimes = times(appMesh);
      times(twin).forEach((at, i) => {
        expect(Math.abs(at - (appMeshTimes[i] ?? Number.NaN)), `entry ${i} comes at ${at}s`).toBeLessThan(2);
      });

      const snapshot = appMesh.timeline[0]?.weights ?? {};
      const ended = expectTargetGroupInvariant(scenario, twin, snapshot, 'orders-v2');
      expect(ended).toBe(twin.outcome === 'promoted' ? 'promoted' : 'snapshot');
    },
  );
});
