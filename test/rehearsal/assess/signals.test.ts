import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEGRADATIONS, type SignalKind } from '#core/assess/grid.ts';
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

describe('generatedWorld across seeds', () => {
  const signals = signalsOf(profile, world);
  type Generated = {
    metrics: Record<string, { canary: { value: number }[]; stable: { value: number }[] }>;
    alarms: { name: string; states: { at: string; state: string }[] }[];
  };
  const firstAlarm = (w: Generated) =>
    Number.parseFloat(
      w.alarms.find((a) => a.name === 'orders-5xx')?.states.find((s) => s.state === 'ALARM')?.at ??
        'Infinity',
    );

  // What makes assess monotone: every degradation of a row sees the same noise, so a bigger one's
  // series is at least as high minute by minute and its alarm goes off no later, whatever the seed.
  it('gives a bigger degradation of a kind series at least as high, and an alarm no later, for every seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 20 * 60 }),
        (seed, sigma, onset) => {
          for (const kind of ['error-rate', 'latency'] as SignalKind[]) {
            const worlds = DEGRADATIONS.filter((d) => d.kind === kind).map(
              (degradation) =>
                generatedWorld(world, signals, {
                  seed,
                  sigma,
                  minutes: 30,
                  bad: { degradation, onset },
                }) as Generated,
            );
            for (let i = 1; i < worlds.length; i++) {
              const [smaller, bigger] = [worlds[i - 1] as Generated, worlds[i] as Generated];
              const canary = (w: Generated) => w.metrics['p99 latency']?.canary.map((p) => p.value) ?? [];
              const below = canary(bigger).filter((value, m) => value < (canary(smaller)[m] as number));
              expect(below).toEqual([]);
              expect(bigger.metrics['p99 latency']?.stable).toEqual(smaller.metrics['p99 latency']?.stable);
              expect(firstAlarm(bigger)).toBeLessThanOrEqual(firstAlarm(smaller));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
