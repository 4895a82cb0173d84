import fc from 'fast-check';
import { loadDefinition, taskFunctions } from '#rehearsal/platform/definition.ts';
import { type FaultErrorName, OPERATION_ERRORS, type Operation } from '#rehearsal/script/faults.ts';
import { ROUTER_KINDS } from '#routers/registry.ts';
import { type DrawnRouter, errorsOf, ROUTER_CASES, type RouterCase } from './invariant-routers.ts';

/**
 * The cases the invariant property (invariant.property.test.ts) draws: a release's plan, alarm, faults,
 * hooks, the person at the console and stepshift's commands, as fast-check arbitraries. A seed draws
 * the same cases only while these keep their shape (a record's fields and their order, each oneof's
 * alternatives, each range): change one and every run after it draws other cases.
 */

/**
 * The highest call number worth failing, per operation every router's release calls (a 5-step release
 * makes ~20 DescribeAlarms calls); each router's own are in ROUTER_CASES.
 */
const LAST_CALL = {
  DescribeAlarms: 24,
  DescribeAlarmHistory: 8,
  // The generated releases have no metric checks; listed because the record covers every operation.
  GetMetricData: 8,
  PutEvents: 8,
  PutItem: 6,
  GetItem: 24,
  UpdateItem: 24,
  DeleteItem: 4,
  TransactWriteItems: 2,
  DescribeExecution: 2,
  SendTaskSuccess: 2,
  SendTaskFailure: 2,
} satisfies Partial<Record<Operation, number>>;

export type Fault = {
  operation: Operation;
  error: FaultErrorName;
  call?: number;
  count?: number;
  from?: string;
  until?: string;
};

/** One generated release: what the scenario file would say, minus the healthy example's parts. */
export interface Case {
  /** The router it runs on: the healthy example's App Mesh route, or its twin on another router. */
  router: DrawnRouter;
  steps: number[];
  interval: string;
  analysisInterval?: string;
  insufficientData?: 'fail';
  alarm?: { at: string; state: 'ALARM' | 'INSUFFICIENT_DATA' };
  faults: Fault[];
  lambdaFaults: { state: string; fault: 'crash' | 'timeout'; when: 'before' | 'after'; call: number }[];
  operator?: { action: 'stop-execution' | 'edit-route' | 'start-release'; at: string };
  /**
   * Where a stop was aimed: anywhere in the release, inside the slow gate hook of the first Shift, or
   * inside a window in which a write is throttled (the SDK's back-off, Step Functions' retry pauses).
   */
  stopAim?: 'anywhere' | 'hook' | 'back-off';
  /** A webhook gate (preRollout or confirmTrafficIncrease) whose first call times out, so the first Shift takes a while. */
  slowGate?: { phase: 'preRollout' | 'confirmTrafficIncrease'; timeoutSeconds: number };
  /** A write (the route's weights, or a side route's creation) throttled from a step's start on, so the step's task sits in back-off. */
  throttle?: { operation: 'write' | 'create'; from: number; until: number };
  /** A stepshift command (run as the CLI runs it); a pause is resumed later, so the release can end. */
  command?: { action: 'abort' | 'promote' | 'promote-full' | 'pause'; at: string; resumeAt?: string };
  onFailure?: 'gradual' | 'freeze';
  /** Blue/green or A/B instead of the canary steps: a side route of stepshift's own on the router. */
  shape?: 'blue-green' | 'ab';
  /** Hooks: a pre-rollout Lambda that passes or fails, a rollout webhook failing from a time on. */
  hooks?: { preRolloutFails: boolean; rolloutFailsAt?: string };
  /** With onFailure "freeze": when a person resumes the frozen release, and when they give up on it. */
  resumeAt?: string;
  abortAt?: string;
  seed: number;
}

export const seconds = (text: string) => Number(text.slice(0, -1)) * (text.endsWith('m') ? 60 : 1);
/** A share (0..1000 permille) of a span, in whole seconds. */
const share = (permille: number, span: number) => Math.round((permille / 1000) * span);

/** A person's edit: the weights they set, everything else of the route as it was. */
export const EDITED = { 'orders-v1': 70, 'orders-v2': 30 };

/**
 * A step never sends the canary the share the person's edit gives it: a route already at the weights a
 * step would write is that step's own (a Shift retried after its write landed must carry on), so such an
 * edit could not be told from the release's own write, and "the person's weights stand" would not be a
 * property of the release.
 */
const stepsArb = fc
  .uniqueArray(
    fc.integer({ min: 1, max: 100 }).filter((w) => w !== EDITED['orders-v2']),
    { minLength: 1, maxLength: 5 },
  )
  .map((steps) => [...steps].sort((a, b) => a - b));

// 30s..10m, written either way people write it.
const intervalArb = fc.oneof(
  fc.integer({ min: 30, max: 600 }).map((n) => `${n}s`),
  fc.integer({ min: 1, max: 10 }).map((n) => `${n}m`),
);

const faultOn = (operation: Operation, errors: readonly FaultErrorName[], lastCall: number) =>
  fc.record({
    operation: fc.constant(operation),
    error: fc.constantFrom(...errors),
    when: fc.oneof(
      fc.record({
        call: fc.integer({ min: 1, max: lastCall }),
        count: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
      }),
      fc.record({
        // A share of the release's span (plus a minute, so promotion can be hit too); often from the
        // start, when Prepare reads the route, the new version's node and the alarms.
        fromPermille: fc.oneof(
          { arbitrary: fc.constant(0), weight: 1 },
          { arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 3 },
        ),
        forSeconds: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }),
      }),
    ),
  });

const sharedFaultOn = (operation: keyof typeof LAST_CALL) =>
  faultOn(operation, OPERATION_ERRORS[operation], LAST_CALL[operation]);

/**
 * Each operation fails only with errors it really answers with: the router's own operations (App
 * Mesh's DescribeRoute, Lattice's GetRule, ...; a delete never with its "gone" error, which would be a
 * lie about the world, not a fault), and those every router's release calls.
 */
const rawFaultArbOf = (router: DrawnRouter) => {
  const own: RouterCase = ROUTER_CASES[router];
  return fc.oneof(
    ...Object.entries(own.calls).map(([operation, last]) =>
      faultOn(operation as Operation, errorsOf(router, operation as Operation), last),
    ),
    sharedFaultOn('DescribeAlarms'),
    sharedFaultOn('DescribeAlarmHistory'),
    sharedFaultOn('PutEvents'),
    sharedFaultOn('PutItem'),
    sharedFaultOn('GetItem'),
    sharedFaultOn('UpdateItem'),
    sharedFaultOn('DeleteItem'),
    sharedFaultOn('TransactWriteItems'),
    sharedFaultOn('DescribeExecution'),
  );
};

/**
 * The router, drawn from the registry (each with a world the property can write) among `routers`,
 * with the faults drawn among its operations: one more field of a case, not a multiplier of them.
 */
const routedArbOn = (routers: readonly DrawnRouter[]) =>
  fc
    .constantFrom(...routers)
    .chain((router) =>
      fc.record({ router: fc.constant(router), faults: fc.array(rawFaultArbOf(router), { maxLength: 4 }) }),
    );

/** Every Task state of the definition, in its order: a Lambda fault may hit any of them. */
const TASK_STATES = [...taskFunctions(loadDefinition()).keys()];
const lambdaFaultArb = fc.record({
  state: fc.constantFrom(...TASK_STATES),
  fault: fc.constantFrom('crash' as const, 'timeout' as const),
  when: fc.constantFrom('before' as const, 'after' as const),
  call: fc.integer({ min: 1, max: 4 }),
});

/**
 * What a person does during the release: stop it, edit the route by hand, or start another release. A
 * stop is drawn to the millisecond, and aimed: anywhere, or inside a task that takes time (the slow
 * gate hook, a throttled write), so that it lands while a Lambda function still runs.
 */
const operatorArb = fc.record({
  action: fc.constantFrom('stop-execution' as const, 'edit-route' as const, 'start-release' as const),
  atPermille: fc.integer({ min: 0, max: 1000 }),
  aim: fc.constantFrom('anywhere' as const, 'hook' as const, 'back-off' as const),
  withinMs: fc.integer({ min: 0, max: 999_999 }),
});

const slowGateArb = fc.record({
  phase: fc.constantFrom('preRollout' as const, 'confirmTrafficIncrease' as const),
  timeoutSeconds: fc.integer({ min: 2, max: 30 }),
});

const throttleArb = fc.record({
  operation: fc.constantFrom('write' as const, 'create' as const),
  stepPermille: fc.integer({ min: 0, max: 1000 }),
  forSeconds: fc.integer({ min: 1, max: 8 }),
});

/** A stepshift command during the release. */
const commandArb = fc.record({
  action: fc.constantFrom('abort' as const, 'promote' as const, 'promote-full' as const, 'pause' as const),
  atPermille: fc.integer({ min: 0, max: 1000 }),
  resumeAfterPermille: fc.integer({ min: 0, max: 1000 }),
});

/** One generated release on one of `routers`. */
export const caseArbOn = (routers: readonly DrawnRouter[]): fc.Arbitrary<Case> =>
  fc
    .record({
      steps: stepsArb,
      interval: intervalArb,
      // Checks per step stay at 6 or fewer, which keeps a run short; the share picks where in that range.
      analysisPermille: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
      insufficientDataFail: fc.boolean(),
      alarm: fc.option(
        fc.record({
          state: fc.constantFrom('ALARM' as const, 'INSUFFICIENT_DATA' as const),
          atPermille: fc.integer({ min: 0, max: 1000 }),
        }),
        { nil: undefined },
      ),
      routed: routedArbOn(routers),
      lambdaFaults: fc.array(lambdaFaultArb, { maxLength: 2 }),
      operator: fc.option(operatorArb, { nil: undefined }),
      slowGate: fc.option(slowGateArb, { nil: undefined }),
      throttle: fc.option(throttleArb, { nil: undefined }),
      command: fc.option(commandArb, { nil: undefined }),
      onFailure: fc.constantFrom(undefined, 'gradual' as const, 'freeze' as const),
      shape: fc.constantFrom(undefined, undefined, 'blue-green' as const, 'ab' as const),
      hooks: fc.option(
        fc.record({
          preRolloutFails: fc.boolean(),
          rolloutFailsPermille: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
        }),
        { nil: undefined },
      ),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map((raw): Case => {
      const interval = seconds(raw.interval);
      const span = raw.steps.length * interval;
      const c: Case = {
        router: raw.routed.router,
        steps: raw.steps,
        interval: raw.interval,
        faults: [],
        lambdaFaults: raw.lambdaFaults,
        seed: raw.seed,
      };
      if (raw.slowGate) c.slowGate = raw.slowGate;
      if (raw.throttle) {
        // From the start of one of the steps (or the promotion after the last), for a few seconds.
        const step = Math.min(
          raw.steps.length,
          Math.floor((raw.throttle.stepPermille / 1000) * (raw.steps.length + 1)),
        );
        const from = step * interval;
        c.throttle = { operation: raw.throttle.operation, from, until: from + raw.throttle.forSeconds };
      }
      if (raw.operator) {
        const { action, aim, withinMs } = raw.operator;
        // The window the stop is aimed at, in milliseconds: the gate's first, timed-out call (it starts
        // within the first second), or the throttled window and the retries after it.
        const window =
          action !== 'stop-execution'
            ? undefined
            : aim === 'hook' && c.slowGate
              ? { from: 0, span: (c.slowGate.timeoutSeconds + 2) * 1000 }
              : aim === 'back-off' && c.throttle
                ? { from: c.throttle.from * 1000, span: (c.throttle.until - c.throttle.from + 6) * 1000 }
                : undefined;
        c.operator = window
          ? { action, at: `${window.from + (withinMs % window.span)}ms` }
          : action === 'stop-execution'
            ? { action, at: `${Math.round((raw.operator.atPermille / 1000) * (span + 60) * 1000)}ms` }
            : { action, at: `${share(raw.operator.atPermille, span + 60)}s` };
        if (action === 'stop-execution') c.stopAim = window ? aim : 'anywhere';
      }
      if (raw.command) {
        const at = share(raw.command.atPermille, span + 60);
        c.command = {
          action: raw.command.action,
          at: `${at}s`,
          ...(raw.command.action === 'pause'
            ? { resumeAt: `${at + 1 + share(raw.command.resumeAfterPermille, 3 * interval)}s` }
            : {}),
        };
      }
      if (raw.onFailure) c.onFailure = raw.onFailure;
      // A router without side routes (a Lambda alias) draws the canary steps: Prepare would refuse the rest.
      if (raw.shape && ROUTER_KINDS[c.router].sideRoutes) c.shape = raw.shape;
      if (raw.hooks) {
        c.hooks = {
          preRolloutFails: raw.hooks.preRolloutFails,
          ...(raw.hooks.rolloutFailsPermille === undefined
            ? {}
            : { rolloutFailsAt: `${share(raw.hooks.rolloutFailsPermille, span)}s` }),
        };
      }
      // A frozen release waits for a person: one comes an hour after the release would have ended and
      // resumes it; if it freezes again (its alarm still fires), they abort it two hours later. Without
      // them it would hold until its history ran out, weeks of virtual time (tested in the core).
      if (raw.onFailure === 'freeze') {
        c.resumeAt = `${span + 3600}s`;
        c.abortAt = `${span + 3 * 3600}s`;
      }
      if (raw.analysisPermille !== undefined) {
        const shortest = Math.ceil(interval / 6);
        c.analysisInterval = `${shortest + Math.floor((raw.analysisPermille / 1000) * (interval - shortest))}s`;
      }
      if (raw.insufficientDataFail) c.insufficientData = 'fail';
      if (raw.alarm)
        c.alarm = { at: `${Math.max(1, share(raw.alarm.atPermille, span))}s`, state: raw.alarm.state };
      c.faults = raw.routed.faults.map(({ operation, error, when }): Fault => {
        if ('call' in when) {
          return when.count === undefined
            ? { operation, error, call: when.call }
            : { operation, error, call: when.call, count: when.count };
        }
        const from = share(when.fromPermille, span + 60);
        return when.forSeconds === undefined
          ? { operation, error, from: `${from}s` }
          : { operation, error, from: `${from}s`, until: `${from + when.forSeconds}s` };
      });
      return c;
    });
