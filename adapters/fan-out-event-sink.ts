import type { EventSink } from '#core/ports.ts';

/** One sink that hands every event to each of these, in order. */
export function fanOut(...sinks: readonly EventSink[]): EventSink {
  return {
    async emit(event) {
      for (const sink of sinks) await sink.emit(event);
    },
  };
}
