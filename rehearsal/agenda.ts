import type { VirtualClock } from './clock.ts';

interface Item {
  readonly at: number;
  readonly order: number;
  readonly fire: () => unknown;
}

/**
 * What is due to happen at a virtual time, outside any one execution's states: a person's action
 * (world.operator), an EventBridge delivery to the guard, Lambda's retry of a failed asynchronous
 * invocation. Nothing here runs on its own: the rehearsal fires due items where virtual time passes
 * (inside a bake, in steps, so an item fires at its exact time), before every task invocation (an
 * item whose time has passed fires before the task runs), and, when the executions have ended, drains
 * what is left. Items fire in time order; items at the same time in the order they were added.
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

  /** Fires every item whose time has come. */
  fireDue(): Promise<void> {
    return this.fireUntil(() => this.clock.seconds);
  }

  /** Fires everything left, moving virtual time on to each. */
  drain(): Promise<void> {
    return this.fireUntil(() => Number.POSITIVE_INFINITY);
  }
}
