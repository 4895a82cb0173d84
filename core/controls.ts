import type { ReleaseControl } from './ports.ts';

/**
 * What a person (or an alarm) can ask of a running release, and where the release keeps what it needs
 * to hear them: the task token of the bake it is waiting in. Kept in stepshift's table so that a
 * command needs only the release id, and an alarm needs only its name.
 */

/** An abort in words, as the rollback's reason and the bake's failure carry it. */
export function abortWords(abort: NonNullable<ReleaseControl['abort']>): string {
  return `aborted${abort.by ? ` by ${abort.by}` : ''} at ${abort.at}${abort.reason ? `: ${abort.reason}` : ''}`;
}

/** Error names a callback ends a bake with; the state machine's Catch matches them. */
export const ALARM_TRIGGERED = 'AlarmTriggered';
export const RELEASE_ABORTED = 'ReleaseAborted';
