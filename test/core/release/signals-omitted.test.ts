import { describe, expect, it } from 'vitest';
import { lifecycleEventOf } from '#core/lifecycle.ts';
import type { AlarmReading, ReleaseDeps } from '#core/ports.ts';
import type { ProfileInput } from '#core/profile/profile.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { rollBack } from '#core/release/rollback.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { execution, FakeRouter, fakeDeps, ofType } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const names = Array.from({ length: 11 }, (_, i) => `alarm-${i}`);
const reading = (name: string, state: 'OK' | 'ALARM'): AlarmReading => ({
  name,
  type: 'metric',
  state,
  ...(state === 'ALARM'
    ? { measurement: { value: 4.7, threshold: 1, comparison: 'GreaterThanThreshold' as const } }
    : {}),
});

/** A release of orders-v2 gated on 11 alarms, shifted to its first step; `read` sets what they read. */
async function gatedOnEleven(profile: Partial<ProfileInput> = {}) {
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  const ctx = fakeDeps(
    router,
    ordersProfile({
      analysis: { alarms: names, failureThreshold: 1, insufficientData: 'ignore' },
      ...profile,
    }),
    names.map((n) => reading(n, 'OK')),
  );
  let now = T0;
  // Each reading of the clock is five minutes on: every analysis judges a later check.
  const later = () => {
    now += 300_000;
    return new Date(now);
  };
  const deps: ReleaseDeps = { ...ctx.deps, clock: { now: later } };
  const state = await shiftTraffic(
    await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, deps),
    deps,
  );
  const read = (firing: number) =>
    ctx.alarms.splice(0, ctx.alarms.length, ...names.map((n, i) => reading(n, i < firing ? 'ALARM' : 'OK')));
  return { deps, state, events: ctx.events, read };
}

describe('analyzeHealth: the signals a cut leaves out are counted', () => {
  it('carries 8 of a check’s 11 signals and says 3 more were left out; a check that fits says nothing', async () => {
    // Prepare
    const r = await gatedOnEleven({
      analysis: { alarms: names, failureThreshold: 3, insufficientData: 'ignore' },
    });

    // Act
    const checked = await analyzeHealth(r.state, r.deps);
    const fewer = await analyzeHealth(
      {
        ...checked,
        profile: { ...checked.profile, analysis: { ...checked.profile.analysis, alarms: names.slice(0, 2) } },
      },
      r.deps,
    );

    // Assess
    expect(checked.signals).toHaveLength(8);
    expect(checked.signalsOmitted).toBe(3);
    // The next check replaces the count with its own: none left out, so none said.
    expect(fewer.signals).toHaveLength(2);
    expect(fewer).not.toHaveProperty('signalsOmitted');
    // The event carries every signal: nothing is left out of it.
    const [completed] = ofType(r.events, 'analysis.completed');
    expect(completed?.type === 'analysis.completed' && completed.signals).toHaveLength(11);
  });

  it('halts with 5 briefs of 11 failed signals, says 6 more, and the rollback’s event says so too', async () => {
    // Prepare
    const r = await gatedOnEleven();
    r.read(11);

    // Act
    const halted = await analyzeHealth(r.state, r.deps);
    await rollBack(halted, r.deps);

    // Assess
    expect(halted.next).toBe('rollback');
    expect(halted.halt?.signals).toHaveLength(5);
    expect(halted.halt?.signalsOmitted).toBe(6);
    expect(ofType(r.events, 'release.halted')[0]).toMatchObject({ signalsOmitted: 6 });
    const rolledBack = ofType(r.events, 'release.rolled_back')[0] as ReleaseEvent;
    expect(rolledBack).toMatchObject({ signalsOmitted: 6 });
    expect(lifecycleEventOf(rolledBack)?.detail).toMatchObject({ signalsOmitted: 6 });
  });

  it('says no count when every failed signal has its brief', async () => {
    const r = await gatedOnEleven();
    r.read(5);
    const halted = await analyzeHealth(r.state, r.deps);
    expect(halted.halt?.signals).toHaveLength(5);
    expect(halted.halt).not.toHaveProperty('signalsOmitted');
  });
});
