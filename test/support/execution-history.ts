import type { HistoryEvent, StateEnteredEventDetails, StateExitedEventDetails } from '@aws-sdk/client-sfn';

/**
 * A release's execution history as Step Functions records it, in the shape statemachines/release.asl.json
 * gives it: each task state's output is the release state (core/release/wire.ts), the bake's input
 * carries bakeSeconds, and the execution ends as the Fail and Succeed states say.
 */
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

interface Moment {
  readonly at: number;
  readonly step?: number;
  readonly written?: { name: string; weight: number }[];
  readonly halt?: { error: string; reason: string; signals?: string[]; signalsOmitted?: number };
  readonly heldSince?: string;
  readonly awaiting?: { hook: string; since: string; deadline: string };
  readonly signals?: object[];
  readonly signalsOmitted?: number;
}

export function releaseState(m: Partial<Moment> = {}) {
  return {
    v: 2,
    releaseId: 'orders-v2',
    service: 'orders',
    version: 'v2',
    profileDigest: 'd',
    plan: { steps: [{ weight: 10 }, { weight: 50 }] },
    cast: { stable: 'orders-v1', canary: 'orders-v2' },
    snapshot: [{ name: 'orders-v1', weight: 100 }],
    written: m.written ?? null,
    step: m.step ?? 0,
    check: 0,
    bakeSeconds: 300,
    ...(m.halt ? { halt: m.halt } : {}),
    ...(m.heldSince ? { heldSince: m.heldSince } : {}),
    ...(m.awaiting ? { awaiting: m.awaiting } : {}),
    ...(m.signals ? { signals: m.signals } : {}),
    ...(m.signalsOmitted ? { signalsOmitted: m.signalsOmitted } : {}),
  };
}

const split = (canary: number) => [
  { name: 'orders-v1', weight: 100 - canary },
  { name: 'orders-v2', weight: canary },
];

let id = 0;
/** A history event `seconds` after the history starts, numbered after the ones made before it. */
export const event = (seconds: number, e: Omit<HistoryEvent, 'id' | 'timestamp'>): HistoryEvent =>
  ({ id: ++id, timestamp: new Date(T0 + seconds * 1000), ...e }) as HistoryEvent;
/** A task state's exit, handing on this state (its output), `seconds` after the history starts. */
export const exited = (seconds: number, name: string, state: object) =>
  event(seconds, {
    type: 'TaskStateExited',
    stateExitedEventDetails: { name, output: JSON.stringify(state) },
  });
const bake = (seconds: number, state: object) =>
  event(seconds, {
    type: 'TaskStateEntered',
    stateEnteredEventDetails: { name: 'Wait for the step to bake', input: JSON.stringify(state) },
  });

export const HISTORY_START = T0;

/** What each check read, as Analyze's output carries it (core/health/signals.ts's checkSignals). */
export const CHECK_SIGNALS = {
  passed: [
    { name: 'orders-5xx', kind: 'alarm', value: 'OK', verdict: 'pass', detail: '0.2, alarm when > 1' },
    {
      name: 'error-rate',
      kind: 'metric',
      value: 'pass',
      verdict: 'pass',
      detail: '0.004 within max 0.01 over 5 samples',
      samples: 5,
      measured: { canary: 0.004, max: 0.01 },
    },
  ],
  failed: [
    { name: 'orders-5xx', kind: 'alarm', value: 'ALARM', verdict: 'fail', detail: '4.7, alarm when > 1' },
  ],
};

/**
 * A check of 11 alarms, all in ALARM, as Analyze's output carries it: 8 of them, and 3 left out; its
 * halt names 5 in brief and says 6 more.
 */
export const CROWDED_CHECK = {
  signals: Array.from({ length: 8 }, (_, i) => ({
    name: `alarm-${i}`,
    kind: 'alarm',
    value: 'ALARM',
    verdict: 'fail',
    detail: '4.7, alarm when > 1',
  })),
  signalsOmitted: 3,
  briefs: Array.from({ length: 5 }, (_, i) => `alarm-${i} 4.7 > 1`),
  briefsOmitted: 6,
};

/**
 * A release of orders v2 in two steps (10%, 50%), started by a request, up to `until`; with
 * `crowded`, its failing check is CROWDED_CHECK.
 */
export function releaseHistory(
  until: 'baking' | 'rolled back' | 'promoted' | 'awaiting approval',
  options: { readonly signals?: boolean; readonly crowded?: boolean } = {},
): HistoryEvent[] {
  const read = (signals: object[]) =>
    options.crowded && signals === CHECK_SIGNALS.failed
      ? { signals: CROWDED_CHECK.signals, signalsOmitted: CROWDED_CHECK.signalsOmitted }
      : options.signals
        ? { signals }
        : {};
  const started = event(0, {
    type: 'ExecutionStarted',
    executionStartedEventDetails: { input: JSON.stringify({ service: 'orders', version: 'v2' }) },
  });
  const prepared = releaseState();
  const first = releaseState({ written: split(10) });
  const history = [
    started,
    exited(1, 'Prepare the release', prepared),
    exited(2, 'Shift traffic', first),
    bake(2, first),
  ];
  if (until === 'baking') return history;
  const second = releaseState({ written: split(50), step: 1 });
  history.push(
    exited(303, 'Analyze health', releaseState({ written: split(10), ...read(CHECK_SIGNALS.passed) })),
  );
  history.push(exited(304, 'Shift traffic', second), bake(304, second));
  if (until === 'rolled back') {
    const halt = {
      error: 'ReleaseRolledBack',
      reason: 'orders-5xx is ALARM (4.7, alarm when > 1), at step 2 with 50% on the new version',
      ...(options.crowded
        ? { signals: CROWDED_CHECK.briefs, signalsOmitted: CROWDED_CHECK.briefsOmitted }
        : { signals: ['orders-5xx 4.7 > 1'] }),
    };
    history.push(
      exited(
        420,
        'Analyze health',
        releaseState({ written: split(50), step: 1, halt, ...read(CHECK_SIGNALS.failed) }),
      ),
      event(421, {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: 'ReleaseRolledBack', cause: halt.reason },
      }),
    );
  } else if (until === 'awaiting approval') {
    const awaiting = { hook: 'approve', since: '2026-01-01T09:10:05Z', deadline: '2026-01-01T09:40:05Z' };
    const held = releaseState({ written: split(50), step: 1, heldSince: awaiting.since, awaiting });
    history.push(exited(605, 'Analyze health', held), bake(605, held));
  } else {
    history.push(
      exited(
        605,
        'Promote the new version',
        releaseState({ written: [{ name: 'orders-v2', weight: 100 }], step: 1 }),
      ),
      event(606, { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{}' } }),
    );
  }
  return history;
}

/**
 * `history` as Step Functions records it in full, for readers that page it: Prepare entered after the
 * start, every task state's exit after its TaskScheduled, TaskStarted and TaskSucceeded, Prepare's
 * success after `prepareRetries` failed attempts (TaskScheduled, TaskStarted, TaskFailed each), and
 * the release, its names and its input made `service`'s. Event ids run from 1 again.
 */
export function recordedHistory(
  history: readonly HistoryEvent[],
  options: { readonly service?: string; readonly prepareRetries?: number } = {},
): HistoryEvent[] {
  const ofService = (text: string | undefined) =>
    text === undefined ? undefined : text.replaceAll('orders', options.service ?? 'orders');
  const out: HistoryEvent[] = [];
  const add = (e: HistoryEvent) => out.push({ ...e, id: out.length + 1 });
  const at = (e: HistoryEvent) => ({ id: 0, timestamp: e.timestamp as Date });
  for (const e of history) {
    if (e.type === 'TaskStateExited') {
      const task = (type: string) => add({ ...at(e), type } as HistoryEvent);
      if (e.stateExitedEventDetails?.name === 'Prepare the release') {
        for (let i = 0; i < (options.prepareRetries ?? 0); i++) {
          task('TaskScheduled');
          task('TaskStarted');
          add({
            ...at(e),
            type: 'TaskFailed',
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: 'invoke',
              error: 'CanaryNotReadyYet',
            },
          });
        }
      }
      task('TaskScheduled');
      task('TaskStarted');
      task('TaskSucceeded');
      const details = e.stateExitedEventDetails as StateExitedEventDetails;
      add({ ...e, stateExitedEventDetails: { ...details, output: ofService(details.output) } });
    } else if (e.type === 'ExecutionStarted') {
      const input = ofService(e.executionStartedEventDetails?.input);
      add({ ...e, executionStartedEventDetails: { input } });
      add({
        ...at(e),
        type: 'TaskStateEntered',
        stateEnteredEventDetails: { name: 'Prepare the release', input },
      });
    } else if (e.type === 'TaskStateEntered') {
      const details = e.stateEnteredEventDetails as StateEnteredEventDetails;
      add({ ...e, stateEnteredEventDetails: { ...details, input: ofService(details.input) } });
    } else add(e);
  }
  return out;
}
