import { describe, expect, it } from 'vitest';
import {
  type ReleaseExecution,
  ReleaseExecutionError,
  type ReleaseExecutions,
} from '#adapters/aws/release-executions.ts';
import type { ObserveContext } from '../../cli/observe.ts';
import { type CommandContext, startCommand } from '../../cli/start-command.ts';
import { statusViewCommand } from '../../cli/watch-command.ts';

const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stepshift-release';

/** A Step Functions that answers from a script: each describe returns the next status. */
function context(script: { start?: () => ReleaseExecution; describe?: ReleaseExecution[] } = {}) {
  let out = '';
  let err = '';
  const calls: string[] = [];
  const executions: ReleaseExecutions = {
    async start(request) {
      calls.push(`start ${JSON.stringify(request)}`);
      if (!script.start) throw new Error('start was not expected');
      return script.start();
    },
    async describe(releaseId) {
      calls.push(`describe ${releaseId}`);
      const next = script.describe?.shift();
      if (!next) throw new ReleaseExecutionError(`no release ${releaseId}`, undefined, true);
      return next;
    },
  };
  const ctx: CommandContext = {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    executions: (arn) => {
      calls.push(`machine ${arn}`);
      return executions;
    },
    sleep: async () => {},
    env: {},
  };
  // `status` also reads the execution's history for its view; an empty one is enough for its exit code.
  const observed: ObserveContext = {
    ...ctx,
    observer: () => ({ executions: async () => [], events: async () => [] }),
    now: () => 0,
  };
  return { ctx, observed, calls, out: () => out, err: () => err };
}

const running = (releaseId = 'orders-v2'): ReleaseExecution => ({
  releaseId,
  executionArn: `${MACHINE.replace('stateMachine', 'execution')}:${releaseId}`,
  status: 'RUNNING',
});

describe('stepshift start', () => {
  it('starts <service>-<version> as the release id and execution name', async () => {
    // Prepare
    const c = context({ start: () => running() });

    // Act
    const code = await startCommand('orders', 'v2', { stateMachine: MACHINE }, c.ctx);

    // Assess
    expect(code).toBe(0);
    expect(c.calls).toEqual([
      `machine ${MACHINE}`,
      'start {"service":"orders","version":"v2","releaseId":"orders-v2"}',
    ]);
    expect(c.out()).toContain('started release orders-v2: running');
  });

  it('refuses a bad version before calling AWS', async () => {
    const c = context();
    const code = await startCommand('orders', 'v2 final', { stateMachine: MACHINE }, c.ctx);
    expect(code).toBe(2);
    expect(c.calls).toEqual([]);
    expect(c.err()).toContain('request.version: "v2 final" cannot name a target');
  });

  it('needs a state machine, from the flag or the environment', async () => {
    const c = context();
    expect(await startCommand('orders', 'v2', {}, c.ctx)).toBe(2);
    expect(c.err()).toContain('pass --state-machine <arn> or set STEPSHIFT_STATE_MACHINE_ARN');
    const fromEnv = context({ start: () => running() });
    const code = await startCommand(
      'orders',
      'v2',
      {},
      { ...fromEnv.ctx, env: { STEPSHIFT_STATE_MACHINE_ARN: MACHINE } },
    );
    expect(code).toBe(0);
  });

  it('with --wait, follows the release and exits 1 when it rolls back', async () => {
    const c = context({
      start: () => running(),
      describe: [
        running(),
        {
          ...running(),
          status: 'FAILED',
          outcome: 'rolled_back',
          error: 'ReleaseRolledBack',
          cause: 'orders-5xx is ALARM',
        },
      ],
    });
    const code = await startCommand('orders', 'v2', { stateMachine: MACHINE, wait: true }, c.ctx);
    expect(code).toBe(1);
    expect(c.calls.filter((call) => call.startsWith('describe'))).toHaveLength(2);
    expect(c.out()).toContain('release orders-v2: rolled_back (ReleaseRolledBack: orders-5xx is ALARM)');
  });

  it('says so when the release id has already run', async () => {
    const c = context({
      start: () => {
        throw new ReleaseExecutionError('release orders-v2 has already run as arn:...');
      },
    });
    expect(await startCommand('orders', 'v2', { stateMachine: MACHINE, releaseId: 'orders-v2' }, c.ctx)).toBe(
      2,
    );
    expect(c.err()).toContain('has already run');
  });
});

describe('stepshift status', () => {
  it.each(
    (
      [
        ['running', running(), 0],
        ['promoted', { ...running(), status: 'SUCCEEDED', outcome: 'promoted' }, 0],
        [
          'rolled back',
          { ...running(), status: 'FAILED', outcome: 'rolled_back', error: 'ReleaseRolledBack' },
          1,
        ],
        ['rejected', { ...running(), status: 'FAILED', outcome: 'rejected', error: 'InvalidRequest' }, 1],
        ['stopped', { ...running(), status: 'ABORTED', outcome: 'stopped', error: 'ExecutionStopped' }, 1],
        ['failed', { ...running(), status: 'TIMED_OUT', outcome: 'failed', error: 'States.Timeout' }, 1],
      ] satisfies [string, ReleaseExecution, number][]
    ).map(([label, release, code]) => ({ label, release, code })),
  )('for a release $label, exits $code', async ({ release, code }) => {
    const c = context({ describe: [release] });
    expect(await statusViewCommand('orders-v2', { stateMachine: MACHINE }, c.observed)).toBe(code);
    expect(c.out()).toContain('release orders-v2:');
  });

  it('prints JSON for machines and exits 1 for a release Step Functions does not have', async () => {
    const c = context({ describe: [running()] });
    await statusViewCommand('orders-v2', { stateMachine: MACHINE, json: true }, c.observed);
    expect(JSON.parse(c.out())).toMatchObject({ releaseId: 'orders-v2', status: 'RUNNING' });
    const missing = context();
    expect(await statusViewCommand('nope', { stateMachine: MACHINE }, missing.observed)).toBe(1);
    expect(missing.err()).toContain('no release nope');
  });
});
