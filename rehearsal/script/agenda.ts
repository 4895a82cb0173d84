import type { VirtualClock } from './clock.ts';

interface Item {
  readonly at: number;
  readonly order: number;
  readonly fire: () => unknown;
}

/** A thread waiting for virtual time to reach `at`, or for `stop()` to hold, whichever comes first. */
interface Sleeper {
  readonly at: number;
  readonly order: number;
  readonly stop: () => boolean;
  readonly wake: () => void;
}

/**
 * What is due to happen at a virtual time, outside any one execution's states: a person's action
 * (world.operator), an EventBridge delivery to the guard, Lambda's retry of a failed asynchronous
 * invocation. Nothing here runs on its own: the rehearsal fires due items wherever virtual time passes
 * (inside a bake, in steps; inside a task, as its AWS calls, SDK back-off and webhook calls take
 * time; in Step Functions' retry pauses), so an item fires at its exact time even while a task runs;
 * before every task invocation; and, when the executions have ended, it drains what is left. Items
 * fire in time order; items at the same time in the order they were added.
 */
export class Agenda {
  readonly #items: Item[] = [];
  #added = 0;
  /** Set by `interleave()`: executions run side by side, and the agenda's driver alone moves time. */
  #interleaved = false;
  /** Interleaved: threads (executions, fired items) running now, neither ended nor asleep. */
  #awake = 0;
  readonly #sleepers: Sleeper[] = [];
  #failure: { readonly error: unknown } | undefined;

  constructor(private readonly clock: VirtualClock) {}

  get interleaved(): boolean {
    return this.#interleaved;
  }

  /**
   * Runs several executions side by side on one clock, as Step Functions runs them: each time a thread
   * (an execution, or an item the agenda fired) would let virtual time pass it sleeps instead, and
   * `run()` moves the clock to the earliest wake-up or item once every thread sleeps. Without it (the
   * default) an execution started during another runs to its end first, and time passes wherever a
   * thread asks.
   */
  interleave(): void {
    this.#interleaved = true;
  }

  /** Interleaved: counts a thread that starts now (an execution) until it calls `ended`. */
  started(): void {
    this.#awake++;
  }

  ended(): void {
    this.#awake--;
  }

  /** Adds something to do at `seconds` of virtual time (now, if that has passed). */
  at(seconds: number, fire: () => unknown): void {
    const item = { at: seconds, order: this.#added++, fire };
    const index = this.#items.findIndex((i) => i.at > seconds);
    if (index === -1) this.#items.push(item);
    else this.#items.splice(index, 0, item);
  }

  get pending(): number {
    return this.#items.length;
  }

  /**
   * Fires, one at a time and in order, each item due at or before `limit()` (asked again after each
   * item, since an item may take virtual time), moving the clock to each item's time first. Stops
   * early when `stop()` says so. Each item is taken off the agenda before it fires, so an item that
   * runs other code which fires due items (a second execution) never fires twice.
   */
  async fireUntil(limit: () => number, stop: () => boolean = () => false): Promise<void> {
    if (this.#interleaved) return this.sleep(limit(), stop);
    while (!stop()) {
      const next = this.#items[0];
      if (next === undefined || next.at > limit()) return;
      this.#items.shift();
      this.clock.advanceTo(next.at);
      await next.fire();
    }
  }

  /**
   * Moves virtual time on by `seconds`, firing what falls due meanwhile at its own time: an item runs
   * to its end (its own time passing fires further items) before time moves on towards the target.
   * Time never moves back: an item that took longer leaves the clock past the target.
   */
  async pass(seconds: number): Promise<void> {
    await this.passTo(this.clock.seconds + seconds);
  }

  /** Moves virtual time on to `seconds`, as `pass` does. */
  async passTo(seconds: number): Promise<void> {
    const target = Math.round(seconds * 1000) / 1000;
    if (this.#interleaved) return this.sleep(target, () => false);
    await this.fireUntil(() => target);
    this.clock.advanceTo(target);
  }

  /** Fires every item whose time has come. */
  fireDue(): Promise<void> {
    // Interleaved, the driver fires what is due before any thread goes on.
    if (this.#interleaved) return Promise.resolve();
    return this.fireUntil(() => this.clock.seconds);
  }

  /** Fires everything left, moving virtual time on to each. */
  drain(): Promise<void> {
    return this.fireUntil(() => Number.POSITIVE_INFINITY);
  }

  /** Interleaved: this thread sleeps until the clock reaches `at` or `stop()` holds. */
  sleep(at: number, stop: () => boolean): Promise<void> {
    if (stop() || at <= this.clock.seconds) return Promise.resolve();
    return new Promise((wake) => {
      this.#sleepers.push({ at, order: this.#added++, stop, wake });
      this.#awake--;
    });
  }

  /**
   * Interleaved: the driver. Lets the running threads go on (their AWS calls answer as I/O) until every
   * one sleeps or has ended; then wakes a sleeper whose `stop()` now holds, or else moves the clock to
   * the earliest wake-up or item (in the order they were added, at the same time) and wakes or fires
   * it. Returns when nothing is left to wake or fire.
   */
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#awake > 0) continue;
      const stopped = this.#sleepers.findIndex((s) => s.stop());
      if (stopped !== -1) {
        this.#wake(stopped);
        continue;
      }
      const sleeper = this.#sleepers.reduce<number>(
        (best, s, i) => (best === -1 || earlier(s, this.#sleepers[best] as Sleeper) ? i : best),
        -1,
      );
      const item = this.#items[0];
      const next = this.#sleepers[sleeper];
      if (this.#failure) throw this.#failure.error;
      if (next === undefined && item === undefined) return;
      if (next !== undefined && (item === undefined || earlier(next, item))) {
        this.clock.advanceTo(next.at);
        this.#wake(sleeper);
        continue;
      }
      this.#items.shift();
      this.clock.advanceTo((item as Item).at);
      this.#awake++;
      Promise.resolve()
        .then(() => (item as Item).fire())
        // An item that throws ends the run with its error, as it would end the task that fired it.
        .catch((error: unknown) => {
          this.#failure ??= { error };
        })
        .finally(() => this.#awake--);
    }
  }

  #wake(index: number): void {
    const [sleeper] = this.#sleepers.splice(index, 1);
    this.#awake++;
    sleeper?.wake();
  }
}

const earlier = (a: { at: number; order: number }, b: { at: number; order: number }) =>
  a.at < b.at || (a.at === b.at && a.order < b.order);
