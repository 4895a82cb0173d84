import { exposureOf, isFreeze } from '#core/assess/cell.ts';
import {
  DEGRADATIONS,
  type Degradation,
  ONSETS,
  type Onset,
  onsetSeconds,
  type SignalKind,
} from '#core/assess/grid.ts';
import type { Outcome } from '#core/outcome.ts';
import { type RehearsalReport, rehearse } from '../rehearse.ts';
import { clockText } from '../report/format.ts';
import { parseScenario, ScenarioError } from '../script/scenario.ts';
import { type Generation, generatedWorld, type Signal, signalsOf } from './signals.ts';

/**
 * `stepshift assess`: how fast a profile catches a bad version. The scenario's release is rehearsed
 * once per degradation and onset of the grid (core/assess/grid.ts), its watched signals generated
 * around their baselines with seeded noise (./signals.ts), and N more times with a healthy new
 * version to count false rollbacks. Deterministic for a seed.
 */
export interface AssessOptions {
  readonly rps: number;
  readonly seed: number;
  readonly runs: number;
  /** The noise's relative standard deviation: 0.1 puts two datapoints in three within ±10%. */
  readonly sigma: number;
  /** The onsets to rehearse (all three unless given). */
  readonly onsets?: readonly Onset[];
}

export interface AssessCell {
  readonly kind: SignalKind;
  readonly degradation: string;
  readonly onset: Onset;
  readonly onsetSeconds: number;
  /** How the rehearsal ended: "stopped" for a frozen release, which assess stops at its freeze. */
  readonly outcome: Outcome;
  readonly detected: boolean;
  /** Seconds from the onset until the new version had no traffic; null when it kept some. */
  readonly secondsToRollback: number | null;
  /** Requests the new version served from the onset until then (or the freeze, or the release's end). */
  readonly badRequests: number;
  /** The highest step the release reached by then (1 is the first shift). */
  readonly stepReached: number;
  /** When `onFailure: "freeze"` held the release (seconds into it); null when it did not freeze. */
  readonly frozenAt: number | null;
}

export interface AssessReport {
  readonly name: string;
  readonly options: AssessOptions;
  readonly target: string;
  readonly signals: readonly Signal[];
  /** Kinds of degradation no watched signal carries: the profile cannot see them. */
  readonly unwatched: readonly SignalKind[];
  readonly onsets: Readonly<Record<Onset, number>>;
  readonly cells: readonly AssessCell[];
  readonly healthy: { readonly runs: number; readonly falseRollbacks: number; readonly rate: number };
}

type Raw = Record<string, unknown>;
/** Minutes of generated series beyond the release's own length. */
const MARGIN_MINUTES = 15;

export async function assess(document: unknown, file: string, options: AssessOptions): Promise<AssessReport> {
  const raw = document as Raw;
  if (typeof raw !== 'object' || raw === null || !('world' in raw) || !('profile' in raw))
    throw new ScenarioError(file, [
      'is not a scenario: assess rehearses a scenario file (a profile, a request and a world, as in examples/)',
    ]);
  const profile = raw.profile as Raw;
  const world = { ...(raw.world as Raw), operator: [] };
  const signals = signalsOf(profile, world);
  // A frozen release waits for a person, who is not modelled: each rehearsal stops at the freeze
  // rather than holding (in virtual time) until the execution's history would run out.
  const run = async (g: Generation) =>
    rehearse(parseScenario({ ...raw, world: generatedWorld(world, signals, g), expect: undefined }, file), {
      stopWhen: isFreeze,
    });

  // A healthy release first: its length, its steps' starts, and the new version's target.
  let minutes = 60;
  let probe = await run({ seed: options.seed, sigma: 0, minutes });
  while (probe.durationSeconds / 60 + MARGIN_MINUTES > minutes) {
    minutes = Math.ceil(probe.durationSeconds / 60) + MARGIN_MINUTES;
    probe = await run({ seed: options.seed, sigma: 0, minutes });
  }
  const freeze = probe.timeline.find(isFreeze);
  if (probe.outcome !== 'promoted')
    throw new ScenarioError(file, [
      `${freeze ? `freezes at ${clockText(freeze.at)} (${String(freeze.detail.reason)})` : `ends ${probe.outcome}${probe.error ? ` (${probe.error.name}: ${probe.error.message})` : ''}`} with a healthy new version and no noise; assess needs a scenario whose release promotes when nothing is wrong`,
    ]);
  const first = probe.timeline[0]?.weights ?? {};
  const last = probe.timeline[probe.timeline.length - 1]?.weights ?? {};
  const target = Object.keys(last).find((t) => (last[t] ?? 0) > 0 && !(first[t] ?? 0)) ?? '';
  const shifts = probe.timeline.filter((e) => e.event === 'traffic.shifted').map((e) => e.at);
  const onsets = Object.fromEntries(ONSETS.map((o) => [o, onsetSeconds(o, shifts)])) as Record<Onset, number>;

  const cells: AssessCell[] = [];
  for (const onset of options.onsets ?? ONSETS) {
    for (const degradation of DEGRADATIONS) {
      const at = onsets[onset];
      const report = await run({
        seed: options.seed,
        sigma: options.sigma,
        minutes,
        bad: { degradation, onset: at },
      });
      cells.push(cellOf(report, target, degradation, onset, at, options.rps));
    }
  }
  let falseRollbacks = 0;
  for (let i = 1; i <= options.runs; i++) {
    const report = await run({ seed: options.seed + i, sigma: options.sigma, minutes });
    if (report.outcome !== 'promoted') falseRollbacks++;
  }
  const watched = new Set(signals.map((s) => s.kind));
  return {
    name: String(raw.name ?? file),
    options,
    target,
    signals,
    unwatched: (['error-rate', 'latency'] as const).filter((k) => !watched.has(k)),
    onsets,
    cells,
    healthy: {
      runs: options.runs,
      falseRollbacks,
      rate: options.runs === 0 ? 0 : falseRollbacks / options.runs,
    },
  };
}

/** A cell: the degradation, its onset, how the release ended, and its exposure (core/assess/cell.ts). */
function cellOf(
  report: RehearsalReport,
  target: string,
  degradation: Degradation,
  onset: Onset,
  at: number,
  rps: number,
): AssessCell {
  return {
    kind: degradation.kind,
    degradation: degradation.label,
    onset,
    onsetSeconds: at,
    outcome: report.outcome,
    detected: report.outcome !== 'promoted',
    ...exposureOf(report.timeline, target, at, rps),
  };
}
