import type { Clock } from '#core/ports.ts';

/** 2026-01-01T00:00:00Z: rehearsals start here so their timestamps are the same on every run. */
const EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * Virtual time for a rehearsal: seconds since the release started. Nothing sleeps; bakes and
 * retry back-offs move the clock forward, which is why a two-hour release rehearses in milliseconds.
 */
export class VirtualClock implements Clock {
  #seconds = 0;

  /** Seconds since the start of the rehearsal. */
  get seconds(): number {
    return this.#seconds;
  }

  now(): Date {
    return this.dateAt(this.#seconds);
  }

  /** The date at a virtual time (seconds since the start of the rehearsal). */
  dateAt(seconds: number): Date {
    return new Date(EPOCH_MS + Math.round(seconds * 1000));
  }

  advance(seconds: number): void {
    if (seconds < 0 || !Number.isFinite(seconds)) throw new Error(`cannot move virtual time by ${seconds}s`);
    // Rounded to the millisecond so sums of call latencies print cleanly.
    this.#seconds = Math.round((this.#seconds + seconds) * 1000) / 1000;
  }

  advanceTo(seconds: number): void {
    if (seconds > this.#seconds) this.advance(seconds - this.#seconds);
  }
}
