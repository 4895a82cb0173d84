import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition, taskFunctions } from '#rehearsal/platform/definition.ts';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { type FaultErrorName, OPERATION_ERRORS, type Operation } from '#rehearsal/script/faults.ts';
import { OUTCOMES, parseScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { ROUTER_KINDS } from '#routers/registry.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';
import { twinFor, twinOf } from '../../../scripts/router-twins.ts';
import {
  expectInvariant,
  expectLambdaAliasInvariant,
  expectTargetGroupInvariant,
} from '../../support/invariant.ts';
import { healthyScenarioInput } from '../../support/scenarios.ts';
import {
  byName,
  DRAWN_ROUTERS,
  type DrawnRouter,
  endRouteOf,
  errorsOf,
  ROUTER_CASES,
  type RouterCase,
  startRouteOf,
  worldKeyOf,
} from './invariant-routers.ts';

/**
 * The release invariant as a property: whatever the plan (canary steps, blue/green or A/B with a side
 * route), the alarms, the hooks' answers, the faults, the person at the console and stepshift's own
 * commands and onFailure policy, a release ends with the route's weights at the snapshot or fully promoted, every other
 * field of the route as it was, and its lock freed. Two outcomes are allowed by design: a person's edit
 * stands; and when neither the rollback nor the guard can write, the route keeps the last weights
 * the release wrote (never anything else) and stays locked; a side route that could not be removed
 * through every retry stays too, with the lock.
 */

/**
 * A fixed budget of cases for `npm test`, a few seconds of rehearsals; fixed seed, so every run draws
 * the same cases. `npm run test:deep` (which CI runs too) sets STEPSHIFT_PROPERTY_RUNS to 2,000: the
 * same first cases and many more.
 */
const NUM_RUNS = Number(process.env.STEPSHIFT_PROPERTY_RUNS || 50);
if (!Number.isInteger(NUM_RUNS) || NUM_RUNS < 1) {
  throw new Error(
    `STEPSHIFT_PROPERTY_RUNS must be a whole number of cases, at least 1; it is "${process.env.STEPSHIFT_PROPERTY_RUNS}"`,
  );
}
const SEED = 20_260_101;

/**
 * STEPSHIFT_PROPERTY_ROUTER draws one router's cases only (a deep run of a new router's): the same seed,
 * so the same plans, faults and people, each on that router.
 */
const ONLY_ROUTER = process.env.STEPSHIFT_PROPERTY_ROUTER;
if (ONLY_ROUTER && !(DRAWN_ROUTERS as readonly string[]).includes(ONLY_ROUTER)) {
  throw new Error(
    `STEPSHIFT_PROPERTY_ROUTER names "${ONLY_ROUTER}", which the property does not draw; name one of ${DRAWN_ROUTERS.join(', ')}`,
  );
}
const ROUTERS_DRAWN = DRAWN_ROUTERS.filter((r) => !ONLY_ROUTER || r === ONLY_ROUTER);

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

type Fault = {
  operation: Operation;
  error: FaultErrorName;
  call?: number;
  count?: number;
  from?: string;
  until?: string;
};

/** One generated release: what the scenario file would say, minus the healthy example's parts. */
interface Case {
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

const seconds = (text: string) => Number(text.slice(0, -1)) * (text.endsWith('m') ? 60 : 1);
/** A share (0..1000 permille) of a span, in whole seconds. */
const share = (permille: number, span: number) => Math.round((permille / 1000) * span);

/** A person's edit: the weights they set, everything else of the route as it was. */
const EDITED = { 'orders-v1': 70, 'orders-v2': 30 };

/** Weights named as App Mesh's healthy example names its targets, in the router's names ("orders-v2" is Lambda's "2"). */
function namedOn(router: DrawnRouter, weights: Record<string, number>): Record<string, number> {
  if (router === 'appmesh') return weights;
  const { target } = twinFor(worldKeyOf(router));
  return Object.fromEntries(Object.entries(weights).map(([name, w]) => [target(name), w]));
}

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
 * The router, drawn from the registry (each with a world the property can write), with the faults
 * drawn among its operations: one more field of a case, not a multiplier of them.
 */
const routedArb = fc
  .constantFrom(...ROUTERS_DRAWN)
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

const caseArb: fc.Arbitrary<Case> = fc
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
    routed: routedArb,
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

/**
 * The healthy example with the case's plan, alarm, faults and seed, on the case's router (another
 * router's world written from App Mesh's as its twin is: routers/<name>/sim/twin.ts), and the input
 * as a file holds it.
 */
function scenarioFor(c: Case): { scenario: Scenario; input: unknown } {
  const own: RouterCase = ROUTER_CASES[c.router];
  const s = healthyScenarioInput();
  s.name = 'invariant property case';
  s.profile.strategy =
    c.shape === 'blue-green'
      ? { type: 'blue-green', testHeader: { name: 'x-stepshift-preview', value: 'true' }, bake: c.interval }
      : c.shape === 'ab'
        ? {
            type: 'ab',
            match: { headers: [{ name: 'x-cohort', match: { exact: 'b' } }] },
            bake: c.interval,
          }
        : { type: 'canary', steps: c.steps, interval: c.interval };
  const hooks: unknown[] = [];
  const answers: Record<string, unknown[]> = {};
  if (c.slowGate) {
    hooks.push({
      name: 'gate',
      phase: c.slowGate.phase,
      type: 'webhook',
      url: 'https://checks.example.com/gate',
      timeout: `${c.slowGate.timeoutSeconds}s`,
      retries: 1,
    });
    // The first call (within the first second) times out; its retry, and every later call, passes.
    answers.gate = [
      { at: '0s', result: 'timeout' },
      { at: `${c.slowGate.timeoutSeconds}s`, result: 'pass' },
    ];
  }
  if (c.hooks) {
    hooks.push(
      { name: 'smoke', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
      {
        name: 'load',
        phase: 'rollout',
        type: 'webhook',
        url: 'https://checks.example.com/load',
        retries: 0,
      },
    );
    answers.smoke = [{ at: '0s', result: c.hooks.preRolloutFails ? 'fail' : 'pass' }];
    answers.load = [
      { at: '0s', result: 'pass' },
      ...(c.hooks.rolloutFailsAt ? [{ at: c.hooks.rolloutFailsAt, result: 'fail' }] : []),
    ];
  }
  if (hooks.length) {
    s.profile.hooks = hooks;
    (s.world as Record<string, unknown>).hooks = answers;
  }
  const analysis = s.profile.analysis as Record<string, unknown>;
  if (c.analysisInterval !== undefined) analysis.interval = c.analysisInterval;
  if (c.insufficientData !== undefined) analysis.insufficientData = c.insufficientData;
  if (c.alarm) {
    const alarms = s.world.alarms as { name: string; states: unknown[] }[];
    alarms.find((a) => a.name === 'orders-5xx')!.states.push({ at: c.alarm.at, state: c.alarm.state });
  }
  s.world.faults = [
    ...c.faults,
    ...c.lambdaFaults,
    ...(c.throttle
      ? [
          {
            operation: own[c.throttle.operation],
            error: own.throttled,
            from: `${c.throttle.from}s`,
            until: `${c.throttle.until}s`,
          },
        ]
      : []),
  ];
  if (c.onFailure) s.profile.onFailure = c.onFailure;
  const commands: unknown[] = [];
  if (c.command) {
    const { action, at, resumeAt } = c.command;
    commands.push(
      action === 'promote-full' ? { at, action: 'promote', full: true } : { at, action },
      ...(resumeAt ? [{ at: resumeAt, action: 'resume' }] : []),
    );
  }
  if (c.resumeAt) commands.push({ at: c.resumeAt, action: 'resume' });
  if (c.abortAt) commands.push({ at: c.abortAt, action: 'abort' });
  s.world.operator = commands;
  if (c.operator) {
    const { action, at } = c.operator;
    const route = (s.world.appmesh as { routes: { spec: Spec }[] }).routes[0]!;
    s.world.operator = [
      ...commands,
      action === 'stop-execution'
        ? { at, action }
        : action === 'start-release'
          ? { at, action, request: { service: 'orders', version: 'v2', releaseId: 'second' } }
          : { at, action, spec: withWeights(route.spec, EDITED) },
    ];
  }
  s.seed = c.seed;
  // A person's edit-route (App Mesh's person action) becomes the twin's scripted edit of its route.
  const input = c.router === 'appmesh' ? s : twinOf('canary-healthy.json', s, worldKeyOf(c.router));
  return { scenario: parseScenario(structuredClone(input)), input };
}

type Spec = Record<string, unknown>;
const KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];

/** The spec with these weights on its targets (adding any target not on it with the first's port). */
function withWeights(spec: Spec, weights: Record<string, number>): Spec {
  const copy = structuredClone(spec);
  const kind = KINDS.find((k) => copy[k] !== undefined)!;
  const action = (
    copy[kind] as { action: { weightedTargets: { virtualNode: string; weight: number; port?: number }[] } }
  ).action;
  const port = action.weightedTargets[0]?.port;
  action.weightedTargets = Object.entries(weights).map(([virtualNode, weight]) => ({
    virtualNode,
    weight,
    ...(port === undefined ? {} : { port }),
  }));
  return copy;
}
/** The healthy example's route fully promoted: orders-v2 alone, at 100. */
const PROMOTED = { 'orders-v2': 100 };

const ROLLBACK_STATE = 'Roll back';
const rollbackRetries = (() => {
  // The retrier for the errors a fault can cause (the ones that cannot heal are never retried).
  const retry = loadDefinition().States[ROLLBACK_STATE]?.Retry ?? [];
  return retry.find((r) => r.ErrorEquals.includes('States.ALL'))?.MaxAttempts ?? 3;
})();

function checkReport(scenario: Scenario, report: RehearsalReport, c: Case): void {
  const { outcome } = report;
  // With a second release in the rehearsal, this first one's entries are those not tagged otherwise.
  const timeline = report.timeline.filter((e) => (e.detail.execution ?? 'rehearsal') === 'rehearsal');
  const secondRan = c.operator?.action === 'start-release';
  expect(OUTCOMES).toContain(outcome);
  expect(report.error === undefined, 'only a promoted release ends without an error').toBe(
    outcome === 'promoted',
  );

  const own: RouterCase = ROUTER_CASES[c.router];
  const writes = report.calls.filter((call) => own.writes.includes(call.operation as Operation));
  const successfulWrites = writes.filter((c) => !c.error);
  const started = timeline.some((e) => e.event === 'release.planned');
  const rollbackFailed = outcome === 'failed' && report.error?.name === 'RollbackFailed';

  if (!secondRan && (outcome === 'rejected' || (outcome === 'failed' && !started))) {
    expect(successfulWrites, `a ${outcome} release (${report.error?.name}) wrote nothing`).toEqual([]);
  }

  // The route as the world started with it, and as it ended, in the report's one shape for every router.
  const start = startRouteOf(scenario, c.router);
  const end = endRouteOf(report, c.router, start);
  expect(end, 'the route still exists').toBeDefined();

  // The guard's last run for each release (with a second release, whichever held the route): after a
  // failed rollback it puts the snapshot back if it can write; when it could not, it gave up.
  const lastGuardRuns = new Map(report.guard.map((g) => [g.execution, g]));
  const guardGaveUp = [...lastGuardRuns.values()].some((g) => g.error !== undefined);
  // App Mesh's edit-route is an action of the rehearsal, which runs until it; another router's edit
  // is scripted on its route (as its twins script it) and lands when its service is next read: after
  // the rehearsal's end, never.
  // (A Lambda alias's edit is the person's edit-alias action, which the rehearsal runs until too.)
  const personActs =
    c.router === 'appmesh' || twinFor(worldKeyOf(c.router)).event('operator.edit-route') !== undefined;
  const edited =
    c.operator?.action === 'edit-route' && (personActs || seconds(c.operator.at) <= report.durationSeconds);
  if (edited) {
    // A person's edit stands, whenever it came: nothing the release or the guard does overwrites it.
    expect(byName(end!.targets), "the person's weights stand").toEqual(namedOn(c.router, EDITED));
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // Unless the side route could not be removed through every retry: the guard then keeps the lock.
    if (guardGaveUp) expect(report.heldLocks.length, 'at most the route stays locked').toBeLessThanOrEqual(1);
    else expect(report.heldLocks, 'every route lock was released').toEqual([]);
  } else if (!guardGaveUp) {
    // When DynamoDB refused the last attempt to free the lock, it is stale: the next release takes it over.
    const lastDelete = report.calls.filter((call) => call.operation === 'DeleteItem').at(-1);
    const staleLockAllowed = lastDelete?.error !== undefined;
    const ended =
      c.router === 'appmesh'
        ? expectInvariant(scenario, report, { staleLockAllowed })
        : c.router === 'lambda'
          ? expectLambdaAliasInvariant(
              scenario,
              report,
              twinFor(worldKeyOf(c.router)).target('orders-v2'),
              undefined,
              {
                staleLockAllowed,
              },
            )
          : expectTargetGroupInvariant(scenario, report, byName(start.targets), 'orders-v2', {
              staleLockAllowed,
            });
    // Every router's route as it ended keeps its other fields (expectTargetGroupInvariant holds the
    // writes: this holds what the service kept).
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // A stopped release's Promote may land between the stop and the guard's taking over (EventBridge's
    // delivery, a second): the guard then finds the route promoted, a valid end, and leaves it; a write
    // after the guard took over never stands (the fence).
    const guardTookOver = report.guard.find((g) => g.step === 'take')?.at ?? Number.POSITIVE_INFINITY;
    const promotedBeforeTheGuard =
      outcome === 'stopped' &&
      successfulWrites.some(
        (w) =>
          w.at < guardTookOver &&
          isDeepStrictEqual(own.weightsWritten(w.input, scenario), namedOn(c.router, PROMOTED)),
      );
    const promotedByEither =
      outcome === 'promoted' || promotedBeforeTheGuard || report.others.some((o) => o.outcome === 'promoted');
    if (ended === 'promoted') expect(promotedByEither, `ended promoted with outcome ${outcome}`).toBe(true);
    else expect(outcome, `ended at the snapshot with outcome ${outcome}`).not.toBe('promoted');
  } else {
    // The gap left: the execution ended without restoring (a failed rollback, or a stop) and the guard
    // could not read or write the route either, through Lambda's retries. The route
    // must still hold the last weights the release wrote (or the snapshot, when it wrote none): never
    // a weight it did not deliberately write.
    const last = successfulWrites.at(-1);
    const expected = last ? own.written(last.input) : own.held(start.fields);
    expect(own.held(end!.fields), 'the route holds the last weights the release wrote').toEqual(expected);
    expect(own.withoutWeights(end!.fields), 'fields other than the weights are unchanged').toEqual(
      own.withoutWeights(start.fields),
    );
    // The guard could not read or write its table or the route: at most this release's lock stays.
    expect(report.heldLocks.length, 'at most the route stays locked for a person').toBeLessThanOrEqual(1);
  }

  // Every attempt at a rollback whose function ran announces itself: the first, and one per Step
  // Functions retry, less the invocations Lambda failed before the function ran (the guard's own
  // attempts come after the execution ended).
  const executionEnd = timeline.findIndex((e) => e.event.startsWith('execution.'));
  const during = timeline.slice(0, executionEnd === -1 ? timeline.length : executionEnd);
  const attempts = during.filter((e) => e.event === 'rollback.started').length;
  const retries = timeline.filter(
    (e) => e.event === 'state.retried' && e.detail.state === ROLLBACK_STATE,
  ).length;
  const neverRan = during.filter(
    (e) => e.event === 'lambda.failed' && e.detail.state === ROLLBACK_STATE && e.detail.when === 'before',
  ).length;
  if (outcome === 'rolled_back' || rollbackFailed) {
    expect(attempts, 'each rollback attempt whose function ran is in the timeline').toBe(
      1 + retries - neverRan,
    );
    if (rollbackFailed) expect(retries, 'RollbackFailed only after every retry').toBe(rollbackRetries);
  } else if (outcome === 'promoted' || outcome === 'rejected' || !started) {
    expect(attempts, `a ${outcome} release did not roll back`).toBe(0);
  }

  own.expectWritesValid(scenario, report);

  for (let i = 1; i < timeline.length; i++) {
    expect(timeline[i]!.at, `timeline entry ${i} (${timeline[i]!.event})`).toBeGreaterThanOrEqual(
      timeline[i - 1]!.at,
    );
  }
  for (let i = 1; i < report.calls.length; i++) {
    expect(report.calls[i]!.at, `call ${i} (${report.calls[i]!.operation})`).toBeGreaterThanOrEqual(
      report.calls[i - 1]!.at,
    );
  }
}

describe('the release invariant, over generated plans, alarms and faults', () => {
  let generated = 0;
  const outcomes = new Map<string, number>();
  const routers = new Map<string, number>();
  /** Stops by where they were aimed, and how many landed while a task of the execution still ran. */
  const stops = new Map<string, { drawn: number; inTask: number }>();

  afterAll(() => {
    const byOutcome = [...outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}=${n}`)
      .join(', ');
    console.log(`invariant property: ${generated} generated cases (${byOutcome})`);
    const byRouter = [...routers.entries()].map(([k, n]) => `${k}=${n}`).join(', ');
    console.log(`invariant property: routers ${byRouter}`);
    const aimed = [...stops.entries()].map(([aim, n]) => `${aim}: ${n.drawn} (${n.inTask} while a task ran)`);
    console.log(`invariant property: stops ${aimed.join(', ')}`);
  });

  it("draws each router's faults among the operations its twin names for App Mesh's", () => {
    // The twin data (routers/<name>/sim/twin.ts) names App Mesh's route calls and errors in the
    // router's terms: the property's table of the router's operations must hold each of them.
    const appMesh: RouterCase = ROUTER_CASES.appmesh;
    for (const router of DRAWN_ROUTERS.filter((r) => r !== 'appmesh')) {
      const own: RouterCase = ROUTER_CASES[router];
      const twin = ROUTER_SIMULATORS[router].twin;
      const named = Object.keys(appMesh.calls).flatMap((op) => twin?.operations[op] ?? []);
      expect(named.length, `${router}'s twin names App Mesh's route calls`).toBeGreaterThan(0);
      expect(
        named.filter((op) => !(op in own.calls)),
        `${router}'s calls hold its twin's`,
      ).toEqual([]);
      expect(twin?.operations[appMesh.write], `${router}'s write`).toBe(own.write);
      expect(twin?.errors[appMesh.throttled], `${router}'s throttling error`).toBe(own.throttled);
    }
    expect(DRAWN_ROUTERS.length, 'the property draws more than App Mesh').toBeGreaterThan(1);
  });

  it('ends every release at the snapshot or fully promoted, other route fields unchanged', {
    // Generous: the machine's two cores are often shared.
    timeout: Math.max(300_000, NUM_RUNS * 1500),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        generated++;
        const { scenario, input } = scenarioFor(c);
        const report = await rehearse(scenario);
        const key = report.error ? `${report.outcome}:${report.error.name}` : report.outcome;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        routers.set(c.router, (routers.get(c.router) ?? 0) + 1);
        if (c.stopAim) {
          const tally = stops.get(c.stopAim) ?? { drawn: 0, inTask: 0 };
          tally.drawn++;
          if (report.timeline.some((e) => e.event === 'task.after-stop' && !e.detail.execution))
            tally.inTask++;
          stops.set(c.stopAim, tally);
        }
        try {
          checkReport(scenario, report, c);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            `${message}\noutcome: ${report.outcome}${report.error ? ` (${report.error.name}: ${report.error.message})` : ''}\nscenario: ${JSON.stringify(input)}`,
          );
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
  });
});
