import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

type Fault = { operation: string; error: string; call?: number; count?: number; from?: string };

function withFaults(...faults: Fault[]) {
  return scenarioWith((s) => {
    s.world.faults = faults;
  });
}

describe('faults during a release', () => {
  it('rolls back when UpdateRoute is denied at the second step, restoring the snapshot', async () => {
    const scenario = withFaults({ operation: 'UpdateRoute', call: 2, error: 'AccessDeniedException' });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toMatch(/^AccessDeniedException: /);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it('survives throttling that outlasts the SDK retries: Step Functions retries the step', async () => {
    // Four attempts per SDK call; six failures in a row exhaust one Lambda invocation's retries.
    const scenario = withFaults({
      operation: 'UpdateRoute',
      call: 1,
      count: 6,
      error: 'TooManyRequestsException',
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(
      report.timeline.some((e) => e.event === 'state.retried' && e.detail.error === 'RouterUnavailable'),
    ).toBe(true);
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('rolls back when the alarms cannot be read for good, naming the cause', async () => {
    const scenario = withFaults({
      operation: 'DescribeAlarms',
      from: '6m',
      error: 'ServiceUnavailable',
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toMatch(
      /^HealthUnavailable: DescribeAlarms failed with ServiceUnavailable/,
    );
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it('rolls back when promotion fails, so no half-promoted route is left', async () => {
    const scenario = withFaults({ operation: 'UpdateRoute', call: 4, error: 'BadRequestException' });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it('ends RollbackFailed when the restore itself cannot be written, and says so', async () => {
    // Step 1 shifts, the second shift is denied, then every later write fails too.
    const scenario = withFaults(
      { operation: 'UpdateRoute', call: 2, error: 'AccessDeniedException' },
      { operation: 'UpdateRoute', from: '5m', error: 'AccessDeniedException' },
    );
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('failed');
    expect(report.error?.name).toBe('RollbackFailed');
    expect(report.error?.message).toMatch(/^AccessDeniedException: /);
    // The state machine's own attempts: the first and the definition's ten retries, spread over
    // virtual time as on AWS (the guard's attempts come after the execution failed).
    const ended = report.timeline.findIndex((e) => e.event === 'execution.failed');
    const attempts = report.timeline.slice(0, ended).filter((e) => e.event === 'rollback.started');
    expect(attempts).toHaveLength(11);
    expect((attempts.at(-1)?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThan(60);
    // The guard cannot write either: Lambda's two retries fail too, and the route stays at the first
    // step's weights, locked, for a person (the event is in the guard's dead-letter queue).
    expect(report.guard.map((g) => g.error?.name)).toEqual(Array(3).fill('AccessDeniedException'));
    expect(report.timeline.at(-1)?.weights).toEqual({ 'orders-v1': 90, 'orders-v2': 10 });
    expect(report.heldLocks).toHaveLength(1);
    // An event says so, once per guard attempt: it learns the error from Step Functions.
    const failures = report.events.filter((e) => e.detailType === 'Release Failed');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]?.detail).toMatchObject({
      error: 'RollbackFailed',
      weights: [
        { target: 'orders-v1', weight: 90, port: 8080 },
        { target: 'orders-v2', weight: 10, port: 8080 },
      ],
    });
  });

  it('repeats no write when a shift is retried after its write went through', async () => {
    // DescribeRoute 1 is Prepare's, 2 the first Shift's read; 3, its read-back after the write, fails.
    // Step Functions retries Shift, which finds the weights already applied and writes nothing.
    const scenario = withFaults({
      operation: 'DescribeRoute',
      call: 3,
      count: 6,
      error: 'InternalServerErrorException',
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(writesIn(report).filter((c) => !c.error)).toHaveLength(4);
    expect(
      report.timeline.some((e) => e.event === 'traffic.shifted' && e.detail.unchanged === true),
      'the retried shift reported that nothing needed writing',
    ).toBe(true);
  });
});
