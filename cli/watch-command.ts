import type { ReleaseExecution } from '#adapters/aws/release-executions.ts';
import type { ReleaseObserver } from '#core/observing-ports.ts';
import { describeFailure, EXIT, printJson } from './conventions.ts';
import { defaultObserveContext, type ObserveContext, onObserver } from './observe.ts';
import type { AwsCommandOptions } from './start-command.ts';
import { describeRelease, exitCodeFor } from './start-command.ts';
import { Follower } from './view/follow.ts';
import { type ReleaseView, viewOf } from './view/release-view.ts';
import { compactView } from './view/render.ts';
import { type Screen, screenFor, silentScreen } from './view/screen.ts';

export interface WatchFlags extends AwsCommandOptions {
  /** Seconds between reads of the execution's history (default 5); the countdown moves every second. */
  readonly pollSeconds?: number;
}

/** The release's view from its execution's history, read once. */
async function viewNow(observer: ReleaseObserver, release: ReleaseExecution): Promise<ReleaseView> {
  return viewOf(release.releaseId, '', (await observer.events(release.executionArn)) ?? []);
}

/**
 * `stepshift status <releaseId>`: where a release is, from its id alone: the release's line, then its
 * compact view (steps, weights, the countdown, why it ended). The exit code tells a script whether it
 * is healthy: 0 promoted or still running, 1 rolled back, rejected, stopped or failed, or no such
 * release; 2 could not ask.
 */
export async function statusViewCommand(
  releaseId: string,
  options: AwsCommandOptions,
  context: ObserveContext = defaultObserveContext,
): Promise<number> {
  return onObserver(options, context, `reading release ${releaseId}`, async (observer, executions) => {
    const release = await executions.describe(releaseId);
    // The view needs the history (states:GetExecutionHistory, grantObserve); a role granted only
    // grantStartRelease still gets the release's line and its exit code.
    const view = await viewNow(observer, release).catch((error: unknown) => {
      const why = describeFailure(error, 'reading its history');
      context.err.write(`no view of ${releaseId}: ${why}\n`);
      return undefined;
    });
    if (options.json) printJson(context.out, { ...release, ...(view ? { view } : {}) });
    else {
      const lines = view ? `${compactView(view, context.now()).join('\n')}\n` : '';
      context.out.write(`${describeRelease(release)}${lines}`);
    }
    return exitCodeFor(release);
  });
}

/**
 * `stepshift watch <releaseId>`: follows the release until it ends, reading its execution's history
 * every few seconds. On a terminal, a frame redrawn in place; else plain lines. Exits 0 when it
 * promoted, 1 when it ended otherwise (or there is no such release), 2 when it could not ask.
 */
export async function watchCommand(
  releaseId: string,
  options: WatchFlags,
  context: ObserveContext = defaultObserveContext,
  screen: Screen | undefined = undefined,
): Promise<number> {
  return onObserver(options, context, `watching release ${releaseId}`, async (observer, executions) => {
    let release = await executions.describe(releaseId);
    const follower = new Follower(
      releaseId,
      '',
      screen ?? (options.json ? silentScreen : screenFor(context.out)),
    );
    let seen = 0;
    for (;;) {
      const events = (await observer.events(release.executionArn)) ?? [];
      for (const event of events.slice(seen)) follower.event(event);
      seen = events.length;
      if (follower.view.outcome) break;
      if (release.outcome !== undefined) break;
      for (let s = 0; s < (options.pollSeconds ?? 5); s++) {
        await context.sleep(1);
        follower.tick(context.now());
      }
      release = await executions.describe(releaseId);
    }
    const view = follower.end(context.now());
    if (options.json) printJson(context.out, { ...release, view });
    return (view.outcome ?? release.outcome) === 'promoted' ? EXIT.ok : EXIT.no;
  });
}
