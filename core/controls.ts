/**
 * What a person (or an alarm) can ask of a running release, and where the release keeps what it needs
 * to hear them: the task token of the bake it is waiting in. Kept in stepshift's table so that a
 * command needs only the release id, and an alarm needs only its name.
 */

/** The operator commands: `stepshift abort|promote|pause|resume <releaseId>`. */
export const OPERATOR_COMMANDS = ['abort', 'promote', 'pause', 'resume', 'approve', 'reject'] as const;
export type OperatorCommand = (typeof OPERATOR_COMMANDS)[number];

/** A request a person made of a release, with when they made it (ISO 8601). */
export interface Requested {
  readonly at: string;
  readonly by?: string;
}

/** One running release's controls: who runs it, the bake it waits in, and what people asked of it. */
export interface ReleaseControl {
  readonly releaseId: string;
  readonly service: string;
  /** The execution that runs the release: requests reach only it. */
  readonly executionId: string;
  /** The alarms this release reads (its profile's, or its request's overrides): only they end its bakes. */
  readonly alarms?: readonly string[];
  /** The task token of the bake the release waits in now; absent between bakes. */
  readonly taskToken?: string;
  /** When the release began to wait with that token (ISO 8601). */
  readonly waitingSince?: string;
  /** Roll back now. Sticky: once asked, the release rolls back at its next chance. */
  readonly abort?: Requested & { readonly reason?: string };
  /** Skip the rest of this step (or, with `full`, every remaining step). */
  readonly promote?: Requested & { readonly full: boolean };
  /** Hold at the current weight; analysis keeps running. Cleared by resume. */
  readonly paused?: Requested;
  readonly resumed?: Requested;
  /** A manual confirmPromotion hook's answer: stepshift approve, or reject with a reason. */
  readonly approved?: Requested;
  readonly rejected?: Requested & { readonly reason?: string };
}

/** What Prepare opens a release's controls with. */
export type OpenedControl = Pick<ReleaseControl, 'releaseId' | 'service' | 'executionId' | 'alarms'>;

/** A change a command writes; the field it names replaces the stored one, `paused: null` clears it. */
export type ControlChange =
  | { readonly abort: NonNullable<ReleaseControl['abort']> }
  | { readonly promote: NonNullable<ReleaseControl['promote']> }
  | { readonly paused: Requested }
  | { readonly paused: null; readonly resumed: Requested }
  | { readonly approved: Requested }
  | { readonly rejected: NonNullable<ReleaseControl['rejected']> };

/** The controls of running releases, one per release, found by release id or by service. */
export interface ReleaseControls {
  /**
   * Opens the controls of a release as it starts and returns the controls under its release id: these,
   * or those of another execution that opened them first (commands address a release by its id alone).
   * `replacing` names an execution that no longer runs, whose controls may be replaced.
   */
  open(control: OpenedControl, replacing?: string): Promise<OpenedControl>;
  /**
   * Records the bake this execution waits in; returns the controls, with whatever was asked meanwhile,
   * or undefined when the release's controls are not this execution's.
   */
  waiting(
    releaseId: string,
    executionId: string,
    taskToken: string,
    since: string,
  ): Promise<ReleaseControl | undefined>;
  /** The controls of a release, if it runs (or ran recently and did not close them). */
  get(releaseId: string): Promise<ReleaseControl | undefined>;
  /** The controls of the release of this service that runs now, if any. */
  forService(service: string): Promise<ReleaseControl | undefined>;
  /** Records a request; undefined when the release has no controls (not running). */
  request(releaseId: string, change: ControlChange): Promise<ReleaseControl | undefined>;
  /** Closes the controls of a release as it ends; does nothing when another execution owns them. */
  close(releaseId: string, service: string, executionId: string): Promise<void>;
}

/** An abort in words, as the rollback's reason and the bake's failure carry it. */
export function abortWords(abort: NonNullable<ReleaseControl['abort']>): string {
  return `aborted${abort.by ? ` by ${abort.by}` : ''} at ${abort.at}${abort.reason ? `: ${abort.reason}` : ''}`;
}

/** How a callback reached the task it was meant for. */
export type CallbackResult = 'delivered' | 'expired';

/** Step Functions' callback API: ends a waiting task early. */
export interface TaskCallbacks {
  /** SendTaskSuccess; "expired" when the task no longer waits (it timed out or the execution ended). */
  succeed(taskToken: string, output: unknown): Promise<CallbackResult>;
  /** SendTaskFailure with an error name a Catch matches and a cause a person reads. */
  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
}

/** Error names a callback ends a bake with; the state machine's Catch matches them. */
export const ALARM_TRIGGERED = 'AlarmTriggered';
export const RELEASE_ABORTED = 'ReleaseAborted';
