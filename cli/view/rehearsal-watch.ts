import type { TimelineEntry } from '#rehearsal/report/timeline.ts';
import type { Scenario } from '#rehearsal/script/scenario.ts';
import type { Output } from '../conventions.ts';
import { Follower } from './follow.ts';
import type { ReleaseView } from './release-view.ts';
import { screenFor, silentScreen } from './screen.ts';

/** The rehearsal's release id when its request names none (rehearsal/rehearse.ts). */
const REHEARSAL_RELEASE_ID = 'rehearsal';

const field = (request: unknown, name: string): string | undefined => {
  const value = (request as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `stepshift rehearse --watch`: the rehearsal's timeline, on its virtual clock (seconds), fed through
 * the view `stepshift watch` shows. On a terminal each entry redraws the frame, so the countdown moves
 * with virtual time; elsewhere the plain lines, which docs/operating.md's transcript is made of.
 */
export function watchRehearsal(
  scenario: Scenario,
  out: Output | undefined,
): { onEntry: (entry: TimelineEntry) => void; end: (seconds: number) => ReleaseView } {
  const screen = out === undefined ? silentScreen : screenFor(out);
  const follower = new Follower(
    field(scenario.request, 'releaseId') ?? REHEARSAL_RELEASE_ID,
    field(scenario.request, 'service') ?? 'unknown',
    screen,
  );
  return {
    onEntry: (entry) => follower.event({ at: entry.at * 1000, type: entry.event, detail: entry.detail }),
    end: (seconds) => follower.end(seconds * 1000),
  };
}
