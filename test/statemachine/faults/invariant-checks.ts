import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { loadDefinition } from '#rehearsal/platform/definition.ts';
import type { RehearsalReport } from '#rehearsal/rehearse.ts';
import type { Operation } from '#rehearsal/script/faults.ts';
import { OUTCOMES, type Scenario } from '#rehearsal/script/scenario.ts';
import { twinFor } from '../../../scripts/router-twins.ts';
import {
  expectInvariant,
  expectLambdaAliasInvariant,
  expectTargetGroupInvariant,
} from '../../support/invariant.ts';
import { type Case, EDITED, seconds } from './invariant-cases.ts';
import {
  byName,
  endRouteOf,
  ROUTER_CASES,
  type RouterCase,
  startRouteOf,
  worldKeyOf,
} from './invariant-routers.ts';
import { namedOn } from './invariant-scenario.ts';

/** The healthy example's route fully promoted: orders-v2 alone, at 100. */
const PROMOTED = { 'orders-v2': 100 };

const ROLLBACK_STATE = 'Roll back';
const rollbackRetries = (() => {
  // The retrier for the errors a fault can cause (the ones that cannot heal are never retried).
  const retry = loadDefinition().States[ROLLBACK_STATE]?.Retry ?? [];
  return retry.find((r) => r.ErrorEquals.includes('States.ALL'))?.MaxAttempts ?? 3;
})();

/**
 * What the invariant property asserts of one case's rehearsal: the route's end, its lock, the rollback's
 * attempts, the router's writes, and the order of the timeline and the calls.
 */
export function checkReport(scenario: Scenario, report: RehearsalReport, c: Case): void {
  const { outcome } = report;
  // With a second release in the rehearsal, this first one's entries are those not tagged otherwise.
  const timeline = report.timeline.filter((e) => (e.detail.execution ?? 'rehearsal') === 'rehearsal');
  const secondRan = c.operator?.action === 'start-release';
  expect(OUTCOMES).toContain(outcome);
  expect(report.error === undefined, 'only a promoted release ends without an error').toBe(
    outcome === 'promoted',
  );

  const own: RouterCase = ROUTER_CASES[c.router];
  const writes = report.calls.filter((call) => own.writes.includes(call.operation as Operation));
  const successfulWrites = writes.filter((c) => !c.error);
  const started = timeline.some((e) => e.event === 'release.planned');
  const rollbackFailed = outcome === 'failed' && report.error?.name === 'RollbackFailed';

  if (!secondRan && (outcome === 'rejected' || (outcome === 'failed' && !started))) {
    expect(successfulWrites, `a ${outcome} release (${report.error?.name}) wrote nothing`).toEqual([]);
  }

  // The route as the world started with it, and as it ended, in the report's one shape for every router.
  const start = startRouteOf(scenario, c.router);
  const end = endRouteOf(report, c.router, start);
  expect(end, 'the route still exists').toBeDefined();

  // The guard's last run for each release (with a second release, whichever held the route): after a
  // failed rollback it puts the snapshot back if it can write; when it could not, it gave up.
  const lastGuardRuns = new Map(report.guard.map((g) => [g.execution, g]));
  const guardGaveUp = [...lastGuardRuns.values()].some((g) => g.error !== undefined);
  // App Mesh's edit-route is an action of the rehearsal, which runs until it; another router's edit
  // is scripted on its route (as its twins script it) and lands when its service is next read: after
  // the rehearsal's end, never.
  // (A Lambda alias's edit is the person's edit-alias action, which the rehearsal runs until too.)
  const personActs =
    c.router === 'appmesh' || twinFor(worldKeyOf(c.router)).event('operator.edit-route') !== undefined;
  const edited =
    c.operator?.action === 'edit-route' && (personActs || seconds(c.operator.at) <= report.durationSeconds);
  if (edited) {
    // A person's edit stands, whenever it came: nothing the release or the guard does overwrites it.
    expect(byName(end!.targets), "the person's weights stand").toEqual(namedOn(c.router, EDITED));
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // Unless the side route could not be removed through every retry: the guard then keeps the lock.
    if (guardGaveUp) expect(report.heldLocks.length, 'at most the route stays locked').toBeLessThanOrEqual(1);
    else expect(report.heldLocks, 'every route lock was released').toEqual([]);
  } else if (!guardGaveUp) {
    // When DynamoDB refused the last attempt to free the lock, it is stale: the next release takes it over.
    const lastDelete = report.calls.filter((call) => call.operation === 'DeleteItem').at(-1);
    const staleLockAllowed = lastDelete?.error !== undefined;
    const ended =
      c.router === 'appmesh'
        ? expectInvariant(scenario, report, { staleLockAllowed })
        : c.router === 'lambda'
          ? expectLambdaAliasInvariant(
              scenario,
              report,
              twinFor(worldKeyOf(c.router)).target('orders-v2'),
              undefined,
              {
                staleLockAllowed,
              },
            )
          : expectTargetGroupInvariant(scenario, report, byName(start.targets), 'orders-v2', {
              staleLockAllowed,
            });
    // Every router's route as it ended keeps its other fields (expectTargetGroupInvariant holds the
    // writes: this holds what the service kept).
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // A stopped release's Promote may land between the stop and the guard's taking over (EventBridge's
    // delivery, a second): the guard then finds the route promoted, a valid end, and leaves it; a write
    // after the guard took over never stands (the fence).
    const guardTookOver = report.guard.find((g) => g.step === 'take')?.at ?? Number.POSITIVE_INFINITY;
    const promotedBeforeTheGuard =
      outcome === 'stopped' &&
      successfulWrites.some(
        (w) =>
          w.at < guardTookOver &&
          isDeepStrictEqual(own.weightsWritten(w.input, scenario), namedOn(c.router, PROMOTED)),
      );
    const promotedByEither =
      outcome === 'promoted' || promotedBeforeTheGuard || report.others.some((o) => o.outcome === 'promoted');
    if (ended === 'promoted') expect(promotedByEither, `ended promoted with outcome ${outcome}`).toBe(true);
    else expect(outcome, `ended at the snapshot with outcome ${outcome}`).not.toBe('promoted');
  } else {
    // The gap left: the execution ended without restoring (a failed rollback, or a stop) and the guard
    // could not read or write the route either, through Lambda's retries. The route
    // must still hold the last weights the release wrote (or the snapshot, when it wrote none): never
    // a weight it did not deliberately write.
    const last = successfulWrites.at(-1);
    const expected = last ? own.written(last.input) : own.held(start.fields);
    expect(own.held(end!.fields), 'the route holds the last weights the release wrote').toEqual(expected);
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // The guard could not read or write its table or the route: at most this release's lock stays.
    expect(report.heldLocks.length, 'at most the route stays locked for a person').toBeLessThanOrEqual(1);
  }

  // Every attempt at a rollback whose function ran announces itself: the first, and one per Step
  // Functions retry, less the invocations Lambda failed before the function ran (the guard's own
  // attempts come after the execution ended).
  const executionEnd = timeline.findIndex((e) => e.event.startsWith('execution.'));
  const during = timeline.slice(0, executionEnd === -1 ? timeline.length : executionEnd);
  const attempts = during.filter((e) => e.event === 'rollback.started').length;
  const retries = timeline.filter(
    (e) => e.event === 'state.retried' && e.detail.state === ROLLBACK_STATE,
  ).length;
  const neverRan = during.filter(
    (e) => e.event === 'lambda.failed' && e.detail.state === ROLLBACK_STATE && e.detail.when === 'before',
  ).length;
  if (outcome === 'rolled_back' || rollbackFailed) {
    expect(attempts, 'each rollback attempt whose function ran is in the timeline').toBe(
      1 + retries - neverRan,
    );
    if (rollbackFailed) expect(retries, 'RollbackFailed only after every retry').toBe(rollbackRetries);
  } else if (outcome === 'promoted' || outcome === 'rejected' || !started) {
    expect(attempts, `a ${outcome} release did not roll back`).toBe(0);
  }

  own.expectWritesValid(scenario, report);

  for (let i = 1; i < timeline.length; i++) {
    expect(timeline[i]!.at, `timeline entry ${i} (${timeline[i]!.event})`).toBeGreaterThanOrEqual(
      timeline[i - 1]!.at,
    );
  }
  for (let i = 1; i < report.calls.length; i++) {
    expect(report.calls[i]!.at, `call ${i} (${report.calls[i]!.operation})`).toBeGreaterThanOrEqual(
      report.calls[i - 1]!.at,
    );
  }
}
