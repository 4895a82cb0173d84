import { createLogUpdate } from 'log-update';
import type { Output } from '../conventions.ts';
import type { ReleaseView, ViewEvent } from './release-view.ts';
import { compactView, eventLine } from './render.ts';

/**
 * Where a followed release is shown. On a terminal, a frame (the compact view) redrawn in place below
 * the event lines, which scroll above it and stay; anywhere else (a pipe, a file, a CI log), plain
 * lines only, one per event and check, and the compact view once at the end.
 */
export interface Screen {
  /** An event has happened; `view` already includes it. */
  event(view: ReleaseView, event: ViewEvent): void;
  /** Time has passed without an event: the countdown moves (live screens only). */
  tick(view: ReleaseView, now: number): void;
  /** The release has ended, or the watch stops: the last frame stays on screen. */
  end(view: ReleaseView, now: number): void;
}

export function plainScreen(out: Output): Screen {
  return {
    event(view, event) {
      const line = eventLine(view, event, true);
      if (line) out.write(`${line}\n`);
    },
    tick() {},
    end(view, now) {
      out.write(`${compactView(view, now).join('\n')}\n`);
    },
  };
}

/**
 * log-update redraws a multi-line frame in place and leaves lines written between redraws above it;
 * cli-progress, the other library tried, draws bars from a format string, so the weights and signal
 * lines would each have to pose as a bar (docs/operating.md, "Following a release").
 */
export function liveScreen(stream: NodeJS.WritableStream): Screen {
  const frame = createLogUpdate(stream);
  return {
    event(view, event) {
      const line = eventLine(view, event, false);
      if (line) {
        frame.clear();
        stream.write(`${line}\n`);
      }
      frame(compactView(view, event.at).join('\n'));
    },
    tick(view, now) {
      frame(compactView(view, now).join('\n'));
    },
    end(view, now) {
      frame(compactView(view, now).join('\n'));
      frame.done();
    },
  };
}

/** The live screen on a terminal (a stream that says it is one), plain lines anywhere else. */
export function screenFor(out: Output & { readonly isTTY?: boolean }): Screen {
  return out.isTTY ? liveScreen(out as NodeJS.WritableStream) : plainScreen(out);
}

/** Prints nothing: with --json only the final view is printed. */
export const silentScreen: Screen = { event() {}, tick() {}, end() {} };
