import { abortWords, RELEASE_ABORTED } from '../controls.ts';
import { ReleaseError } from '../errors.ts';
import type { ReleaseDeps } from '../ports.ts';
import { about, assertReleaseProgress } from './state.ts';

export interface BakeInput {
  /**
   * $$.Task.Token: whoever ends the wait early (an alarm, an operator) sends it back. A capability to
   * end this bake, so it is kept out of every event, error and log line.
   */
  readonly taskToken: string;
  /** The release in its wire form: the bake needs nothing of the profile, so it is not loaded. */
  readonly release: unknown;
}

/**
 * Starts a bake. The wait itself is the Step Functions task's timeout (the check's interval): when it
 * passes with no callback, the state machine goes on to analysis. The task token is kept in the
 * release's controls, where an alarm or an operator command finds it. A request that came while no
 * bake waited (between bakes) is acted on now: an abort fails this bake, a promote or resume ends it.
 */
export async function startBake(
  input: BakeInput,
  deps: Pick<ReleaseDeps, 'controls' | 'clock' | 'events' | 'callbacks'>,
): Promise<void> {
  assertReleaseProgress(input.release);
  const state = input.release;
  const control = await deps.controls.waiting(
    state.releaseId,
    state.executionId,
    input.taskToken,
    deps.clock.now().toISOString(),
  );
  if (control?.abort) {
    throw new ReleaseError(RELEASE_ABORTED, abortWords(control.abort));
  }
  await deps.events.emit({
    type: 'bake.started',
    ...about(state),
    step: state.step,
    check: state.check,
    seconds: state.bakeSeconds,
  });
  const unheard =
    (control?.promote && control.promote.at !== state.promotedBy) ||
    (control?.resumed && state.heldSince !== undefined && control.resumed.at > state.heldSince) ||
    (state.awaiting !== undefined && (control?.approved !== undefined || control?.rejected !== undefined));
  if (unheard) await deps.callbacks.succeed(input.taskToken, { operator: 'request waiting' });
}
