import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import { appMeshRoutesIn } from '#routers/appmesh/sim/simulator.ts';
import { expectInvariant, withoutTargets, writesIn } from '../../support/invariant.ts';
import { healthyScenarioInput, scenarioWith } from '../../support/scenarios.ts';

/**
 * What people do around a release, scripted in world.operator: stop it, edit the route by hand,
 * start another release of the same route. The healthy example shifts 10%, 25%, 50% at 0, 5 and 10
 * minutes and promotes at 15.
 */

type Spec = { httpRoute: { action: { weightedTargets: { virtualNode: string; weight: number }[] } } };

const startSpec = () => healthyScenarioInput().world.appmesh as { routes: { spec: Spec }[] };

/** The example route's spec (every field kept) with these weights. */
function specWith(weights: Record<string, number>): Spec {
  const spec = structuredClone(startSpec().routes[0]!.spec);
  spec.httpRoute.action.weightedTargets = Object.entries(weights).map(([virtualNode, weight]) => ({
    virtualNode,
    weight,
    port: 8080,
  }));
  return spec;
}

function withOperator(
  actions: unknown[],
  change: (s: ReturnType<typeof healthyScenarioInput>) => void = () => {},
) {
  return scenarioWith((s) => {
    s.world.operator = actions;
    change(s);
  });
}

function weightsAtEnd(report: RehearsalReport): Record<string, number> {
  const spec = appMeshRoutesIn(report.finalRoutes)[0]?.spec as Spec;
  return Object.fromEntries(spec.httpRoute.action.weightedTargets.map((t) => [t.virtualNode, t.weight]));
}

const events = (report: RehearsalReport, name: string) => report.timeline.filter((e) => e.event === name);

describe('a person stops the execution (StopExecution)', () => {
  it('at 7 minutes, in the second step: the execution ends at once, the guard puts the snapshot back and frees the route', async () => {
    // Prepare
    const scenario = withOperator([{ at: '7m', action: 'stop-execution' }]);

    // Act
    const report = await rehearse(scenario);

    // Assess
    expect(report.outcome).toBe('stopped');
    expect(report.error).toEqual({
      name: 'ExecutionStopped',
      message: 'stopped with StopExecution at 00:07:00.00; a stopped execution runs no Catch',
    });
    const aborted = events(report, 'execution.aborted');
    expect(aborted.map((e) => [e.at, e.weights])).toEqual([[420, { 'orders-v1': 75, 'orders-v2': 25 }]]);
    // No Catch: the state machine's own rollback never ran, and no state ran after the stop. The
    // guard restores at once, and lets go of the route once no task of the execution can still run.
    expect(report.timeline.filter((e) => e.at >= 420).map((e) => e.event)).toEqual([
      'operator.stop-execution',
      'execution.aborted',
      'rollback.started',
      'release.rolled_back',
      'guard.finished',
      'guard.finished',
    ]);
    expect(events(report, 'analysis.completed')).toHaveLength(1);
    // EventBridge delivered the status change a second later; the guard restored the snapshot at once,
    // and freed the route after its wait (the longest function timeout, 120 s, and 30 s more).
    expect(report.guard).toEqual([
      expect.objectContaining({
        at: 421,
        execution: 'rehearsal',
        status: 'ABORTED',
        step: 'take',
        attempt: 1,
        outcome: { action: 'restored', targets: [{ name: 'orders-v1', weight: 100, port: 8080 }] },
      }),
      expect.objectContaining({
        step: 'let-go',
        attempt: 1,
        outcome: expect.objectContaining({ action: 'none' }),
        freedLocks: [
          'arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualRouter/orders-router/route/orders-route',
        ],
      }),
    ]);
    expect(Math.floor(report.guard[1]?.at ?? 0)).toBe(571);
    expect(report.guard[0]?.freedLocks).toBeUndefined();
    expect(expectInvariant(scenario, report)).toBe('snapshot');
    expect(report.events.at(-1)?.detailType).toBe('Release Rolled Back');
  });

  it('after the release ended: nothing happens', async () => {
    const scenario = withOperator([{ at: '30m', action: 'stop-execution' }]);

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('promoted');
    expect(events(report, 'operator.stop-execution')).toEqual([
      expect.objectContaining({
        at: 1800,
        detail: { execution: 'rehearsal', ignored: 'rehearsal already ended SUCCEEDED' },
      }),
    ]);
    // The guard sees the promoted execution end too, and finds nothing to do: it had let go of its route.
    expect(report.guard.map((g) => [g.status, g.outcome?.action])).toEqual([['SUCCEEDED', 'none']]);
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('when the guard cannot write at first: its state machine retries a minute, then two minutes later', async () => {
    // The guard's UpdateRoute is denied until 9 minutes: its delivery (7m1s) and first retry (8m1s)
    // fail, the second retry (10m1s) restores the route.
    const scenario = withOperator([{ at: '7m', action: 'stop-execution' }], (s) => {
      s.world.faults = [
        { operation: 'UpdateRoute', from: '7m', until: '9m', error: 'AccessDeniedException' },
      ];
    });

    const report = await rehearse(scenario);

    // Each retry comes its delay after the failed attempt ended (an attempt takes a few calls).
    expect(
      report.guard.map((g) => [Math.floor(g.at), g.attempt, g.error?.name ?? g.outcome?.action]),
    ).toEqual([
      [421, 1, 'AccessDeniedException'],
      [481, 2, 'AccessDeniedException'],
      [601, 3, 'restored'],
      // Its second step, after the wait: the route is as it left it; it lets go.
      [751, 1, 'none'],
    ]);
    expect(events(report, 'guard.failed').map((e) => e.detail.retryInSeconds)).toEqual([60, 120]);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it("when the guard never can write: after Lambda's two retries the route stays as the release left it, locked", async () => {
    const scenario = withOperator([{ at: '7m', action: 'stop-execution' }], (s) => {
      s.world.faults = [{ operation: 'UpdateRoute', from: '7m', error: 'AccessDeniedException' }];
    });

    const report = await rehearse(scenario);

    const failures = events(report, 'guard.failed');
    expect(failures.map((e) => e.detail.attempt)).toEqual([1, 2, 3]);
    expect(failures.at(-1)?.detail).toMatchObject({ retriesLeft: 0, error: 'AccessDeniedException' });
    expect(weightsAtEnd(report)).toEqual({ 'orders-v1': 75, 'orders-v2': 25 });
    expect(report.heldLocks).toEqual([
      expect.stringMatching(/ by arn:aws:states:.*:execution:stepshift-release:rehearsal$/),
    ]);
  });
});

describe('a person edits the route by hand (UpdateRoute from the console)', () => {
  it("at 8 minutes, during the second bake: the next analysis ends the release RouteDrifted and the person's weights stay", async () => {
    // Prepare
    const scenario = withOperator([
      { at: '8m', action: 'edit-route', spec: specWith({ 'orders-v1': 60, 'orders-v2': 40 }) },
    ]);

    // Act
    const report = await rehearse(scenario);

    // Assess
    expect(report.outcome).toBe('failed');
    expect(report.error?.name).toBe('RouteDrifted');
    expect(report.error?.message).toContain('found orders-v1 60% (port 8080) · orders-v2 40% (port 8080)');
    const edit = events(report, 'operator.edit-route');
    expect(edit).toEqual([
      expect.objectContaining({
        at: 480,
        weights: { 'orders-v1': 60, 'orders-v2': 40 },
        detail: {
          route: 'shop/orders-router/orders-route',
          version: 4,
          weights: { 'orders-v1': 60, 'orders-v2': 40 },
        },
      }),
    ]);
    // Found at the next analysis (10 minutes), not before; nothing was written after the edit.
    const failed = events(report, 'execution.failed');
    expect(Math.floor((failed[0]?.at ?? 0) / 60)).toBe(10);
    expect(writesIn(report).filter((c) => c.at > 480)).toEqual([]);
    expect(weightsAtEnd(report)).toEqual({ 'orders-v1': 60, 'orders-v2': 40 });
    expect(appMeshRoutesIn(report.finalRoutes)[0]?.version).toBe(4);
    expect(withoutTargets(appMeshRoutesIn(report.finalRoutes)[0]!.spec)).toEqual(
      withoutTargets(startSpec().routes[0]!.spec),
    );
    expect(report.heldLocks).toEqual([]);
  });

  it('back to the snapshot: the release ends rolled back and writes nothing more', async () => {
    const scenario = withOperator([{ at: '8m', action: 'edit-route', spec: specWith({ 'orders-v1': 100 }) }]);

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toMatch(/^RouteDrifted: /);
    expect(writesIn(report).filter((c) => c.at > 480)).toEqual([]);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });
});

describe('a person starts a second release of the same route', () => {
  /** A v3 release of the same service and route. */
  const v3 = (at: string) =>
    withOperator([{ at, action: 'start-release', request: { service: 'orders', version: 'v3' } }], (s) => {
      (s.world.appmesh as { virtualNodes: unknown[] }).virtualNodes.push({
        meshName: 'shop',
        virtualNodeName: 'orders-v3',
      });
    });

  it('at 2 minutes, while v2 bakes at 10%: exactly one proceeds; the second writes nothing and v2 promotes', async () => {
    const scenario = v3('2m');

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('promoted');
    expect(report.others).toEqual([
      {
        name: 'rehearsal-2',
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:stepshift-release:rehearsal-2',
        outcome: 'rejected',
        error: expect.objectContaining({ name: expect.any(String) }),
      },
    ]);
    // The second execution ran at 2 minutes, inside the first's bake, and wrote nothing.
    const second = report.timeline.filter((e) => e.detail.execution === 'rehearsal-2');
    expect(second.map((e) => e.event)).toEqual([
      'operator.start-release',
      'release.rejected',
      'execution.failed',
    ]);
    expect(second.every((e) => e.at >= 120 && e.at < 121)).toBe(true);
    expect(writesIn(report).map((c) => c.input.clientToken)).toHaveLength(4);
    expect(
      report.calls.filter((c) => c.operation === 'PutItem' && c.at >= 120 && c.at < 121 && !c.error),
    ).toEqual([]);
    expect(report.timeline.filter((e) => e.event === 'release.planned')).toHaveLength(1);
    expect(expectInvariant(scenario, report)).toBe('promoted');
    // Every entry says which execution it belongs to.
    for (const entry of report.timeline)
      expect(entry.detail.execution, entry.event).toMatch(/^rehearsal(-2)?$/);
  });

  // Prepare asks who holds the route before it judges the route's state, so the second release hears
  // that another runs (and which), not that the route is split.
  it('at 2 minutes: the second is refused ReleaseInProgress, naming the running release', async () => {
    const report = await rehearse(v3('2m'));

    expect(report.others[0]?.error?.name).toBe('ReleaseInProgress');
    expect(report.others[0]?.error?.message).toContain('is being released by rehearsal (orders v2');
  });

  it('while v2 holds the route before its first shift lands: refused ReleaseInProgress naming it; v2 promotes', async () => {
    // Throttling holds the first shift back for a few seconds (Step Functions retries it), so the
    // route is locked but not yet split when the second release starts.
    const scenario = withOperator(
      [
        {
          at: '5s',
          action: 'start-release',
          request: { service: 'orders', version: 'v2', releaseId: 'again' },
        },
      ],
      (s) => {
        s.world.faults = [
          { operation: 'UpdateRoute', from: '0s', until: '12s', error: 'TooManyRequestsException' },
        ];
      },
    );

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('promoted');
    expect(report.others).toEqual([
      expect.objectContaining({
        name: 'rehearsal-2',
        outcome: 'rejected',
        error: {
          name: 'ReleaseInProgress',
          message: expect.stringMatching(
            /^appmesh:shop\/orders-router\/orders-route is being released by rehearsal \(orders v2, execution arn:aws:states:us-east-1:123456789012:execution:stepshift-release:rehearsal, since .*\); one release per route at a time/,
          ),
        },
      }),
    ]);
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('after a person stopped the first, while the guard still holds its route: refused, naming the guard', async () => {
    const scenario = withOperator(
      [
        { at: '7m', action: 'stop-execution' },
        { at: '8m', action: 'start-release', request: { service: 'orders', version: 'v3' } },
      ],
      (s) => {
        (s.world.appmesh as { virtualNodes: unknown[] }).virtualNodes.push({
          meshName: 'shop',
          virtualNodeName: 'orders-v3',
        });
      },
    );

    const report = await rehearse(scenario);

    expect(report.others).toEqual([
      expect.objectContaining({
        name: 'rehearsal-2',
        outcome: 'rejected',
        error: {
          name: 'ReleaseInProgress',
          message: expect.stringContaining('is being put back by the guard after'),
        },
      }),
    ]);
    expect(weightsAtEnd(report)).toEqual({ 'orders-v1': 100 });
    expect(report.heldLocks).toEqual([]);
  });

  it('after a person stopped the first and the guard put its traffic back and let go: the second releases the route', async () => {
    // The guard lets go at 7m1s + 150 s, when no task of the stopped execution can still be running.
    const scenario = withOperator(
      [
        { at: '7m', action: 'stop-execution' },
        { at: '10m', action: 'start-release', request: { service: 'orders', version: 'v3' } },
      ],
      (s) => {
        (s.world.appmesh as { virtualNodes: unknown[] }).virtualNodes.push({
          meshName: 'shop',
          virtualNodeName: 'orders-v3',
        });
      },
    );

    const report = await rehearse(scenario);

    expect(report.error?.name).toBe('ExecutionStopped');
    expect(report.others).toEqual([expect.objectContaining({ name: 'rehearsal-2', outcome: 'promoted' })]);
    const planned = report.timeline.filter((e) => e.event === 'release.planned');
    expect(planned.map((e) => [e.detail.execution, e.detail.canary, e.at >= 600])).toEqual([
      ['rehearsal', 'orders-v2', false],
      ['rehearsal-2', 'orders-v3', true],
    ]);
    expect(weightsAtEnd(report)).toEqual({ 'orders-v3': 100 });
    expect(report.heldLocks).toEqual([]);
  });

  it('after the first ended: it runs as a release of its own', async () => {
    const scenario = v3('20m');

    const report = await rehearse(scenario);

    expect(report.outcome).toBe('promoted');
    expect(report.others).toEqual([expect.objectContaining({ name: 'rehearsal-2', outcome: 'promoted' })]);
    expect(weightsAtEnd(report)).toEqual({ 'orders-v3': 100 });
    expect(report.heldLocks).toEqual([]);
    // The report's own figures are the scenario's execution's.
    expect(report.stateTransitions).toBe(report.plan?.stateTransitions);
  });
});

describe('without operator actions', () => {
  it('a rehearsal of one execution tags no entry with an execution', async () => {
    const report = await rehearse(scenarioWith(() => {}) as Scenario);
    expect(report.timeline.some((e) => 'execution' in e.detail)).toBe(false);
    expect(report.others).toEqual([]);
    // The guard sees the promoted execution end too, and finds nothing to do: it had let go of its route.
    expect(report.guard.map((g) => [g.status, g.outcome?.action])).toEqual([['SUCCEEDED', 'none']]);
  });
});
