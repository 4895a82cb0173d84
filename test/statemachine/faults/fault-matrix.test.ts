import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition, taskFunctions } from '#rehearsal/platform/definition.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import type { FaultErrorName, Operation } from '#rehearsal/script/faults.ts';
import { loadScenario, OUTCOMES, type Scenario } from '#rehearsal/script/scenario.ts';
import { ROUTER_SIMULATORS } from '#routers/simulators.ts';
import { expectFaultMetAndExplained } from '../../support/faults.ts';
import {
  expectInvariant,
  expectLambdaAliasInvariant,
  expectTargetGroupInvariant,
} from '../../support/invariant.ts';

/**
 * The proof by enumeration: every AWS operation a release performs, failing with each kind of fault
 * the service can answer, through each phase of a release. For each: the release ends, says how and
 * why, and leaves the route at its snapshot or fully promoted, its other fields as they were, and its
 * lock released. A fault lasts a minute of virtual time, longer than the SDK's and one Step Functions
 * retry budget, shorter than the rollback's.
 */

const examples = new URL('../../../examples/', import.meta.url).pathname;
const HEALTHY = 'canary-healthy.json';
// The alarm's event lost: the rollback comes from the analysis at 10m, as polling finds it.
const ALARMED = 'canary-alarm-polling.json';
// The alarm's event delivered at 7m: the alarm function ends the bake, then analysis and restore.
const ALARM_EVENT = 'canary-alarm-rollback.json';
const JUDGED = 'judge-latency-shifted-2.json';
const healthy = await loadScenario(`${examples}${HEALTHY}`);
const alarmed = await loadScenario(`${examples}${ALARMED}`);
const alarmEvent = await loadScenario(`${examples}${ALARM_EVENT}`);
const judged = await loadScenario(`${examples}${JUDGED}`);

type Kind = 'throttled' | 'server error' | 'unavailable' | 'access denied';

/** Each service's own name for each kind of fault; a service without one for a kind is not asked. */
const APP_MESH: Record<Kind, FaultErrorName> = {
  throttled: 'TooManyRequestsException',
  'server error': 'InternalServerErrorException',
  unavailable: 'ServiceUnavailableException',
  'access denied': 'AccessDeniedException',
};
const CLOUDWATCH: Record<Kind, FaultErrorName> = {
  throttled: 'Throttling',
  'server error': 'InternalServiceError',
  unavailable: 'ServiceUnavailable',
  'access denied': 'AccessDenied',
};
const EVENTBRIDGE: Partial<Record<Kind, FaultErrorName>> = {
  throttled: 'ThrottlingException',
  'server error': 'InternalException',
  'access denied': 'AccessDeniedException',
};
const STEP_FUNCTIONS: Partial<Record<Kind, FaultErrorName>> = {
  throttled: 'ThrottlingException',
  'access denied': 'AccessDeniedException',
};
const DYNAMODB: Partial<Record<Kind, FaultErrorName>> = {
  throttled: 'ProvisionedThroughputExceededException',
  'server error': 'InternalServerError',
  'access denied': 'AccessDeniedException',
};

const OPERATIONS: Partial<Record<Operation, Partial<Record<Kind, FaultErrorName>>>> = {
  DescribeRoute: APP_MESH,
  UpdateRoute: APP_MESH,
  DescribeVirtualNode: APP_MESH,
  DescribeAlarms: CLOUDWATCH,
  DescribeAlarmHistory: CLOUDWATCH,
  GetMetricData: CLOUDWATCH,
  PutEvents: EVENTBRIDGE,
  PutItem: DYNAMODB,
  GetItem: DYNAMODB,
  UpdateItem: DYNAMODB,
  DeleteItem: DYNAMODB,
  TransactWriteItems: DYNAMODB,
  SendTaskFailure: STEP_FUNCTIONS,
};

/** The phases of a release, as windows of virtual time (seconds) in the example scenarios. */
const PHASES: Record<string, { scenario: Scenario; file: string; from: number; until: number }> = {
  'prepare and the first shift': { scenario: healthy, file: HEALTHY, from: 0, until: 60 },
  'a later step (analysis, then shift)': { scenario: healthy, file: HEALTHY, from: 300, until: 360 },
  'promotion (last analysis, promote, finish)': { scenario: healthy, file: HEALTHY, from: 900, until: 960 },
  'rollback (failed analysis, restore)': { scenario: alarmed, file: ALARMED, from: 600, until: 660 },
  "an alarm's event (alarm function, analysis, restore)": {
    scenario: alarmEvent,
    file: ALARM_EVENT,
    from: 420,
    until: 480,
  },
  'a metric analysis (GetMetricData, then shift)': { scenario: judged, file: JUDGED, from: 600, until: 660 },
};

/**
 * The operations the release really calls in each phase, read off a rehearsal of it without faults:
 * a fault on an operation the phase never calls would prove nothing.
 */
const calledIn = new Map<string, Set<string>>();
for (const [phase, { scenario, from, until }] of Object.entries(PHASES)) {
  const report = await rehearse(scenario);
  calledIn.set(
    phase,
    new Set(report.calls.filter((c) => c.at >= from && c.at < until).map((c) => c.operation)),
  );
}

const cases = Object.entries(PHASES).flatMap(([phase, window]) =>
  Object.entries(OPERATIONS)
    .filter(([operation]) => calledIn.get(phase)?.has(operation))
    .flatMap(([operation, kinds]) =>
      Object.entries(kinds).map(([kind, error]) => ({
        label: `${operation} ${kind} (${error}) during ${phase}`,
        operation: operation as Operation,
        error,
        window,
      })),
    ),
);

/**
 * Every other registered router, sampled to keep the matrix's time: the operations that are the
 * router's own (App Mesh's route and virtual node calls) fail on it too, in its own names (its
 * simulator's twin: GetRule, ModifyRule, ...), with each fault kind it has a name for, each pair once,
 * in the first phase (in PHASES' order) whose twin of the example calls it. The operations every router
 * shares (alarms, metrics, events, the table) fail on App Mesh alone above: the router does not change
 * how the release meets them.
 */
const twinRouters = Object.entries(ROUTER_SIMULATORS).flatMap(([type, simulator]) =>
  'twin' in simulator && simulator.twin
    ? [{ type, folder: simulator.twin.folder, twin: simulator.twin }]
    : [],
);
const twinScenarios = new Map<string, Scenario>();
const twinCalls = new Map<string, Set<string>>();
for (const { folder } of twinRouters) {
  for (const [phase, { file, from, until }] of Object.entries(PHASES)) {
    const path = `${examples}${folder}/${file}`;
    if (!twinScenarios.has(path)) twinScenarios.set(path, await loadScenario(path));
    const report = await rehearse(twinScenarios.get(path) as Scenario);
    twinCalls.set(
      `${folder}/${phase}`,
      new Set(report.calls.filter((c) => c.at >= from && c.at < until).map((c) => c.operation)),
    );
  }
}
const sampled = new Set<string>();
const routerCases = twinRouters.flatMap(({ type, folder, twin }) =>
  cases.flatMap(({ operation, error, window }) => {
    const own = twin.operations[operation];
    const named = twin.errors[error];
    const phase = Object.entries(PHASES).find(([, w]) => w === window)?.[0] as string;
    if (own === undefined || named === undefined || !twinCalls.get(`${folder}/${phase}`)?.has(own)) return [];
    if (sampled.has(`${type}/${own}/${named}`)) return [];
    sampled.add(`${type}/${own}/${named}`);
    return [
      {
        label: `${type}: ${own} (${named}) during ${phase}`,
        type,
        twin,
        operation: own as Operation,
        error: named as FaultErrorName,
        window,
        scenario: twinScenarios.get(`${examples}${folder}/${window.file}`) as Scenario,
      },
    ];
  }),
);

const TASK_STATES = [...taskFunctions(loadDefinition()).keys()];

/** Each task's Lambda function crashing or timing out at its first invocation, before or after its handler ran. */
const lambdaCases = TASK_STATES.flatMap((state) =>
  (['crash', 'timeout'] as const).flatMap((fault) =>
    (['before', 'after'] as const).map((when) => ({
      label: `${state}: Lambda ${fault} ${when} the handler`,
      state,
      fault,
      when,
      // Roll back runs only when something fails: the alarm example reaches it.
      scenario: state === 'Roll back' ? alarmed : healthy,
    })),
  ),
);

let held = 0;

describe('the fault matrix: every operation x every fault kind x every phase', () => {
  afterAll(() => {
    console.info(
      `fault matrix: ${cases.length} AWS combinations (each operation a phase calls, of ${Object.keys(OPERATIONS).length}, x its fault kinds, over ${Object.keys(PHASES).length} phases), ${routerCases.length} on the other routers (${twinRouters.map((r) => r.type).join(', ')}: each of the router's own operations x its fault kinds, once) and ${lambdaCases.length} Lambda ones (${TASK_STATES.length} task states x crash or timeout x before or after the handler); the invariant held in ${held} of ${cases.length + routerCases.length + lambdaCases.length}`,
    );
  });

  it.each(cases)('$label', async ({ operation, error, window }) => {
    // Prepare
    const scenario: Scenario = {
      ...window.scenario,
      world: {
        ...window.scenario.world,
        faults: [{ operation, error, from: window.from, until: window.until }],
      },
    };

    // Act
    const report = await rehearse(scenario);

    // Assess
    expectFaultMetAndExplained(report, operation);
    expectInvariant(scenario, report);
    held++;
  });

  it.each(routerCases)('$label', async ({ type, twin, operation, error, window, scenario: base }) => {
    // Prepare
    const scenario: Scenario = {
      ...base,
      world: { ...base.world, faults: [{ operation, error, from: window.from, until: window.until }] },
    };

    // Act
    const report = await rehearse(scenario);

    // Assess
    expectFaultMetAndExplained(report, operation);
    if (type === 'lambda') expectLambdaAliasInvariant(scenario, report, twin.target('orders-v2'));
    else expectTargetGroupInvariant(scenario, report, { 'orders-v1': 100 }, 'orders-v2');
    held++;
  });

  it.each(lambdaCases)('$label', async ({ state, fault, when, scenario: base }) => {
    // Prepare
    const scenario: Scenario = {
      ...base,
      world: { ...base.world, faults: [{ state, fault, when, call: 1 }] },
    };

    // Act
    const report = await rehearse(scenario);

    // Assess
    expect(
      report.timeline.some((e) => e.event === 'lambda.failed' && e.detail.state === state),
      'the fault was met',
    ).toBe(true);
    expect(OUTCOMES).toContain(report.outcome);
    expect(report.outcome, 'a lost invocation is retried or caught, never the end of the release').toBe(
      base === healthy ? 'promoted' : 'rolled_back',
    );
    expectInvariant(scenario, report);
    held++;
  });
});
