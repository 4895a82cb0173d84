import { describe, expect, it } from 'vitest';
import { ALARM_TRIGGERED, RELEASE_ABORTED } from '#core/controls.ts';
import { HISTORY_EVENT_LIMIT, HISTORY_EVENT_RESERVE, HOLD_HISTORY_EVENTS } from '#core/plan.ts';
import type { AlarmReading, ReleaseDeps } from '#core/ports.ts';
import type { ProfileInput } from '#core/profile/profile.ts';

import { analyzeHealth } from '#core/release/analyze.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import type { ReleaseState } from '#core/release/state.ts';
import { execution, FakeRouter, fakeDeps, ofType } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const request = { service: 'orders', version: 'v2' };
const ok: AlarmReading = { name: 'orders-5xx', type: 'metric', state: 'OK' };
const firing: AlarmReading = {
  name: 'orders-5xx',
  type: 'metric',
  state: 'ALARM',
  reason: 'Threshold Crossed: 1 datapoint [4.7] was greater than the threshold (1.0).',
  measurement: { value: 4.7, threshold: 1, comparison: 'GreaterThanThreshold' },
};
const T0 = Date.parse('2026-11-27T09:00:00.000Z');

/**
 * A prepared release of orders-v2 (steps 10, 25, 50) on the fake ports, with a clock that moves only
 * when told, and `alarm(reading)` to change what orders-5xx reads.
 */
async function released(profile: Partial<ProfileInput> = {}) {
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  const ctx = fakeDeps(router, ordersProfile(profile), [ok]);
  let now = T0;
  const deps: ReleaseDeps = { ...ctx.deps, clock: { now: () => new Date(now) } };
  const state = await prepareOrReject({ request, execution }, deps);
  return {
    router,
    deps,
    state,
    events: ctx.events,
    controls: deps.controls,
    alarm: (reading: AlarmReading) => ctx.alarms.splice(0, ctx.alarms.length, reading),
    /** Moves the clock on by this many seconds and returns the new time (ISO 8601). */
    tick: (seconds = 300) => {
      now += seconds * 1000;
      return new Date(now).toISOString();
    },
  };
}

/** Shifts to the plan's step `step` (0-based) through passing checks; the release then waits to bake. */
async function atStep(r: Awaited<ReturnType<typeof released>>, step: number): Promise<ReleaseState> {
  let state = await shiftTraffic(r.state, r.deps);
  while (state.step < step) {
    r.tick();
    state = await analyzeHealth(state, r.deps);
    if (state.next === 'shift') state = await shiftTraffic(state, r.deps);
    else if (state.next !== 'bake') throw new Error(`the release went to ${state.next} before step ${step}`);
  }
  expect(state).toMatchObject({ step, next: 'bake' });
  return state;
}

describe('analyzeHealth: onFailure "gradual"', () => {
  it('steps back one plan step when a check fails', async () => {
    // Prepare
    const r = await released({ onFailure: 'gradual' });
    const state = await atStep(r, 1);
    r.alarm(firing);
    r.tick();

    // Act
    const next = await analyzeHealth(state, r.deps);

    // Assess
    expect(next).toMatchObject({ next: 'shift', step: 0, failedChecks: 0 });
    expect(next.retreat).toEqual({
      error: 'ReleaseRolledBack',
      reason:
        'orders-5xx is ALARM (4.7, alarm when > 1), at step 2 with 25% on the new version; 1 failed check reached the threshold',
      signals: ['orders-5xx 4.7 > 1'],
    });
    expect(ofType(r.events, 'release.retreating', 'release.halted')).toEqual([
      {
        type: 'release.retreating',
        releaseId: 'r1',
        service: 'orders',
        version: 'v2',
        ...next.retreat,
        weight: 10,
      },
    ]);
    await shiftTraffic(next, r.deps);
    // Its own write key: the router answers a reused key with the first write's result.
    expect(r.router.writes.at(-1)?.key).toBe(`${execution.Id}:retreat:0`);
    expect(r.router.targets).toEqual([
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10 },
    ]);
  });

  it('rolls back at once when a check fails again while stepping back', async () => {
    const r = await released({ onFailure: 'gradual' });
    const state = await atStep(r, 1);
    r.alarm(firing);
    r.tick();
    const back = await shiftTraffic(await analyzeHealth(state, r.deps), r.deps);
    r.tick();
    const next = await analyzeHealth(back, r.deps);
    expect(next.next).toBe('rollback');
    expect(next.halt?.error).toBe('ReleaseRolledBack');
    expect(next.halt?.reason).toBe(
      `${back.retreat?.reason}; then, while stepping back, orders-5xx is ALARM (4.7, alarm when > 1), at step 1 with 10% on the new version; 1 failed check reached the threshold`,
    );
  });

  it('rolls back at once on one more failed check while stepping back, even with failureThreshold 2', async () => {
    const r = await released({
      onFailure: 'gradual',
      analysis: { alarms: ['orders-5xx'], failureThreshold: 2, insufficientData: 'ignore' },
    });
    const state = await atStep(r, 1);
    r.alarm(firing);
    r.tick();
    // One failed check of two allowed: the release goes on to 50%; the second starts the retreat.
    const first = await shiftTraffic(await analyzeHealth(state, r.deps), r.deps);
    expect(first).toMatchObject({ step: 2, failedChecks: 1 });
    r.tick();
    const back = await shiftTraffic(await analyzeHealth(first, r.deps), r.deps);
    expect(back.retreat).toBeDefined();
    r.tick();
    const next = await analyzeHealth(back, r.deps);
    expect(next.next).toBe('rollback');
    expect(next.halt?.reason).toContain('; then, while stepping back, orders-5xx is ALARM');
  });

  it('steps back to the snapshot through passing checks, then rolls back for the first reason', async () => {
    // Prepare
    const r = await released({ onFailure: 'gradual' });
    const state = await atStep(r, 2);
    r.alarm(firing);
    r.tick();
    let next = await analyzeHealth(state, r.deps);
    const why = next.retreat;
    r.alarm(ok);

    // Act
    const weights: number[] = [];
    while (next.next === 'shift') {
      next = await shiftTraffic(next, r.deps);
      weights.push(r.router.targets.find((t) => t.name === 'orders-v2')?.weight ?? 0);
      r.tick();
      next = await analyzeHealth(next, r.deps);
    }

    // Assess
    expect(weights).toEqual([25, 10]);
    expect(next.next).toBe('rollback');
    expect(next.halt).toEqual(why);
    expect(why?.reason).toContain('at step 3 with 50% on the new version');
    expect(ofType(r.events, 'release.retreating')).toMatchObject([{ weight: 25 }, { weight: 10 }]);
  });
});

describe('analyzeHealth: onFailure "freeze"', () => {
  it('holds the weights when a check fails, and tells once', async () => {
    // Prepare
    const r = await released({ onFailure: 'freeze' });
    const state = await atStep(r, 1);
    r.alarm(firing);
    const frozenAt = r.tick();

    // Act
    const first = await analyzeHealth(state, r.deps);
    r.tick(first.bakeSeconds);
    const second = await analyzeHealth(first, r.deps);
    r.tick(second.bakeSeconds);
    const third = await analyzeHealth(second, r.deps);

    // Assess
    expect(first).toMatchObject({ next: 'bake', step: 1, holds: 1, heldSince: frozenAt, bakeSeconds: 300 });
    expect(first.frozen).toMatchObject({ error: 'ReleaseRolledBack', at: frozenAt });
    expect(first.frozen?.reason).toContain('orders-5xx is ALARM');
    expect(second).toMatchObject({ next: 'bake', holds: 2, heldSince: frozenAt, bakeSeconds: 600 });
    expect(third).toMatchObject({ next: 'bake', holds: 3, heldSince: frozenAt, bakeSeconds: 1200 });
    expect(ofType(r.events, 'release.held')).toEqual([
      {
        type: 'release.held',
        releaseId: 'r1',
        service: 'orders',
        version: 'v2',
        why: 'frozen',
        reason: first.frozen?.reason,
        targets: [
          { name: 'orders-v1', weight: 75 },
          { name: 'orders-v2', weight: 25 },
        ],
      },
    ]);
    expect(ofType(r.events, 'release.halted')).toEqual([]);
    expect(r.router.writes).toHaveLength(2);
  });

  it('goes on when a resume is recorded after the freeze, and not for one from before it', async () => {
    // Prepare
    const r = await released({ onFailure: 'freeze' });
    const state = await atStep(r, 0);
    const before = r.tick(10);
    await r.controls.request('r1', { paused: null, resumed: { at: before, by: 'alice' } });
    r.alarm(firing);
    r.tick();
    const frozen = await analyzeHealth(state, r.deps);
    r.alarm(ok);
    r.tick();
    const still = await analyzeHealth(frozen, r.deps);

    // Act
    await r.controls.request('r1', { paused: null, resumed: { at: r.tick(), by: 'bob' } });
    const next = await analyzeHealth(still, r.deps);

    // Assess
    expect(still).toMatchObject({ next: 'bake', holds: 2 });
    expect(still.frozen).toBeDefined();
    expect(next).toMatchObject({ next: 'shift', step: 1, failedChecks: 0 });
    expect(next.frozen).toBeUndefined();
    expect(next.heldSince).toBeUndefined();
    expect(ofType(r.events, 'release.resumed')).toEqual([
      {
        type: 'release.resumed',
        releaseId: 'r1',
        service: 'orders',
        version: 'v2',
        after: 'frozen',
        by: 'bob',
      },
    ]);
  });
});

describe('analyzeHealth: pause', () => {
  /** Two checks per step: every 5 minutes of a 10-minute step. */
  const twoChecks = {
    strategy: { type: 'canary' as const, steps: [10, 25, 50], interval: '10m' },
    analysis: {
      alarms: ['orders-5xx'],
      failureThreshold: 1,
      interval: '5m',
      insufficientData: 'ignore' as const,
    },
  };

  it('holds at the last check of a step, not in the middle of one', async () => {
    // Prepare
    const r = await released(twoChecks);
    const state = await atStep(r, 0);
    const pausedAt = r.tick(10);
    await r.controls.request('r1', { paused: { at: pausedAt, by: 'alice' } });

    // Act
    r.tick();
    const middle = await analyzeHealth(state, r.deps);
    const heldAt = r.tick();
    const end = await analyzeHealth(middle, r.deps);
    r.tick();
    const again = await analyzeHealth(end, r.deps);

    // Assess
    expect(middle).toMatchObject({ next: 'bake', step: 0, check: 1, bakeSeconds: 300 });
    expect(middle.heldSince).toBeUndefined();
    expect(end).toMatchObject({
      next: 'bake',
      step: 0,
      check: 1,
      holds: 1,
      heldSince: heldAt,
      bakeSeconds: 300,
    });
    expect(again).toMatchObject({ next: 'bake', step: 0, holds: 2, heldSince: heldAt, bakeSeconds: 300 });
    expect(ofType(r.events, 'release.held')).toMatchObject([
      { type: 'release.held', why: 'paused', reason: `paused by alice at ${pausedAt}` },
    ]);
  });

  it('goes on to the next step once resumed', async () => {
    const r = await released(twoChecks);
    let state = await atStep(r, 0);
    await r.controls.request('r1', { paused: { at: r.tick(10) } });
    state = await analyzeHealth(await analyzeHealth(state, r.deps), r.deps);
    expect(state.heldSince).toBeDefined();
    await r.controls.request('r1', { paused: null, resumed: { at: r.tick(), by: 'bob' } });
    const next = await analyzeHealth(state, r.deps);
    expect(next).toMatchObject({ next: 'shift', step: 1 });
    expect(next.heldSince).toBeUndefined();
    expect(ofType(r.events, 'release.resumed')).toMatchObject([{ after: 'paused', by: 'bob' }]);
  });
});

describe('analyzeHealth: promote', () => {
  it('skips the rest of the step, once', async () => {
    // Prepare
    const r = await released({
      strategy: { type: 'canary', steps: [10, 25, 50], interval: '10m' },
      analysis: { alarms: ['orders-5xx'], failureThreshold: 1, interval: '5m', insufficientData: 'ignore' },
    });
    const state = await atStep(r, 0);
    const at = r.tick(10);
    await r.controls.request('r1', { promote: { at, by: 'alice', full: false } });

    // Act
    const promoted = await analyzeHealth(state, r.deps);
    const shifted = await shiftTraffic(promoted, r.deps);
    const after = await analyzeHealth(shifted, r.deps);

    // Assess
    expect(promoted).toMatchObject({ next: 'shift', step: 1, promotedBy: at });
    expect(after).toMatchObject({ next: 'bake', step: 1, check: 1 });
    expect(ofType(r.events, 'operator.promoted')).toEqual([
      {
        type: 'operator.promoted',
        releaseId: 'r1',
        service: 'orders',
        version: 'v2',
        full: false,
        step: 0,
        by: 'alice',
      },
    ]);
  });

  it('promotes at once when full', async () => {
    const r = await released();
    const state = await atStep(r, 0);
    await r.controls.request('r1', { promote: { at: r.tick(10), full: true } });
    const next = await analyzeHealth(state, r.deps);
    expect(next.next).toBe('promote');
    expect(next.step).toBe(0);
  });

  it('promotes a frozen release, outranking the hold', async () => {
    const r = await released({ onFailure: 'freeze' });
    r.alarm(firing);
    r.tick();
    const frozen = await analyzeHealth(await atStep(r, 0), r.deps);
    await r.controls.request('r1', { promote: { at: r.tick(10), full: false } });
    const next = await analyzeHealth(frozen, r.deps);
    expect(next).toMatchObject({ next: 'shift', step: 1, failedChecks: 0 });
    expect(next.frozen).toBeUndefined();
    expect(next.heldSince).toBeUndefined();
  });
});

describe('analyzeHealth: abort', () => {
  it('rolls back with ReleaseAborted, saying who, when and why', async () => {
    // Prepare
    const r = await released();
    const state = await atStep(r, 1);
    const at = r.tick(10);
    await r.controls.request('r1', { abort: { at, by: 'alice', reason: 'checkout is slow' } });

    // Act
    const next = await analyzeHealth(state, r.deps);

    // Assess
    expect(next.next).toBe('rollback');
    expect(next.halt).toEqual({
      error: RELEASE_ABORTED,
      reason: `aborted by alice at ${at}: checkout is slow, at step 2 with 25% on the new version`,
    });
    expect(ofType(r.events, 'release.halted')).toMatchObject([{ error: 'ReleaseAborted' }]);
  });

  it("ignores the controls of another execution that uses the release's id", async () => {
    const r = await released();
    const state = await atStep(r, 0);
    await r.controls.request('r1', { abort: { at: r.tick(10) } });
    const next = await analyzeHealth({ ...state, executionId: `${execution.Id}-other` }, r.deps);
    expect(next.next).toBe('shift');
  });
});

describe('analyzeHealth: an alarm that ended the bake', () => {
  const patient = {
    analysis: { alarms: ['orders-5xx'], failureThreshold: 3, insufficientData: 'ignore' as const },
  };
  const interrupt = {
    Error: ALARM_TRIGGERED,
    Cause: 'orders-5xx went into ALARM at 2026-11-27T09:07:00.000+0000 (Threshold Crossed)',
  };

  it('fails the release at once, even with failureThreshold 3', async () => {
    // Prepare
    const r = await released(patient);
    const state = await atStep(r, 0);
    r.alarm(firing);
    r.tick(60);

    // Act
    const next = await analyzeHealth({ ...state, interrupt }, r.deps);
    const polled = await analyzeHealth(state, r.deps);

    // Assess
    expect(next.next).toBe('rollback');
    expect(next.halt).toEqual({
      error: ALARM_TRIGGERED,
      reason:
        "orders-5xx is ALARM (4.7, alarm when > 1), at step 1 with 10% on the new version; the alarm's event ended the bake at once",
      signals: ['orders-5xx 4.7 > 1'],
    });
    expect(next).not.toHaveProperty('interrupt');
    // The same check, found by polling: one failed check of the three the profile allows.
    expect(polled.next).toBe('shift');
    expect(polled.failedChecks).toBe(1);
  });

  it("gives the event's words when the alarm reads OK again", async () => {
    const r = await released(patient);
    const state = await atStep(r, 0);
    r.tick(60);
    const next = await analyzeHealth({ ...state, interrupt }, r.deps);
    expect(next.halt?.reason).toBe(
      `${interrupt.Cause}, at step 1 with 10% on the new version; the alarm's event ended the bake at once`,
    );
  });
});

describe('analyzeHealth: the history a hold spends', () => {
  /** Holds that still leave room for a rollback: one more would not. */
  const room = (state: ReleaseState) =>
    Math.floor(
      (HISTORY_EVENT_LIMIT - HISTORY_EVENT_RESERVE - state.plan.historyEvents) / HOLD_HISTORY_EVENTS,
    );

  async function frozenFor(holds: (state: ReleaseState) => number) {
    const r = await released({ onFailure: 'freeze' });
    r.alarm(firing);
    r.tick();
    const frozen = await analyzeHealth(await atStep(r, 0), r.deps);
    r.tick(2 * 3600);
    return { r, frozen, next: await analyzeHealth({ ...frozen, holds: holds(frozen) - 1 }, r.deps) };
  }

  it('holds while the history leaves room for a rollback', async () => {
    const { next, frozen } = await frozenFor(room);
    expect(next).toMatchObject({ next: 'bake', holds: room(frozen) });
  });

  it('rolls back, saying why, when one more hold would not leave room for it', async () => {
    // Prepare, Act
    const { next, frozen } = await frozenFor((state) => room(state) + 1);

    // Assess
    expect(
      frozen.plan.historyEvents + (room(frozen) + 1) * HOLD_HISTORY_EVENTS + HISTORY_EVENT_RESERVE,
    ).toBeGreaterThan(HISTORY_EVENT_LIMIT);
    expect(next.next).toBe('rollback');
    expect(next.halt).toEqual({
      error: 'ReleaseRolledBack',
      reason: `${frozen.frozen?.reason}; held 2h, until the execution's history (25000 events) would no longer leave room for a rollback, so it rolled back`,
    });
  });
});

describe("analyzeHealth: the check's signals in the state", () => {
  it('carries the last check’s signals, each measured against its threshold, replaced at each check', async () => {
    const r = await released({
      analysis: { alarms: ['orders-5xx'], failureThreshold: 2, insufficientData: 'ignore' },
    });
    let state = await shiftTraffic(r.state, r.deps);
    r.alarm(firing);
    r.tick();
    state = await analyzeHealth(state, r.deps);
    expect(state.signals).toEqual([
      expect.objectContaining({ name: 'orders-5xx', kind: 'alarm', value: 'ALARM', verdict: 'fail' }),
    ]);
    expect(state.signals?.[0]?.detail).toContain('4.7, alarm when > 1');
    r.alarm(ok);
    r.tick();
    state = await analyzeHealth(state, r.deps);
    expect(state.signals).toEqual([
      expect.objectContaining({ name: 'orders-5xx', value: 'OK', verdict: 'pass' }),
    ]);
  });
});
