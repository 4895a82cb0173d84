import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '#core/bounded-text.ts';
import { checkSignals, STATE_SIGNALS, stateSignals } from '#core/health/signals.ts';
import type { Signal } from '#core/shapes.ts';

const alarm = (name: string, verdict: Signal['verdict']): Signal => ({
  name,
  kind: 'alarm',
  value: verdict === 'fail' ? 'ALARM' : 'OK',
  verdict,
  detail: verdict === 'fail' ? '4.7, alarm when > 1' : '0.2, alarm when > 1',
});

describe('checkSignals: a check’s signals as the release state carries them', () => {
  it('keeps at most STATE_SIGNALS, the failed ones first, with their numbers', () => {
    const passing = Array.from({ length: 12 }, (_, i) => alarm(`ok-${i}`, 'pass'));
    const metric: Signal = {
      name: 'error-rate',
      kind: 'metric',
      value: 'fail',
      verdict: 'fail',
      detail: '0.042 above max 0.01 over 12 samples',
      samples: 12,
      measured: { canary: 0.042, max: 0.01 },
    };
    const kept = checkSignals([...passing, metric, alarm('orders-5xx', 'fail')]);
    expect(kept).toHaveLength(STATE_SIGNALS);
    expect(kept.slice(0, 3).map((s) => s.name)).toEqual(['error-rate', 'orders-5xx', 'ok-0']);
    expect(kept[0]).toEqual(metric);
  });

  it('bounds what a signal quotes (an alarm’s name, a hook’s reason), so the state stays a few KiB', () => {
    const hook: Signal = {
      name: 'n'.repeat(1000),
      kind: 'hook',
      value: 'v'.repeat(1000),
      verdict: 'fail',
      detail: 'd'.repeat(300_000),
    };
    const kept = checkSignals(Array.from({ length: 20 }, () => hook));
    expect(utf8Bytes(JSON.stringify(kept))).toBeLessThan(STATE_SIGNALS * 400);
    expect(kept[0]?.detail).toContain('bytes cut');
  });
});

describe('stateSignals: the cut, and how many it left out', () => {
  it('keeps 8 of a check’s 11 signals and says 3 were left out', () => {
    // The failed ones come last, so a cut that kept the first 8 as they come would drop them.
    const signals = Array.from({ length: 11 }, (_, i) => alarm(`alarm-${i}`, i >= 9 ? 'fail' : 'pass'));
    const carried = stateSignals(signals);
    expect(carried.signals).toHaveLength(8);
    expect(carried.signals.slice(0, 2).map((s) => s.name)).toEqual(['alarm-9', 'alarm-10']);
    expect(carried.signalsOmitted).toBe(3);
  });

  it('says nothing was left out when all fit: no count at all, not a 0', () => {
    const carried = stateSignals(Array.from({ length: STATE_SIGNALS }, (_, i) => alarm(`a-${i}`, 'pass')));
    expect(carried.signals).toHaveLength(STATE_SIGNALS);
    expect(carried).not.toHaveProperty('signalsOmitted');
  });
});
