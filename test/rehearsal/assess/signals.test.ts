import { describe, expect, it } from 'vitest';
import { DEGRADATIONS } from '#core/assess/grid.ts';
import { generatedWorld, signalsOf } from '#rehearsal/assess/signals.ts';

const profile = {
  analysis: {
    alarms: ['orders-5xx', 'orders-health'],
    metrics: [
      { name: 'p99 latency', unit: 'ms' },
      { name: 'saturation', unit: '%' },
    ],
  },
};
const world = {
  alarms: [
    {
      name: 'orders-5xx',
      type: 'metric',
      threshold: 1,
      comparison: 'GreaterThanThreshold',
      states: [
        { at: '0s', state: 'OK', value: 0.2 },
        { at: '7m', state: 'ALARM', value: 4.7 },
      ],
    },
    { name: 'orders-health', type: 'composite', states: [{ at: '0s', state: 'OK' }] },
  ],
  metrics: {
    'p99 latency': {
      stable: [
        { at: '0s', value: 90 },
        { at: '1m', value: 110 },
        { at: '2m', value: 100 },
      ],
    },
  },
};
const errorsTimesTen = DEGRADATIONS.find((d) => d.label === '×10') as (typeof DEGRADATIONS)[number];
const latencyDouble = DEGRADATIONS.find((d) => d.label === '+100%') as (typeof DEGRADATIONS)[number];

describe('signalsOf', () => {
  it('finds the metric checks and metric alarms assess can vary, each with its baseline', () => {
    expect(signalsOf(profile, world)).toEqual([
      { source: 'metric', name: 'p99 latency', kind: 'latency', baseline: 100 },
      { source: 'alarm', name: 'orders-5xx', kind: 'error-rate', baseline: 0.2 },
    ]);
  });
});

describe('generatedWorld', () => {
  const signals = signalsOf(profile, world);

  it('draws the same series for the same seed and other ones for another', () => {
    const g = { seed: 4, sigma: 0.1, minutes: 30 };
    expect(generatedWorld(world, signals, g)).toEqual(generatedWorld(world, signals, g));
    expect(generatedWorld(world, signals, { ...g, seed: 5 })).not.toEqual(generatedWorld(world, signals, g));
  });

  it('degrades only the signals of its kind, only from the onset, and replaces scripted alarm states', () => {
    const healthy = generatedWorld(world, signals, { seed: 1, sigma: 0, minutes: 30 }) as {
      metrics: Record<string, { canary: { value: number }[] }>;
      alarms: { name: string; states: { at: string; state: string }[] }[];
    };
    expect(healthy.alarms.find((a) => a.name === 'orders-5xx')?.states).toEqual([
      { at: '0s', state: 'OK', value: 0.2 },
    ]);
    const bad = generatedWorld(world, signals, {
      seed: 1,
      sigma: 0,
      minutes: 30,
      bad: { degradation: errorsTimesTen, onset: 300 },
    }) as typeof healthy;
    expect(bad.alarms.find((a) => a.name === 'orders-5xx')?.states[1]).toEqual({
      at: '360s',
      state: 'ALARM',
      value: 2,
    });
    expect(bad.metrics['p99 latency']?.canary).toEqual(healthy.metrics['p99 latency']?.canary);
    const slow = generatedWorld(world, signals, {
      seed: 1,
      sigma: 0,
      minutes: 30,
      bad: { degradation: latencyDouble, onset: 300 },
    }) as typeof healthy;
    expect(slow.metrics['p99 latency']?.canary.slice(3, 7).map((p) => p.value)).toEqual([100, 100, 200, 200]);
  });
});
