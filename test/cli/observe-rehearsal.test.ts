import { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { createReleaseExecutions } from '#adapters/aws/release-executions.ts';
import { createExecutionHistories, type ExecutionHistory } from '#adapters/aws/sfn-execution-history.ts';
import { createSfnReleaseObserver } from '#adapters/aws/sfn-release-observer.ts';
import type { ReleaseObserver } from '#core/observing-ports.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { chartData } from '../../cli/chart/spec.ts';
import { historyCommand } from '../../cli/history-command.ts';
import type { ObserveContext } from '../../cli/observe.ts';
import { storyOfHistory } from '../../cli/report/from-history.ts';
import { type ReleaseView, viewOf } from '../../cli/view/release-view.ts';
import { statusViewCommand } from '../../cli/watch-command.ts';

/** Rehearses the example, then reads the simulated Step Functions through the real adapter, as the CLI does. */
async function observed(example: string) {
  let observer: ReleaseObserver | undefined;
  let client: SFNClient | undefined;
  let view: ReleaseView | undefined;
  let machine = '';
  let history: ExecutionHistory | undefined;
  const report = await rehearse(await loadScenario(example), {
    afterwards: async (aws) => {
      machine = aws.stateMachineArn;
      client = new SFNClient({
        region: aws.region,
        credentials: { accessKeyId: 'REHEARSAL', secretAccessKey: 'REHEARSAL' },
        requestHandler: aws.requestHandler,
      });
      observer = createSfnReleaseObserver(client, machine);
      const [execution] = await observer.executions({ limit: 10 });
      view = viewOf(execution?.name ?? '', '', (await observer.events(execution?.executionArn ?? '')) ?? []);
      history = await createExecutionHistories(client, machine).readExecution(execution?.executionArn ?? '');
    },
  });
  let out = '';
  const context = {
    out: { write: (t: string) => (out += t) },
    err: { write: () => true },
    observer: () => observer,
    executions: () => createReleaseExecutions(client as SFNClient, machine),
    sleep: async () => {},
    now: () => Date.now(),
    env: { STEPSHIFT_STATE_MACHINE_ARN: machine },
  } as unknown as ObserveContext;
  return { report, view: view as ReleaseView, history, context, out: () => out };
}

describe("the views, from the simulated Step Functions' history of a rehearsed release", () => {
  it('read a rollback as the rehearsal ran it: the step it got to, the weights put back, the why', async () => {
    const { report, view } = await observed('examples/canary-alarm-rollback.json');
    expect(report.outcome).toBe('rolled_back');
    expect(view).toMatchObject({
      service: 'orders',
      version: 'v2',
      trigger: 'request',
      steps: [10, 25, 50],
      step: 1,
      state: 'ended',
      outcome: 'rolled_back',
      weights: [{ target: 'orders-v1', weight: 100 }],
    });
    expect(view.reason).toContain('orders-5xx is ALARM (4.7, alarm when > 1');
    // Analyze's output carries the last check's signals, so the history shows them as the rehearsal did.
    expect(view.signals).toContainEqual(
      expect.objectContaining({
        name: 'orders-5xx',
        value: 'ALARM',
        verdict: 'fail',
        detail: expect.stringContaining('4.7, alarm when > 1'),
      }),
    );
  });

  it('read a promotion after an approval; history lists the release, and status shows its view', async () => {
    const { view, context, out } = await observed('examples/approval-approved.json');
    expect(view).toMatchObject({ outcome: 'promoted', weights: [{ target: 'orders-v2', weight: 100 }] });
    expect(await historyCommand('orders', { json: true }, context)).toBe(0);
    expect(JSON.parse(out()).releases).toEqual([
      expect.objectContaining({ releaseId: 'rehearsal', version: 'v2', outcome: 'promoted', reached: 'all' }),
    ]);
    const printed = out().length;
    expect(await statusViewCommand('rehearsal', {}, context)).toBe(0);
    expect(out().slice(printed)).toContain(
      'orders v2 (rehearsal): promoted · step 3/3 ▰▰▰ 100% on orders-v2',
    );
  });

  it("report's story from the history has each check's measured values: the chart draws metric panels", async () => {
    const { report, history } = await observed('examples/metrics-error-rate-rollback.json');
    expect(report.outcome).toBe('rolled_back');
    const story = storyOfHistory(history as ExecutionHistory, 'rehearsal', new Date());
    expect(story.checks.length).toBeGreaterThan(0);
    expect(story.checks.every((c) => c.unread === undefined)).toBe(true);
    expect(chartData(story).metrics).toContainEqual(expect.objectContaining({ series: 'canary' }));
  });
});
