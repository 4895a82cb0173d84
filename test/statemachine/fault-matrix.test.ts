import { afterAll, describe, expect, it } from 'vitest';
import { loadDefinition, taskFunctions } from '#rehearsal/definition.ts';
import { rehearse } from '#rehearsal/run.ts';
import { loadScenario, OUTCOMES, type Scenario } from '#rehearsal/scenario.ts';
import type { FaultErrorName, Operation } from '#rehearsal/sim/world.ts';
import { expectInvariant } from '../support/invariant.ts';

/**
 * The proof by enumeration: every AWS operation a release performs, failing with each kind of fault
 * the service can answer, through each phase of a release. For each: the release ends, says how and
 * why, and leaves the route at its snapshot or fully promoted, its other fields as they were, and its
 * lock released. A fault lasts a minute of virtual time, longer than the SDK's and one Step Functions
 * retry budget, shorter than the rollback's.
 */

const examples = new URL('../../examples/', import.meta.url).pathname;
const healthy = await loadScenario(`${examples}canary-healthy.json`);
const alarmed = await loadScenario(`${examples}canary-alarm-rollback.json`);

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
  PutEvents: EVENTBRIDGE,
  PutItem: DYNAMODB,
  GetItem: DYNAMODB,
  DeleteItem: DYNAMODB,
};

/** The phases of a release, as windows of virtual time in the example scenarios. */
const PHASES: Record<string, { scenario: Scenario; from: string; until: string }> = {
  'prepare and the first shift': { scenario: healthy, from: '0s', until: '1m' },
  'a later step (analysis, then shift)': { scenario: healthy, from: '5m', until: '6m' },
  'promotion (last analysis, promote, finish)': { scenario: healthy, from: '15m', until: '16m' },
  'rollback (failed analysis, restore)': { scenario: alarmed, from: '10m', until: '11m' },
};

const cases = Object.entries(PHASES).flatMap(([phase, window]) =>
  Object.entries(OPERATIONS).flatMap(([operation, kinds]) =>
    Object.entries(kinds).map(([kind, error]) => ({
      label: `${operation} ${kind} (${error}) during ${phase}`,
      operation: operation as Operation,
      error,
      window,
    })),
  ),
);

/** Every Task state of the definition, in its order. */
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

let exercised = 0;
let held = 0;

describe('the fault matrix: every operation x every fault kind x every phase', () => {
  afterAll(() => {
    console.info(
      `fault matrix: ${cases.length} AWS combinations (${Object.keys(OPERATIONS).length} operations x their fault kinds x ${Object.keys(PHASES).length} phases, ${exercised} of them met by a call the release made) and ${lambdaCases.length} Lambda ones (${TASK_STATES.length} task states x crash or timeout x before or after the handler); the invariant held in ${held} of ${cases.length + lambdaCases.length}`,
    );
  });

  it.each(cases)('$label', async ({ operation, error, window }) => {
    // Prepare
    const scenario: Scenario = {
      ...window.scenario,
      world: {
        ...window.scenario.world,
        faults: [
          {
            operation,
            error,
            from: Number.parseInt(window.from, 10) * (window.from.endsWith('m') ? 60 : 1),
            until: Number.parseInt(window.until, 10) * 60,
          },
        ],
      },
    };

    // Act
    const report = await rehearse(scenario);

    // Assess
    if (report.calls.some((c) => c.operation === operation && c.error?.message.includes('injected')))
      exercised++;
    expect(OUTCOMES).toContain(report.outcome);
    if (report.outcome !== 'promoted') {
      expect(report.error?.name, 'a release that did not promote names its error').toBeTruthy();
      expect(report.error?.message, 'and says why').toBeTruthy();
    }
    expectInvariant(scenario, report);
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
