import type { VirtualClock } from '../script/clock.ts';

/** One entry of a state's Retry field, as the States Language defines it. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

/** Defaults from the States Language specification. */
const DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;

export interface RetryDecision {
  readonly attempt: number;
  readonly delaySeconds: number;
}

/**
 * Step Functions' Retry timing, in virtual time. The interpreter retries with no pause (a real pause
 * would be real time); this decides, by the same rules, whether a failed task is retried and how long
 * Step Functions would wait first, and moves the virtual clock by that much. Attempts count per state
 * entry, as on AWS: a success or a failure that is not retried starts the count again.
 */
export class RetryClock {
  readonly #attempts = new Map<string, number[]>();

  constructor(
    private readonly retriers: (stateName: string) => readonly Retrier[] | undefined,
    private readonly clock: VirtualClock,
    private readonly random: () => number,
  ) {}

  succeeded(stateName: string): void {
    this.#attempts.delete(stateName);
  }

  /** Called as a task fails; returns the retry Step Functions makes, or undefined when it gives up. */
  failed(stateName: string, errorName: string): RetryDecision | undefined {
    const retry = this.decide(stateName, errorName);
    if (retry) this.clock.advance(retry.delaySeconds);
    return retry;
  }

  /**
   * As `failed`, leaving the clock where it is: the caller lets the pause pass itself (the rehearsal
   * fires what falls due during it, a person's stop among them).
   */
  decide(stateName: string, errorName: string): RetryDecision | undefined {
    const retriers = this.retriers(stateName) ?? [];
    const index = retriers.findIndex((r) =>
      r.ErrorEquals.some(
        (e) =>
          e === errorName ||
          e === 'States.ALL' ||
          (e === 'States.TaskFailed' && errorName !== 'States.Timeout'),
      ),
    );
    const retrier = retriers[index];
    const attempts = this.#attempts.get(stateName) ?? retriers.map(() => 0);
    const done = attempts[index] ?? 0;
    if (!retrier || done >= (retrier.MaxAttempts ?? DEFAULTS.MaxAttempts)) {
      this.#attempts.delete(stateName);
      return undefined;
    }
    const backoff =
      (retrier.IntervalSeconds ?? DEFAULTS.IntervalSeconds) *
      (retrier.BackoffRate ?? DEFAULTS.BackoffRate) ** done;
    const capped = Math.min(backoff, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    const delaySeconds =
      Math.round((retrier.JitterStrategy === 'FULL' ? this.random() * capped : capped) * 1000) / 1000;
    attempts[index] = done + 1;
    this.#attempts.set(stateName, attempts);
    return { attempt: done + 1, delaySeconds };
  }
}
