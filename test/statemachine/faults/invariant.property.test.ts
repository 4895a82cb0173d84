import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';
import { caseArbOn } from './invariant-cases.ts';
import { checkReport } from './invariant-checks.ts';
import { DRAWN_ROUTERS, ROUTER_CASES, type RouterCase } from './invariant-routers.ts';
import { scenarioFor } from './invariant-scenario.ts';

/**
 * The release invariant as a property: whatever the plan (canary steps, blue/green or A/B with a side
 * route), the alarms, the hooks' answers, the faults, the person at the console and stepshift's own
 * commands and onFailure policy, a release ends with the route's weights at the snapshot or fully promoted, every other
 * field of the route as it was, and its lock freed. Two outcomes are allowed by design: a person's edit
 * stands; and when neither the rollback nor the guard can write, the route keeps the last weights
 * the release wrote (never anything else) and stays locked; a side route that could not be removed
 * through every retry stays too, with the lock.
 *
 * The cases are drawn in invariant-cases.ts, written as scenario files in invariant-scenario.ts and
 * checked in invariant-checks.ts; each router's part of them is in invariant-routers.ts.
 */

/**
 * A fixed budget of cases for `npm test`, a few seconds of rehearsals; fixed seed, so every run draws
 * the same cases. `npm run test:deep` (which CI runs too) sets STEPSHIFT_PROPERTY_RUNS to 2,000: the
 * same first cases and many more.
 */
const NUM_RUNS = Number(process.env.STEPSHIFT_PROPERTY_RUNS || 50);
if (!Number.isInteger(NUM_RUNS) || NUM_RUNS < 1) {
  throw new Error(
    `STEPSHIFT_PROPERTY_RUNS must be a whole number of cases, at least 1; it is "${process.env.STEPSHIFT_PROPERTY_RUNS}"`,
  );
}
const SEED = 20_260_101;

/**
 * STEPSHIFT_PROPERTY_ROUTER draws one router's cases only (a deep run of a new router's): the same seed,
 * so the same plans, faults and people, each on that router.
 */
const ONLY_ROUTER = process.env.STEPSHIFT_PROPERTY_ROUTER;
if (ONLY_ROUTER && !(DRAWN_ROUTERS as readonly string[]).includes(ONLY_ROUTER)) {
  throw new Error(
    `STEPSHIFT_PROPERTY_ROUTER names "${ONLY_ROUTER}", which the property does not draw; name one of ${DRAWN_ROUTERS.join(', ')}`,
  );
}
const ROUTERS_DRAWN = DRAWN_ROUTERS.filter((r) => !ONLY_ROUTER || r === ONLY_ROUTER);

/** The cases (invariant-cases.ts), on the routers drawn. */
const caseArb = caseArbOn(ROUTERS_DRAWN);

describe('the release invariant, over generated plans, alarms and faults', () => {
  let generated = 0;
  const outcomes = new Map<string, number>();
  const routers = new Map<string, number>();
  /** Stops by where they were aimed, and how many landed while a task of the execution still ran. */
  const stops = new Map<string, { drawn: number; inTask: number }>();

  afterAll(() => {
    const byOutcome = [...outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}=${n}`)
      .join(', ');
    console.log(`invariant property: ${generated} generated cases (${byOutcome})`);
    const byRouter = [...routers.entries()].map(([k, n]) => `${k}=${n}`).join(', ');
    console.log(`invariant property: routers ${byRouter}`);
    const aimed = [...stops.entries()].map(([aim, n]) => `${aim}: ${n.drawn} (${n.inTask} while a task ran)`);
    console.log(`invariant property: stops ${aimed.join(', ')}`);
  });

  it("draws each router's faults among the operations its twin names for App Mesh's", () => {
    // The twin data (routers/<name>/sim/twin.ts) names App Mesh's route calls and errors in the
    // router's terms: the property's table of the router's operations must hold each of them.
    const appMesh: RouterCase = ROUTER_CASES.appmesh;
    for (const router of DRAWN_ROUTERS.filter((r) => r !== 'appmesh')) {
      const own: RouterCase = ROUTER_CASES[router];
      const twin = ROUTER_SIMULATORS[router].twin;
      const named = Object.keys(appMesh.calls).flatMap((op) => twin?.operations[op] ?? []);
      expect(named.length, `${router}'s twin names App Mesh's route calls`).toBeGreaterThan(0);
      expect(
        named.filter((op) => !(op in own.calls)),
        `${router}'s calls hold its twin's`,
      ).toEqual([]);
      expect(twin?.operations[appMesh.write], `${router}'s write`).toBe(own.write);
      expect(twin?.errors[appMesh.throttled], `${router}'s throttling error`).toBe(own.throttled);
    }
    expect(DRAWN_ROUTERS.length, 'the property draws more than App Mesh').toBeGreaterThan(1);
  });

  it('ends every release at the snapshot or fully promoted, other route fields unchanged', {
    // Generous: the machine's two cores are often shared.
    timeout: Math.max(300_000, NUM_RUNS * 1500),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        generated++;
        const { scenario, input } = scenarioFor(c);
        const report = await rehearse(scenario);
        const key = report.error ? `${report.outcome}:${report.error.name}` : report.outcome;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        routers.set(c.router, (routers.get(c.router) ?? 0) + 1);
        if (c.stopAim) {
          const tally = stops.get(c.stopAim) ?? { drawn: 0, inTask: 0 };
          tally.drawn++;
          if (report.timeline.some((e) => e.event === 'task.after-stop' && !e.detail.execution))
            tally.inTask++;
          stops.set(c.stopAim, tally);
        }
        try {
          checkReport(scenario, report, c);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            `${message}\noutcome: ${report.outcome}${report.error ? ` (${report.error.name}: ${report.error.message})` : ''}\nscenario: ${JSON.stringify(input)}`,
          );
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});
