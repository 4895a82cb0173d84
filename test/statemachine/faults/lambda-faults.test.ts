import { describe, expect, it } from 'vitest';
import { loadDefinition } from '#rehearsal/platform/definition.ts';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

/**
 * Lambda invocations that fail around the handler: the runtime exits (Runtime.ExitError) or the
 * function times out (Sandbox.Timedout), before the handler runs or after it ran (its AWS calls
 * done, its result lost). The definition decides whether Step Functions retries the state or catches
 * the error into "Roll back"; either way the release must end at the snapshot or fully promoted, its
 * lock freed.
 */

type LambdaFault = {
  state: string;
  fault: 'crash' | 'timeout';
  when: 'before' | 'after';
  call?: number;
  from?: string;
};

const CRASH =
  /^Runtime\.ExitError: RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 1$/;
const definition = loadDefinition();

/** Whether the definition retries this error in this state (the first retrier that matches decides). */
function retries(state: string, error: string): boolean {
  const retrier = (definition.States[state]?.Retry ?? []).find((r) =>
    r.ErrorEquals.some(
      (e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout'),
    ),
  );
  return retrier !== undefined && (retrier.MaxAttempts ?? 3) > 0;
}

function withFaults(faults: LambdaFault[], functionTimeouts?: Record<string, string>) {
  return scenarioWith((s) => {
    s.world.faults = faults;
    if (functionTimeouts) s.world.functionTimeouts = functionTimeouts;
  });
}

const entries = (report: RehearsalReport, event: string) => report.timeline.filter((e) => e.event === event);

describe("a task's Lambda function crashes", () => {
  it.each(['before', 'after'] as const)(
    '"Shift traffic" at the second step, %s its handler ran: retried or rolled back, and the invariant holds',
    async (when) => {
      // Prepare
      const scenario = withFaults([{ state: 'Shift traffic', call: 2, fault: 'crash', when }]);

      // Act
      const report = await rehearse(scenario);

      // Assess
      const failed = entries(report, 'lambda.failed');
      expect(failed).toEqual([
        expect.objectContaining({
          detail: {
            state: 'Shift traffic',
            function: 'Shift',
            invocation: 2,
            fault: 'crash',
            when,
            error: 'Runtime.ExitError',
          },
        }),
      ]);
      // "after": the step's weights were written before the result was lost; "before": they never were.
      expect(failed[0]?.weights).toEqual(
        when === 'after' ? { 'orders-v1': 75, 'orders-v2': 25 } : { 'orders-v1': 90, 'orders-v2': 10 },
      );
      if (retries('Shift traffic', 'Runtime.ExitError')) {
        expect(report.outcome).toBe('promoted');
        expect(expectInvariant(scenario, report)).toBe('promoted');
        // The retried shift finds its weights applied ("after") and writes nothing twice.
        expect(writesIn(report).filter((c) => !c.error)).toHaveLength(4);
      } else {
        expect(report.outcome).toBe('rolled_back');
        expect(report.error?.message).toMatch(CRASH);
        expect(expectInvariant(scenario, report)).toBe('snapshot');
      }
    },
  );

  it('"Shift traffic" from 5 minutes on, at every invocation: the release goes no further than its first step', async () => {
    const scenario = withFaults([{ state: 'Shift traffic', from: '5m', fault: 'crash', when: 'before' }]);

    const report = await rehearse(scenario);

    expect(entries(report, 'traffic.shifted')).toHaveLength(1);
    expect(report.outcome).not.toBe('promoted');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it('"Prepare the release" after it took the route: the execution fails, and the guard frees the route', async () => {
    const scenario = withFaults([{ state: 'Prepare the release', call: 1, fault: 'crash', when: 'after' }]);

    const report = await rehearse(scenario);

    if (retries('Prepare the release', 'Runtime.ExitError')) {
      expect(report.outcome).toBe('promoted');
    } else {
      expect(report.outcome).toBe('failed');
      expect(report.error?.name).toBe('Runtime.ExitError');
      // The lock Prepare took was held by an execution that ended: the guard let go of it.
      expect(entries(report, 'guard.finished')).toEqual([
        expect.objectContaining({
          detail: expect.objectContaining({
            execution: 'rehearsal',
            status: 'FAILED',
            action: 'none',
            freedLocks: [expect.stringContaining('route/orders-route')],
          }),
        }),
      ]);
    }
    expectInvariant(scenario, report);
  });

  it('"Roll back" after it restored the route: Step Functions retries it and it ends rolled back', async () => {
    // Shift crashes at every invocation from 5 minutes on, so the release rolls back whether or not
    // the definition retries the crash; then the first rollback crashes after its write.
    const scenario = withFaults([
      { state: 'Shift traffic', from: '5m', fault: 'crash', when: 'after' },
      { state: 'Roll back', call: 1, fault: 'crash', when: 'after' },
    ]);

    const report = await rehearse(scenario);

    expect(retries('Roll back', 'Runtime.ExitError')).toBe(true);
    expect(entries(report, 'state.retried').filter((e) => e.detail.state === 'Roll back')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ state: 'Roll back', error: 'Runtime.ExitError' }),
      }),
    ]);
    expect(entries(report, 'rollback.started')).toHaveLength(2);
    expect(report.outcome).toBe('rolled_back');
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });

  it('"Wait for the step to bake" before its handler ran: the bake is retried whole, or the release does not go on unchecked', async () => {
    const scenario = withFaults([
      { state: 'Wait for the step to bake', call: 1, fault: 'crash', when: 'before' },
    ]);

    const report = await rehearse(scenario);

    const failed = entries(report, 'lambda.failed')[0];
    if (retries('Wait for the step to bake', 'Runtime.ExitError')) {
      // The retried bake starts after the lost one and waits its whole interval before the analysis.
      const bakes = entries(report, 'bake.started');
      expect(bakes[0]?.at).toBeGreaterThan(failed?.at ?? Number.POSITIVE_INFINITY);
      const analysis = entries(report, 'analysis.completed')[0];
      expect((analysis?.at ?? 0) - (bakes[0]?.at ?? 0)).toBeGreaterThanOrEqual(300);
      expect(report.outcome).toBe('promoted');
    } else {
      expect(entries(report, 'bake.started')).toEqual([]);
      expect(report.outcome).toBe('rolled_back');
      expect(entries(report, 'analysis.completed')).toEqual([]);
    }
    expectInvariant(scenario, report);
  });
});

describe("a task's Lambda function times out", () => {
  it('"Analyze health" after its handler ran: two minutes pass, then it is retried or rolled back', async () => {
    // Prepare
    const scenario = withFaults([{ state: 'Analyze health', call: 1, fault: 'timeout', when: 'after' }]);

    // Act
    const report = await rehearse(scenario);

    // Assess
    const analysis = entries(report, 'analysis.completed')[0];
    const failed = entries(report, 'lambda.failed');
    expect(failed).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          state: 'Analyze health',
          error: 'Sandbox.Timedout',
          timeoutSeconds: 120,
        }),
      }),
    ]);
    // The invocation started just before the analysis' calls, and lasted the function's timeout.
    expect((failed[0]?.at ?? 0) - (analysis?.at ?? 0)).toBeGreaterThan(119);
    expect((failed[0]?.at ?? 0) - (analysis?.at ?? 0)).toBeLessThan(120);
    if (retries('Analyze health', 'Sandbox.Timedout')) {
      expect(report.outcome).toBe('promoted');
    } else {
      expect(report.outcome).toBe('rolled_back');
      expect(report.error?.message).toMatch(
        /^Sandbox\.Timedout: RequestId: [0-9a-f-]{36} Error: Task timed out after 120\.00 seconds$/,
      );
      expect(expectInvariant(scenario, report)).toBe('snapshot');
    }
  });

  it('"Analyze health" before its handler ran, with the function\'s timeout from world.functionTimeouts', async () => {
    const scenario = withFaults([{ state: 'Analyze health', call: 1, fault: 'timeout', when: 'before' }], {
      Analyze: '30s',
    });

    const report = await rehearse(scenario);

    const bake = entries(report, 'bake.started')[0];
    const failed = entries(report, 'lambda.failed')[0];
    const analyses = entries(report, 'analysis.completed');
    if (retries('Analyze health', 'Sandbox.Timedout')) {
      // Step Functions retries the state: the first analysis comes after the hung invocation.
      expect(analyses[0]?.at).toBeGreaterThan(failed?.at ?? Number.POSITIVE_INFINITY);
      expect(report.outcome).toBe('promoted');
    } else {
      expect(analyses).toEqual([]);
    }
    // The bake ends 5 minutes after it started; the hung invocation then takes its 30 seconds.
    expect((failed?.at ?? 0) - (bake?.at ?? 0)).toBeCloseTo(330, 0);
    expect(failed?.detail).toMatchObject({ timeoutSeconds: 30, when: 'before' });
    expectInvariant(scenario, report);
  });

  it('"Finish the release" before its handler ran: the promoted release still lets go of its route', async () => {
    const scenario = withFaults([{ state: 'Finish the release', call: 1, fault: 'timeout', when: 'before' }]);

    const report = await rehearse(scenario);

    expect(entries(report, 'lambda.failed')[0]?.detail).toMatchObject({ timeoutSeconds: 120 });
    expect(report.outcome).toBe('promoted');
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });
});
