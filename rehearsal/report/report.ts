import type { Outcome } from '#core/outcome.ts';
import type { FinalRoute } from '#routers/simulators.ts';
import type { GuardExecution, GuardRun } from '../platform/guard-machine.ts';
import type { LargestPayload } from '../platform/payload-limits.ts';
import type { Rehearsal } from '../rehearse.ts';
import type { BusEvent, CallRecord, SimulatedAws } from '../transport.ts';
import type { TimelineEntry } from './timeline.ts';

export interface RehearsalReport {
  readonly name: string;
  /** How the scenario's execution (the first one) ended. */
  readonly outcome: Outcome;
  readonly error?: { readonly name: string; readonly message: string };
  /** Present when the scenario states what it expects; the CLI's exit code follows it. */
  readonly expectation?: { readonly outcome: Outcome; readonly error?: string; readonly met: boolean };
  /** Virtual seconds from start to end, the guard's work after the executions included. */
  readonly durationSeconds: number;
  readonly wallMilliseconds: number;
  /** States the scenario's execution entered (Step Functions bills each one). */
  readonly stateTransitions: number;
  readonly plan?: {
    readonly steps: readonly number[];
    readonly stateTransitions: number;
    readonly historyEvents: number;
    readonly priceUsd: number;
  };
  /**
   * Every route of every router as the rehearsal ends with it, created routes included: the router, the
   * route's name, its weighted targets in order, its fields as the service returns them, its writes.
   */
  readonly finalRoutes: readonly FinalRoute[];
  readonly timeline: readonly TimelineEntry[];
  /** The lifecycle events the release put on its EventBridge bus, as a team's rules would see them. */
  readonly events: readonly BusEvent[];
  /**
   * Route locks still held when the rehearsal ended ("<route ARN> by <execution ARN>"), after every
   * execution ended and the guard did its work; none when every release let go.
   */
  readonly heldLocks: readonly string[];
  readonly calls: readonly CallRecord[];
  /** Executions a person started during the rehearsal (world.operator start-release), in order. */
  readonly others: readonly OtherExecution[];
  /**
   * The guard function's invocations by its state machine, run for each execution that ended: its
   * first step (take the route over, put it back), its retries, and after its wait its second (look
   * again, let go). Those that changed something or failed are on the timeline too.
   */
  readonly guard: readonly GuardRun[];
  /** The runs of the guard's state machine, one per ended execution, and how each ended. */
  readonly guardExecutions: readonly GuardExecution[];
  /**
   * Virtual seconds from the first alarm that went into ALARM during a bake to the release's answer to
   * it (traffic restored, a step back, or a hold), when an alarm ended a bake early.
   */
  readonly detectionDelaySeconds?: number;
  /** Every alarm event delivered to the alarm function, and what came of it. */
  readonly detections: readonly Detection[];
  /** The largest task input or output of the rehearsal, against Step Functions' 256 KiB quota. */
  readonly largestPayload?: LargestPayload;
}

/** An alarm that went into ALARM, delivered to the alarm function as EventBridge would. */
export interface Detection {
  readonly alarm: string;
  /** Virtual seconds when the alarm went into ALARM. */
  readonly alarmAt: number;
  /** Whether it ended a waiting bake. */
  readonly endedBake: boolean;
  /** Virtual seconds when the release answered: restored, stepped back or held. */
  readonly answeredAt?: number;
  readonly answer?: string;
  readonly detectionDelaySeconds?: number;
  /** When the bake it ended would have ended on its own: when polling alone would have looked. */
  readonly pollingWouldLookAt?: number;
}

export interface OtherExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly outcome: Outcome;
  readonly error?: { readonly name: string; readonly message: string };
}

export type { GuardExecution, GuardRun } from '../platform/guard-machine.ts';

export interface RehearseOptions {
  /** Called as each timeline entry happens, for a live printout. */
  readonly onEntry?: (entry: TimelineEntry) => void;
  /**
   * Stops the first execution with StopExecution, as a person would (the guard then restores the
   * route), as soon as a timeline entry satisfies this. `stepshift assess` ends a frozen release at
   * its freeze this way rather than rehearsing a hold that waits for a person.
   */
  readonly stopWhen?: (entry: TimelineEntry) => boolean;
  /**
   * Called as each task's Lambda invocation returns or fails: the state, its function and the virtual
   * seconds it ran (its AWS calls' latency and back-offs), for counting what a release is billed.
   */
  readonly onInvocation?: (invocation: Invocation) => void;
  /**
   * Executions a person starts (world.operator start-release) run side by side with the others on one
   * clock, as on AWS, instead of each running to its end before the one it started during goes on.
   */
  readonly interleave?: boolean;
  /** More services' profiles the rehearsal serves beside the scenario's, for releases of several services. */
  readonly profiles?: readonly unknown[];
  /**
   * Called once the release has settled, before the report: the transport of the simulated AWS and the
   * state machine's ARN, to read it as a person would afterwards (the CLI's list, history, watch).
   */
  readonly afterwards?: (aws: SimulatedAwsAccess) => Promise<void>;
}

/** One Lambda invocation of a task state, as Lambda would bill it. */
export interface Invocation {
  readonly state: string;
  readonly function: string;
  readonly seconds: number;
}

/** Enough of the simulated AWS to build an SDK client on: its request handler and region. */
export interface SimulatedAwsAccess {
  readonly requestHandler: SimulatedAws['requestHandler'];
  readonly region: string;
  readonly stateMachineArn: string;
}

/** Releases' answers to an alarm, as the timeline names them. */
const ANSWERS = new Set(['release.rolled_back', 'release.retreating', 'release.held']);

/** Each delivered alarm with the release's answer to it, read off the timeline. */
export function detectionsOf(rehearsal: Pick<Rehearsal, 'alarmDeliveries' | 'timeline'>): Detection[] {
  return rehearsal.alarmDeliveries.map((d) => {
    const answer = d.endedBake
      ? rehearsal.timeline.entries.find((e) => e.at >= d.alarmAt && ANSWERS.has(e.event))
      : undefined;
    return {
      ...d,
      ...(answer
        ? {
            answeredAt: answer.at,
            answer: answer.event,
            detectionDelaySeconds: Math.round((answer.at - d.alarmAt) * 1000) / 1000,
          }
        : {}),
    };
  });
}
