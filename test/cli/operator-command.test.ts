import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '#core/errors.ts';
import { type OperatorContext, operatorCommand } from '../../cli/operator-command.ts';
import { FakeCallbacks, FakeControls } from '../support/fake-ports.ts';

const AT = '2026-11-27T10:00:00.000Z';

/** The command's context over fake controls and callbacks; orders-v2 runs and waits in a bake. */
async function context(env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const tables: string[] = [];
  const controls = new FakeControls();
  const callbacks = new FakeCallbacks();
  await controls.open({ releaseId: 'orders-v2', service: 'orders', executionId: 'exec-1' });
  await controls.waiting('orders-v2', 'exec-1', 'token-1', '2026-11-27T09:55:00.000Z');
  const ctx: OperatorContext = {
    out: { write: (t: string) => (out += t) },
    err: { write: (t: string) => (err += t) },
    env,
    deps: (tableName) => {
      tables.push(tableName);
      return { controls, callbacks, clock: { now: () => new Date(AT) }, events: { emit: () => {} } };
    },
  };
  return { ctx, controls, callbacks, tables, out: () => out, err: () => err };
}

describe('stepshift abort|promote|pause|resume', () => {
  it('needs a table, from the flag or the environment', async () => {
    // Prepare
    const c = await context();

    // Act
    const code = await operatorCommand('abort', 'orders-v2', {}, c.ctx);

    // Assess
    expect(code).toBe(2);
    expect(c.err()).toBe(
      'no table given: pass --table <name> or set STEPSHIFT_TABLE_NAME (the TableName output of the deployed stack)\n',
    );
    expect(c.tables).toEqual([]);
    expect(c.callbacks.sent).toEqual([]);
  });

  it('takes the table from STEPSHIFT_TABLE_NAME', async () => {
    const c = await context({ STEPSHIFT_TABLE_NAME: 'stepshift-table', USER: 'alice' });
    const code = await operatorCommand('abort', 'orders-v2', { reason: 'checkout is slow' }, c.ctx);
    expect(code).toBe(0);
    expect(c.tables).toEqual(['stepshift-table']);
    expect(c.callbacks.sent).toEqual([
      { token: 'token-1', error: 'ReleaseAborted', cause: `aborted by alice at ${AT}: checkout is slow` },
    ]);
  });

  it('prefers --table to the environment', async () => {
    const c = await context({ STEPSHIFT_TABLE_NAME: 'from-env' });
    await operatorCommand('pause', 'orders-v2', { table: 'from-flag' }, c.ctx);
    expect(c.tables).toEqual(['from-flag']);
  });

  it('refuses a malformed release id before reaching the table', async () => {
    const c = await context();
    const code = await operatorCommand('promote', 'orders v2', { table: 't' }, c.ctx);
    expect(code).toBe(2);
    expect(c.err()).toContain('releaseId: "orders v2" is not a release id');
    expect(c.tables).toEqual([]);
  });

  it('exits 1 when no running release has the id', async () => {
    const c = await context();
    const code = await operatorCommand('resume', 'payments-v9', { table: 't' }, c.ctx);
    expect(code).toBe(1);
    expect(c.out()).toBe(
      'no running release has the id payments-v9; `stepshift status payments-v9` tells how it ended\n',
    );
  });

  it('exits 0 with the message when the release acts', async () => {
    // Prepare
    const c = await context();

    // Act
    const code = await operatorCommand('promote', 'orders-v2', { table: 't', full: true, by: 'bob' }, c.ctx);

    // Assess
    expect(code).toBe(0);
    expect(c.out()).toBe('orders-v2 (orders) will promote now, skipping every remaining step\n');
    expect((await c.controls.get('orders-v2'))?.promote).toEqual({ at: AT, by: 'bob', full: true });
    expect(c.callbacks.sent).toEqual([{ token: 'token-1', output: { operator: 'promote' } }]);
  });

  it('names the caller "a person" when neither --by nor USER says who', async () => {
    const c = await context();
    await operatorCommand('pause', 'orders-v2', { table: 't' }, c.ctx);
    expect((await c.controls.get('orders-v2'))?.paused).toEqual({ at: AT, by: 'a person' });
  });

  it('prints the outcome as JSON with --json', async () => {
    const c = await context();
    const code = await operatorCommand('pause', 'orders-v2', { table: 't', json: true }, c.ctx);
    expect(code).toBe(0);
    expect(JSON.parse(c.out())).toEqual({
      status: 'recorded',
      message:
        'orders-v2 (orders) will hold at the current weight when this step ends; analysis keeps running and can still roll back',
    });
  });

  it('exits 2 when the store fails, naming the error', async () => {
    // Prepare
    const c = await context();
    c.controls.request = async () => {
      throw new StoreUnavailableError(
        'recording a request to orders-v2 in t failed with ThrottlingException',
      );
    };

    // Act
    const code = await operatorCommand('abort', 'orders-v2', { table: 't' }, c.ctx);

    // Assess
    expect(code).toBe(2);
    expect(c.err()).toBe(
      'abort orders-v2 failed: StoreUnavailable: recording a request to orders-v2 in t failed with ThrottlingException\n',
    );
    expect(c.out()).toBe('');
  });

  it('exits 2 when AWS refuses a callback', async () => {
    const c = await context();
    c.callbacks.fail = async () => {
      throw Object.assign(new Error('not authorized to perform states:SendTaskFailure'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      });
    };
    const code = await operatorCommand('abort', 'orders-v2', { table: 't' }, c.ctx);
    expect(code).toBe(2);
    expect(c.err()).toBe(
      "abort orders-v2 was refused by AWS (AccessDeniedException: not authorized to perform states:SendTaskFailure): use credentials (--profile, or the AWS_* variables) whose role holds the stack's grant for this command\n",
    );
  });

  it('lets an unexpected error through', async () => {
    const c = await context();
    c.controls.request = async () => {
      throw new TypeError('a bug');
    };
    await expect(operatorCommand('abort', 'orders-v2', { table: 't' }, c.ctx)).rejects.toThrow('a bug');
  });
});
