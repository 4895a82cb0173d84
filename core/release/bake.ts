import type { ReleaseDeps } from '../ports.ts';
import { about, assertReleaseState } from './state.ts';

export interface BakeInput {
  /** $$.Task.Token: whoever ends the wait early (abort, alarm, approval) sends it back. */
  readonly taskToken: string;
  readonly release: unknown;
}

/**
 * Starts a bake. The wait itself is the Step Functions task's timeout (the step's interval): when it
 * passes with no callback, the interval is over and the state machine goes on to analysis.
 */
export async function startBake(input: BakeInput, deps: ReleaseDeps): Promise<void> {
  assertReleaseState(input.release);
  const state = input.release;
  await deps.events.emit({
    type: 'bake.started',
    ...about(state),
    step: state.step,
    check: state.check,
    seconds: state.bakeSeconds,
  });
}
