import type { AlarmState } from '#core/ports.ts';
import type { Signal } from '#core/shapes.ts';

/**
 * One release told as the chart and the report draw it, whatever it came from: a rehearsal's timeline
 * (cli/chart/from-rehearsal.ts) or a real release's execution history (cli/report/from-history.ts).
 * Times are seconds since the release started; `startedAt` pins them to the wall clock when they are
 * real.
 */
export interface ReleaseStory {
  /** What the chart's title says: "orders v2: healthy canary promotes". */
  readonly title: string;
  readonly service?: string;
  readonly version?: string;
  readonly releaseId?: string;
  /** Where the release's second 0 was (ISO 8601); absent for a rehearsal, whose clock is virtual. */
  readonly startedAt?: string;
  /** Seconds from the start to the release's end (or to now, for one still running). */
  readonly endSeconds: number;
  /** promoted, rolled_back, rejected, failed, or running. */
  readonly outcome: string;
  readonly error?: { readonly name: string; readonly message: string };
  readonly plan?: StoryPlan;
  /** The new version's share of the route's traffic, in percent, each time it was read or written. */
  readonly weights: readonly WeightPoint[];
  /** Each alarm's state each time the release saw it (a check, an alarm's event). */
  readonly alarms: readonly AlarmPoint[];
  readonly checks: readonly StoryCheck[];
  /** Hooks, people, and the release's turns: held, resumed, halted, rolled back, promoted. */
  readonly marks: readonly StoryMark[];
}

export interface StoryPlan {
  readonly routeId?: string;
  readonly stable: string;
  readonly canary: string;
  /** What started it: request (console, CLI, CodePipeline), eventbridge, ecr. */
  readonly trigger?: string;
  /** The new version's weight at each step, in percent. */
  readonly steps: readonly number[];
  /** The alarms and metric checks that gate it; absent when the source does not say (a real release's history). */
  readonly alarms?: readonly string[];
  readonly metrics?: readonly string[];
  /** Seconds of baking the plan adds up to. */
  readonly totalSeconds?: number;
}

export interface WeightPoint {
  readonly at: number;
  readonly canary: number;
}

export interface AlarmPoint {
  readonly at: number;
  readonly alarm: string;
  readonly state: AlarmState;
}

/** One analysis: when, which step and check, its verdict, and each signal as it read. */
export interface StoryCheck {
  readonly at: number;
  /** 0-based, as the release counts them. */
  readonly step: number;
  readonly check: number;
  readonly passed: boolean;
  readonly failedChecks?: number;
  readonly failureThreshold?: number;
  readonly signals: readonly Signal[];
  /** How many of the check's signals `signals` left out (a real release's state carries at most 8). */
  readonly signalsOmitted?: number;
  /** Why the signals are not here, when they are not: a real release's history does not hold them. */
  readonly unread?: string;
}

export type MarkKind = 'hook' | 'operator' | 'hold' | 'resume' | 'halt' | 'rollback' | 'promote';

export interface StoryMark {
  readonly at: number;
  readonly kind: MarkKind;
  /** A few words for the chart: "rollout hook smoke: FAILED", "abort by alice". */
  readonly label: string;
  /** The whole sentence, for the report and the chart's tooltip. */
  readonly detail?: string;
  /** Who acted, when a person did. */
  readonly by?: string;
}

/** The new version's weight at each moment, as a step function read from the points. */
export function weightAt(story: Pick<ReleaseStory, 'weights'>, at: number): number {
  let weight = 0;
  for (const point of story.weights) {
    if (point.at > at) break;
    weight = point.canary;
  }
  return weight;
}
