import { describe, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import type { FaultErrorName, Operation } from '#rehearsal/script/faults.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { expectFaultMetAndExplained } from '../../support/faults.ts';
import { expectLambdaAliasInvariant, expectTargetGroupInvariant } from '../../support/invariant.ts';

/**
 * The fault matrix's question (test/statemachine/faults/fault-matrix.test.ts), asked of the VPC Lattice,
 * ALB and Lambda routers: each router operation failing, throttled or refused, for a minute of virtual time in a
 * later step and during a rollback, and the new version's readiness check refused at Prepare. The
 * release ends, says how and why, and the invariant holds. Kept small: the matrix itself covers the
 * operations every router shares (alarms, events, the table, Lambda).
 */
const examples = new URL('../../../examples/', import.meta.url).pathname;

const ROUTERS = {
  lattice: {
    read: 'GetRule',
    write: 'UpdateRule',
    ready: ['ListTargetGroups', 'ListTargets'],
    throttled: 'ThrottlingException',
    denied: 'AccessDeniedException',
  },
  alb: {
    read: 'DescribeRules',
    write: 'ModifyRule',
    ready: ['DescribeTargetGroups', 'DescribeTargetHealth'],
    throttled: 'Throttling',
    denied: 'AccessDenied',
  },
  lambda: {
    read: 'GetAlias',
    write: 'UpdateAlias',
    ready: ['GetFunctionConfiguration'],
    throttled: 'TooManyRequestsException',
    denied: 'AccessDeniedException',
  },
} as const;

const cases = await Promise.all(
  Object.entries(ROUTERS).flatMap(([router, ops]) => {
    const load = (file: string) => loadScenario(`${examples}${router}/${file}`);
    const mid = [ops.read, ops.write].flatMap((operation) =>
      (['throttled', 'denied'] as const).flatMap((kind) => [
        { phase: 'a later step', file: 'canary-healthy.json', from: 300, until: 360, operation, kind },
        // The polling twin rolls back at 10m; with the alarm's event the rollback would come at 7m.
        { phase: 'the rollback', file: 'canary-alarm-polling.json', from: 600, until: 660, operation, kind },
      ]),
    );
    const prepare = ops.ready.map((operation) => ({
      phase: 'prepare',
      file: 'canary-healthy.json',
      from: 0,
      until: 60,
      operation,
      kind: 'denied' as const,
    }));
    return [...mid, ...prepare].map(async (c) => ({
      ...c,
      label: `${router}: ${c.operation} ${c.kind} during ${c.phase}`,
      router,
      error: ops[c.kind] as FaultErrorName,
      scenario: await load(c.file),
    }));
  }),
);

describe('router faults on VPC Lattice, ALB and Lambda', () => {
  it.each(cases)('$label', async ({ scenario: base, operation, error, from, until, router }) => {
    const scenario: Scenario = {
      ...base,
      world: { ...base.world, faults: [{ operation: operation as Operation, error, from, until }] },
    };

    const report = await rehearse(scenario);

    expectFaultMetAndExplained(report, operation);
    if (router === 'lambda') expectLambdaAliasInvariant(scenario, report, '7');
    else expectTargetGroupInvariant(scenario, report, { 'orders-v1': 100 }, 'orders-v2');
  });
});
