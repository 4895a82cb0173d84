import { type AlarmRule, alarmStates, type Comparison } from '#core/assess/alarm-model.ts';
import { type Degradation, factorOver, kindOf, type SignalKind } from '#core/assess/grid.ts';
import { multipliers } from '#core/assess/noise.ts';

/**
 * The signals a profile watches that assess can generate: its metric checks (world.metrics, the new
 * version's series and the stable one's) and its metric alarms (world.alarms, treated as watching the
 * new version's own metric: period 60 s, 1 of 1 datapoints), each with the baseline it varies
 * around. Everything here works on the scenario as written (durations as text), before it is parsed.
 */
export interface Signal {
  readonly source: 'metric' | 'alarm';
  readonly name: string;
  readonly kind: SignalKind;
  readonly baseline: number;
}

type Raw = Record<string, unknown>;
interface RawAlarm {
  name: string;
  type?: string;
  threshold?: number;
  comparison?: Comparison;
  states?: { at: string; state: string; value?: number }[];
}

/** Defaults for a signal the scenario gives no values for: a 0.1% error rate, 100 ms. */
const DEFAULT_BASELINE: Record<SignalKind, number> = { 'error-rate': 0.001, latency: 100 };

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function signalsOf(profile: Raw, world: Raw): Signal[] {
  const analysis = (profile.analysis ?? {}) as {
    alarms?: string[];
    metrics?: { name: string; unit?: string }[];
  };
  const metrics = (world.metrics ?? {}) as Record<
    string,
    { canary?: { value: number }[]; stable?: { value: number }[] }
  >;
  const signals: Signal[] = [];
  for (const check of analysis.metrics ?? []) {
    const kind = kindOf(check.name, check.unit);
    if (kind === undefined) continue;
    const series = metrics[check.name];
    const baseline =
      medianOf((series?.stable ?? []).map((p) => p.value)) ??
      series?.canary?.[0]?.value ??
      DEFAULT_BASELINE[kind];
    signals.push({ source: 'metric', name: check.name, kind, baseline });
  }
  const alarms = (world.alarms ?? []) as RawAlarm[];
  for (const name of analysis.alarms ?? []) {
    const alarm = alarms.find((a) => a.name === name);
    if (alarm?.type !== 'metric' || alarm.threshold === undefined || alarm.comparison === undefined) continue;
    const kind = kindOf(name);
    if (kind === undefined) continue;
    const above = alarm.comparison.startsWith('Greater');
    const baseline = alarm.states?.[0]?.value ?? (above ? alarm.threshold / 2 : alarm.threshold * 2);
    signals.push({ source: 'alarm', name, kind, baseline });
  }
  return signals;
}

/** A per-signal seed, so each signal (and the stable series beside it) draws its own noise. */
const seedFor = (seed: number, index: number, stable: boolean) =>
  (Math.imul(seed, 7919) + Math.imul(index + 1, 104729) + (stable ? 1 : 0)) >>> 0;

export interface Generation {
  readonly seed: number;
  readonly sigma: number;
  readonly minutes: number;
  /** The degradation and when it starts, or none: a healthy new version. */
  readonly bad?: { readonly degradation: Degradation; readonly onset: number };
}

/** The world with each signal's series (or alarm states) generated, the rest as the scenario has it. */
export function generatedWorld(world: Raw, signals: readonly Signal[], g: Generation): Raw {
  const metrics = { ...((world.metrics ?? {}) as Raw) };
  const alarms = ((world.alarms ?? []) as RawAlarm[]).map((a) =>
    // What the profile does not watch, or assess does not model, stays at its first state.
    ({ ...a, states: a.states?.slice(0, 1) }),
  );
  signals.forEach((signal, index) => {
    const noise = multipliers(seedFor(g.seed, index, false), g.minutes, g.sigma);
    const canary = noise.map((n, m) => {
      const bad = g.bad && g.bad.degradation.kind === signal.kind ? g.bad : undefined;
      return signal.baseline * (bad ? factorOver(m * 60, bad.onset, bad.degradation.factor) : 1) * n;
    });
    if (signal.source === 'metric') {
      const stable = multipliers(seedFor(g.seed, index, true), g.minutes, g.sigma).map(
        (n) => signal.baseline * n,
      );
      metrics[signal.name] = {
        canary: canary.map((value, m) => ({ at: `${m}m`, value })),
        stable: stable.map((value, m) => ({ at: `${m}m`, value })),
      };
      return;
    }
    const alarm = alarms.find((a) => a.name === signal.name) as RawAlarm;
    const rule: AlarmRule = {
      threshold: alarm.threshold as number,
      comparison: alarm.comparison as Comparison,
      periodSeconds: 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    };
    const datapoint = (start: number) => canary[Math.floor(start / 60)];
    alarm.states = alarmStates(rule, datapoint, g.minutes * 60).map((s) => ({
      at: `${s.at}s`,
      state: s.state,
      value: Math.round((datapoint(Math.max(0, s.at - 60)) ?? signal.baseline) * 1e6) / 1e6,
    }));
  });
  return { ...world, metrics, alarms };
}
