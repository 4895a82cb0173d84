import type { EventSink } from '#core/ports.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import type { VirtualClock } from '../script/clock.ts';

/** One line of a rehearsal's story: when (virtual seconds), what, and the route's weights just after. */
export interface TimelineEntry {
  readonly at: number;
  readonly event: string;
  /** The route's weights as the simulated AWS holds them at that moment, target -> percent. */
  readonly weights: Record<string, number>;
  readonly detail: Record<string, unknown>;
}

/**
 * Collects the release's own events (from the EventSink port the functions write to) and the
 * rehearsal's observations (retries, the execution's end), stamping each with virtual time and the
 * route's real weights.
 */
export class Timeline {
  readonly entries: TimelineEntry[] = [];
  /**
   * Set when a rehearsal runs more than one execution: entries then name, in `detail.execution`, the
   * execution they belong to.
   */
  tagExecutions = false;

  constructor(
    private readonly clock: VirtualClock,
    private readonly weightsNow: () => Record<string, number>,
    private readonly onEntry: (entry: TimelineEntry) => void = () => {},
  ) {}

  /** Adds an entry; `execution` names the execution it belongs to, if any. */
  add(event: string, detail: Record<string, unknown> = {}, execution?: string): void {
    const tagged =
      this.tagExecutions && execution !== undefined && detail.execution === undefined
        ? { ...detail, execution }
        : detail;
    const entry: TimelineEntry = {
      at: this.clock.seconds,
      event,
      weights: this.weightsNow(),
      detail: tagged,
    };
    this.entries.push(entry);
    this.onEntry(entry);
  }

  /** The EventSink the release functions of one execution (or the guard acting on it) write to. */
  sink(execution?: string): EventSink {
    return {
      emit: (event: ReleaseEvent) => {
        const { type, releaseId: _releaseId, service: _service, ...detail } = event;
        this.add(type, detail, execution);
      },
    };
  }
}
