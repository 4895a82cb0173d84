import type { VirtualClock } from './clock.ts';

interface Item {
  readonly at: number;
  readonly order: number;
  readonly fire: () => unknown;
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

  constructor(private readonly clock: VirtualClock) {}

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
    await this.fireUntil(() => target);
    this.clock.advanceTo(target);
  }

  /** Fires every item whose time has come. */
  fireDue(): Promise<void> {
    return this.fireUntil(() => this.clock.seconds);
  }

  /** Fires everything left, moving virtual time on to each. */
  drain(): Promise<void> {
    return this.fireUntil(() => Number.POSITIVE_INFINITY);
  }
}
