import { bounded, TEXT_LIMITS } from '../bounded-text.ts';
import { abortWords, RELEASE_ABORTED } from '../controls.ts';
import type { Clock, ControlChange, EventSink, ReleaseControls, TaskCallbacks } from '../ports.ts';
import type { OperatorCommand } from '../shapes.ts';

/** What an operator command needs: the release's controls and Step Functions' callbacks. */
export interface OperatorDeps {
  readonly controls: ReleaseControls;
  readonly callbacks: TaskCallbacks;
  readonly clock: Clock;
  readonly events: EventSink;
}

export interface OperatorOptions {
  /** promote: skip every remaining step, not only the rest of this one. */
  readonly full?: boolean;
  /** abort: why, in the person's words; it reaches the rollback's reason. */
  readonly reason?: string;
  /** Who asked (the CLI sends the caller's identity), for events and reasons. */
  readonly by?: string;
}

export interface OperatorOutcome {
  /**
   * "acted": the waiting bake was ended, the release acts now; "recorded": it acts at its next check
   * (it was between bakes, or pause, which waits for the step to end); "not-running": no running
   * release has this id.
   */
  readonly status: 'acted' | 'recorded' | 'not-running';
  readonly message: string;
}

const WHAT: Record<OperatorCommand, string> = {
  abort: 'roll back now',
  promote: 'skip the rest of this step',
  pause: 'hold at the current weight when this step ends; analysis keeps running and can still roll back',
  resume: 'go on from where it held',
  approve: 'promote once its checks pass (its manual confirmPromotion hook is answered)',
  reject: 'roll back instead of promoting (its manual confirmPromotion hook is answered)',
};

/**
 * Carries out `stepshift abort|promote|pause|resume|approve|reject <releaseId>`: records the request in the
 * release's controls, where its next check will see it, and ends the bake it waits in so that it acts
 * at once (a pause needs no hurry: it holds when the step would end).
 */
export async function operate(
  command: OperatorCommand,
  releaseId: string,
  options: OperatorOptions,
  deps: OperatorDeps,
): Promise<OperatorOutcome> {
  const at = deps.clock.now().toISOString();
  // A person's words go into the table, reasons and events: bounded like any text from outside.
  const by = options.by ? { by: bounded(options.by, TEXT_LIMITS.shown) } : {};
  const reason = options.reason === undefined ? undefined : bounded(options.reason);
  const change: ControlChange =
    command === 'abort'
      ? { abort: { at, ...by, ...(reason ? { reason } : {}) } }
      : command === 'promote'
        ? { promote: { at, ...by, full: options.full ?? false } }
        : command === 'pause'
          ? { paused: { at, ...by } }
          : command === 'approve'
            ? { approved: { at, ...by } }
            : command === 'reject'
              ? { rejected: { at, ...by, ...(reason ? { reason } : {}) } }
              : { paused: null, resumed: { at, ...by } };
  const control = await deps.controls.request(releaseId, change);
  if (!control) {
    return {
      status: 'not-running',
      message: `no running release has the id ${releaseId}; \`stepshift status ${releaseId}\` tells how it ended`,
    };
  }
  let delivered = false;
  if (control.taskToken && command !== 'pause') {
    const result =
      command === 'abort'
        ? await deps.callbacks.fail(control.taskToken, RELEASE_ABORTED, abortWords(control.abort ?? { at }))
        : await deps.callbacks.succeed(control.taskToken, { operator: command });
    delivered = result === 'delivered';
  }
  await deps.events.emit({
    type: 'operator.requested',
    releaseId,
    service: control.service,
    command,
    delivered,
    ...by,
  });
  const what =
    command === 'promote' && options.full ? 'promote now, skipping every remaining step' : WHAT[command];
  return delivered
    ? { status: 'acted', message: `${releaseId} (${control.service}) will ${what}` }
    : {
        status: 'recorded',
        message: `${releaseId} (${control.service}) will ${what}${command === 'pause' ? '' : ' at its next check'}`,
      };
}
