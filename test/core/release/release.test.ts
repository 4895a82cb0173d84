import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { judgeAlarms } from '#core/health/alarms.ts';
import { haltReason } from '#core/health/signals.ts';
import type { AlarmReading } from '#core/ports.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { describeFailure, rollBack } from '#core/release/rollback.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import type { ReleaseState } from '#core/release/state.ts';
import { execution, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const request = { service: 'orders', version: 'v2' };
const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };

async function prepared(
  router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]),
  alarms: AlarmReading[] = [ok],
) {
  const ctx = fakeDeps(router, ordersProfile(), alarms);
  const state = await prepareOrReject({ request, execution }, ctx.deps);
  return { router, state, ...ctx };
}

describe('prepare', () => {
  it('plans, snapshots and writes nothing', async () => {
    const { router, state, events } = await prepared();
    expect(state).toMatchObject({
      releaseId: 'r1',
      cast: { stable: 'orders-v1', canary: 'orders-v2' },
      next: 'shift',
    });
    expect(state.snapshot).toEqual([{ name: 'orders-v1', weight: 100 }]);
    expect(state.bakeSeconds).toBe(300);
    expect(router.writes).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['release.planned']);
  });

  it('gathers every problem with the route, target and alarms into one rejection', async () => {
    const router = new FakeRouter([
      { name: 'orders-v1', weight: 60 },
      { name: 'orders-v0', weight: 40 },
    ]);
    router.nodes.delete('orders-v2');
    const { deps, events } = fakeDeps(router, ordersProfile(), []);
    const error = await prepareOrReject({ request, execution }, deps).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.problems).toEqual([
      'route appmesh:shop/orders-router/orders-route: the route is split between orders-v1 (60) and orders-v0 (40); finish or roll back that release first so one version holds all traffic',
      'profile.targets.canary: orders-v2 does not exist for appmesh:shop/orders-router/orders-route; deploy the new version first',
      'profile.analysis.alarms: no CloudWatch alarm named "orders-5xx"; a release cannot be gated on an alarm that does not exist',
    ]);
    expect(events.map((e) => e.type)).toEqual(['release.rejected']);
    expect(router.writes).toEqual([]);
  });

  it('refuses to release the version that already holds all traffic', async () => {
    const { deps } = fakeDeps(new FakeRouter([{ name: 'orders-v2', weight: 100 }]), ordersProfile(), [ok]);
    await expect(prepareOrReject({ request, execution }, deps)).rejects.toThrow(
      /orders-v2 already receives all traffic/,
    );
  });

  it('names the services that do have profiles', async () => {
    const { deps } = fakeDeps(new FakeRouter([]), ordersProfile(), [ok]);
    await expect(
      prepareOrReject({ request: { service: 'payments', version: 'v2' }, execution }, deps),
    ).rejects.toThrow('request.service: no release profile for "payments"; profiles exist for: orders');
  });
});

describe('shift, analyze, promote', () => {
  it('walks every step and promotes', async () => {
    const { router, deps, state: start } = await prepared();
    let state: ReleaseState = start;
    const seen: number[] = [];
    while (state.next !== 'promote') {
      if (state.next === 'shift') {
        state = await shiftTraffic(state, deps);
        seen.push(router.targets.find((t) => t.name === 'orders-v2')?.weight ?? 0);
      }
      state = await analyzeHealth(state, deps);
      expect(state.next).not.toBe('rollback');
    }
    await promoteRelease(state, deps);
    expect(seen).toEqual([10, 25, 50]);
    expect(router.targets).toEqual([{ name: 'orders-v2', weight: 100 }]);
    expect(router.writes.map((w) => w.key)).toEqual(
      ['step:0', 'step:1', 'step:2', 'promote'].map((k) => `${execution.Id}:${k}`),
    );
  });

  it('writes nothing when a retried shift finds its weights already applied', async () => {
    const { router, deps, state } = await prepared();
    const once = await shiftTraffic(state, deps);
    const twice = await shiftTraffic(state, deps);
    expect(twice).toEqual(once);
    expect(router.writes).toHaveLength(1);
  });

  it('Analyze stops with RouteDrifted when someone changed the weights during the bake', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    router.edit([
      { name: 'orders-v1', weight: 50 },
      { name: 'orders-v2', weight: 50 },
    ]);
    await expect(analyzeHealth(shifted, deps)).rejects.toMatchObject({
      name: 'RouteDrifted',
      message: expect.stringContaining(
        'expected orders-v1 90% · orders-v2 10%, found orders-v1 50% · orders-v2 50%',
      ),
    });
    expect(router.writes).toHaveLength(1);
  });

  it('Shift stops with RouteDrifted when someone changed the weights after the last check', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    const next = await analyzeHealth(shifted, deps);
    router.edit([
      { name: 'orders-v1', weight: 50 },
      { name: 'orders-v2', weight: 50 },
    ]);
    await expect(shiftTraffic({ ...next, step: 1 }, deps)).rejects.toMatchObject({ name: 'RouteDrifted' });
    expect(router.writes).toHaveLength(1);
  });

  it('stops with RouteDrifted when the route changes between its check and its write', async () => {
    const { router, deps, state } = await prepared();
    router.beforeWrite = () =>
      router.edit([
        { name: 'orders-v1', weight: 50 },
        { name: 'orders-v2', weight: 50 },
      ]);
    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({ name: 'RouteDrifted' });
    expect(router.writes).toEqual([]);
  });

  it('keys writes by execution, so a release id used again does not replay an old write', async () => {
    const first = await prepared();
    const again = fakeDeps(new FakeRouter([{ name: 'orders-v1', weight: 100 }]), ordersProfile(), [ok]);
    const second = await prepareOrReject(
      { request, execution: { Id: `${execution.Id}-2`, Name: execution.Name } },
      again.deps,
    );
    expect(second.releaseId).toBe(first.state.releaseId);
    await shiftTraffic(first.state, first.deps);
    await shiftTraffic(second, again.deps);
    expect(first.router.writes[0]?.key).not.toBe(
      (again.deps.routerFor(second.profile.router) as FakeRouter).writes[0]?.key,
    );
  });

  it('fails with WeightNotApplied when the read-back differs from the write', async () => {
    const { router, deps, state } = await prepared();
    router.ignoreWrites = true;
    await expect(shiftTraffic(state, deps)).rejects.toMatchObject({ name: 'WeightNotApplied' });
  });

  it('rolls back once failed checks reach the threshold, with the reason in words', async () => {
    const alarm = {
      name: 'orders-5xx',
      type: 'metric' as const,
      state: 'ALARM' as const,
      reason: 'Threshold Crossed: 1 datapoint [4.7] was greater than the threshold (1.0).',
      measurement: { value: 4.7, threshold: 1, comparison: 'GreaterThanThreshold' },
    };
    const { deps, state, events } = await prepared(undefined, [ok]);
    const shifted = await shiftTraffic(state, deps);
    const { deps: alarmed } = fakeDeps(new FakeRouter([]), ordersProfile(), [alarm]);
    const judged = await analyzeHealth(shifted, { ...deps, health: alarmed.health });
    expect(judged.next).toBe('rollback');
    expect(judged.halt?.reason).toBe(
      'orders-5xx is ALARM (4.7, alarm when > 1), at step 1 with 10% on the new version; 1 failed check reached the threshold',
    );
    expect(events.at(-1)).toMatchObject({ type: 'release.halted' });
  });

  it('counts insufficient data as failure only when told to', async () => {
    const noData = { name: 'orders-5xx', type: 'metric' as const, state: 'INSUFFICIENT_DATA' as const };
    const { deps, state } = await prepared(undefined, [noData]);
    expect((await analyzeHealth(state, deps)).next).toBe('shift');
    const strict = {
      ...state,
      profile: {
        ...state.profile,
        analysis: { ...state.profile.analysis, insufficientData: 'fail' as const },
      },
    };
    expect((await analyzeHealth(strict, deps)).next).toBe('rollback');
  });
});

describe('rollback', () => {
  it('restores the snapshot and reports the analysis reason', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    const outcome = await rollBack(
      { ...shifted, halt: { error: 'ReleaseRolledBack', reason: 'orders-5xx is ALARM' } },
      deps,
    );
    expect(outcome).toEqual({ error: 'ReleaseRolledBack', reason: 'orders-5xx is ALARM' });
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });

  it('explains a caught Lambda error from its JSON cause', async () => {
    const { deps, state } = await prepared();
    const failure = {
      Error: 'AccessDeniedException',
      Cause: JSON.stringify({ errorMessage: 'not allowed', errorType: 'AccessDeniedException' }),
    };
    expect(await rollBack({ ...state, failure }, deps)).toEqual({
      error: 'ReleaseRolledBack',
      reason: 'AccessDeniedException: not allowed',
    });
    expect(describeFailure({ Error: 'States.Timeout', Cause: 'timed out' }).reason).toBe(
      'States.Timeout: timed out',
    );
  });

  it('leaves a human edit in place and ends with RouteDrifted', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    router.edit([
      { name: 'orders-v1', weight: 70 },
      { name: 'orders-v2', weight: 30 },
    ]);
    const failure = {
      Error: 'RouteDrifted',
      Cause: JSON.stringify({ errorMessage: 'changed', errorType: 'RouteDrifted' }),
    };
    expect((await rollBack({ ...shifted, failure }, deps)).error).toBe('RouteDrifted');
    expect(router.targets).toEqual([
      { name: 'orders-v1', weight: 70 },
      { name: 'orders-v2', weight: 30 },
    ]);
  });

  it('does not overwrite weights this release never wrote, even when analysis asked for rollback', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    router.edit([
      { name: 'orders-v1', weight: 0 },
      { name: 'orders-v2', weight: 100 },
    ]);
    const outcome = await rollBack(
      { ...shifted, halt: { error: 'ReleaseRolledBack', reason: 'orders-5xx is ALARM' } },
      deps,
    );
    expect(outcome.error).toBe('RouteDrifted');
    expect(outcome.reason).toMatch(
      /^orders-5xx is ALARM; then, before restoring, found orders-v1 0% · orders-v2 100%/,
    );
    expect(router.writes).toHaveLength(1);
  });

  it('restores the weights of the step whose Shift failed after writing them', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    const next = await analyzeHealth(shifted, deps);
    // Shift of step 2 wrote 75/25, then failed reading back; the Catch hands Roll back its input.
    router.edit([
      { name: 'orders-v1', weight: 75 },
      { name: 'orders-v2', weight: 25 },
    ]);
    const failure = { Error: 'RouterUnavailable', Cause: 'read-back failed' };
    expect((await rollBack({ ...next, failure }, deps)).error).toBe('ReleaseRolledBack');
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });

  it('leaves weights of a step that is not in flight: someone set them by hand', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    router.edit([
      { name: 'orders-v1', weight: 50 },
      { name: 'orders-v2', weight: 50 },
    ]); // step 3's weights, while the release is baking step 1
    const outcome = await rollBack(
      { ...shifted, halt: { error: 'ReleaseRolledBack', reason: 'alarm' } },
      deps,
    );
    expect(outcome.error).toBe('RouteDrifted');
    expect(router.targets).toEqual([
      { name: 'orders-v1', weight: 50 },
      { name: 'orders-v2', weight: 50 },
    ]);
  });

  it('after RouteDrifted, still restores when the route holds only its own weights', async () => {
    const { router, deps, state } = await prepared();
    const shifted = await shiftTraffic(state, deps);
    const failure = { Error: 'RouteDrifted', Cause: JSON.stringify({ errorMessage: 'changed meanwhile' }) };
    expect((await rollBack({ ...shifted, failure }, deps)).error).toBe('ReleaseRolledBack');
    expect(router.targets).toEqual([{ name: 'orders-v1', weight: 100 }]);
  });

  it('refuses a state it did not write', async () => {
    const { deps } = await prepared();
    await expect(rollBack({ hello: 1 }, deps)).rejects.toMatchObject({ name: 'CorruptState' });
  });
});

describe('judgeAlarms', () => {
  const analysis = { alarms: ['a'], failureThreshold: 1, insufficientData: 'ignore' as const };

  it('shows the measured value against the threshold when CloudWatch gives both', () => {
    const [signal] = judgeAlarms(analysis, [
      {
        name: 'a',
        type: 'metric',
        state: 'OK',
        measurement: { value: 0.2, threshold: 1, comparison: 'LessThanOrEqualToThreshold' },
      },
    ]);
    expect(signal).toEqual({
      name: 'a',
      kind: 'alarm',
      value: 'OK',
      verdict: 'pass',
      detail: '0.2, alarm when <= 1',
    });
  });

  it('falls back to the state reason, then to the alarm kind', () => {
    expect(
      judgeAlarms(analysis, [{ name: 'a', type: 'metric', state: 'ALARM', reason: 'it broke' }])[0]?.detail,
    ).toBe('it broke');
    expect(judgeAlarms(analysis, [{ name: 'a', type: 'composite', state: 'ALARM' }])[0]?.detail).toBe(
      'composite alarm',
    );
  });

  it('fails an alarm that has disappeared', () => {
    expect(judgeAlarms(analysis, [])[0]).toMatchObject({ value: 'MISSING', verdict: 'fail' });
  });
});

describe('alarms that fire between checks', () => {
  const analysis = { alarms: ['a'], failureThreshold: 1, insufficientData: 'ignore' as const };
  const now = new Date('2026-01-01T00:10:00Z');

  it('fails an alarm that is OK now but went into ALARM since the last check', () => {
    const [signal] = judgeAlarms(analysis, [{ name: 'a', type: 'metric', state: 'OK' }], {
      now,
      between: new Map([['a', [{ at: new Date('2026-01-01T00:06:00Z'), state: 'ALARM' as const }]]]),
    });
    expect(signal).toMatchObject({ verdict: 'fail', betweenChecks: true, detail: 'ALARM 4m ago; OK now' });
    expect(haltReason([signal!], 1, 25, 1)).toBe(
      'a went into ALARM between checks (ALARM 4m ago; OK now), at step 2 with 25% on the new version; 1 failed check reached the threshold',
    );
  });

  it('reads history only for alarms that changed since the last check and are not in ALARM now', async () => {
    const { deps, state } = await prepared();
    const asked: string[] = [];
    const health = {
      readAlarms: async () => [
        {
          name: 'orders-5xx',
          type: 'metric' as const,
          state: 'OK' as const,
          changedAt: new Date(Date.parse(state.checkedAt) + 1000),
        },
      ],
      changesSince: async (name: string) => {
        asked.push(name);
        return [];
      },
      readMetrics: async () => [],
    };
    expect((await analyzeHealth(state, { ...deps, health })).next).toBe('shift');
    expect(asked).toEqual(['orders-5xx']);
    const unchanged = {
      ...health,
      readAlarms: async () => [
        { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const, changedAt: new Date(0) },
      ],
    };
    asked.length = 0;
    await analyzeHealth(state, { ...deps, health: unchanged });
    expect(asked).toEqual([]);
  });
});

describe('one release per route', () => {
  it('refuses a second release of a route while the first runs, naming it, and tells the bus', async () => {
    // Prepare
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const { deps, events } = fakeDeps(router, ordersProfile(), [ok]);
    await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, deps);
    const second = { Id: `${execution.Id}-2`, Name: 'r2' };

    // Act
    const refused = prepareOrReject(
      { request: { service: 'orders', version: 'v2', releaseId: 'r2' }, execution: second },
      deps,
    );

    // Assess
    await expect(refused).rejects.toMatchObject({
      name: 'ReleaseInProgress',
      message: expect.stringContaining(`is being released by r1 (orders v2, execution ${execution.Id}`),
    });
    expect(events.at(-1)).toMatchObject({ type: 'release.rejected', releaseId: 'r2' });
    expect(router.writes).toEqual([]);
  });

  it('takes over a lock whose execution no longer runs, and says so', async () => {
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const { deps, events } = fakeDeps(router, ordersProfile(), [ok]);
    await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, deps);
    const second = { Id: `${execution.Id}-2`, Name: 'r2' };
    let asked = 0;
    const state = await prepareOrReject(
      { request: { service: 'orders', version: 'v2', releaseId: 'r2' }, execution: second },
      {
        ...deps,
        executions: {
          isRunning: async () => {
            asked++;
            return false;
          },
          ending: async () => undefined,
        },
      },
    );
    expect(state.releaseId).toBe('r2');
    expect(asked, 'Step Functions is asked about the old holder once').toBe(1);
    expect(events.find((e) => e.type === 'lock.taken_over')).toMatchObject({
      releaseId: 'r2',
      from: { releaseId: 'r1', executionId: execution.Id },
    });
  });
});
