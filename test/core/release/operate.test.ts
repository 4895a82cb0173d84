import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '#core/bounded-text.ts';
import { RELEASE_ABORTED } from '#core/controls.ts';
import { type OperatorDeps, operate } from '#core/release/operate.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { FakeCallbacks, FakeControls } from '../../support/fake-ports.ts';

const AT = '2026-11-27T10:00:00.000Z';

/** A running release, orders-v2, whose execution waits in a bake with the token "token-1" (unless told otherwise). */
async function running(waiting = true) {
  const controls = new FakeControls();
  const callbacks = new FakeCallbacks();
  const events: ReleaseEvent[] = [];
  await controls.open({ releaseId: 'orders-v2', service: 'orders', executionId: 'exec-1' });
  if (waiting) await controls.waiting('orders-v2', 'exec-1', 'token-1', '2026-11-27T09:55:00.000Z');
  const deps: OperatorDeps = {
    controls,
    callbacks,
    clock: { now: () => new Date(AT) },
    events: { emit: (e) => void events.push(e) },
  };
  return { controls, callbacks, events, deps };
}

describe('operate', () => {
  it('aborts a waiting bake with ReleaseAborted and a cause naming who and why', async () => {
    // Prepare
    const { deps, callbacks, controls } = await running();

    // Act
    const outcome = await operate('abort', 'orders-v2', { by: 'alice', reason: 'checkout is slow' }, deps);

    // Assess
    expect(outcome).toEqual({ status: 'acted', message: 'orders-v2 (orders) will roll back now' });
    expect(callbacks.sent).toEqual([
      {
        token: 'token-1',
        error: RELEASE_ABORTED,
        cause: `aborted by alice at ${AT}: checkout is slow`,
      },
    ]);
    expect((await controls.get('orders-v2'))?.abort).toEqual({
      at: AT,
      by: 'alice',
      reason: 'checkout is slow',
    });
  });

  it("bounds a person's 300 KB reason and name before they reach the table, the cause and the events", async () => {
    const { deps, callbacks, controls } = await running();
    await operate('abort', 'orders-v2', { by: 'b'.repeat(300_000), reason: 'r'.repeat(300_000) }, deps);
    const abort = (await controls.get('orders-v2'))?.abort;
    expect(Buffer.byteLength(abort?.reason ?? '')).toBeLessThanOrEqual(TEXT_LIMITS.reason);
    expect(Buffer.byteLength(abort?.by ?? '')).toBeLessThanOrEqual(TEXT_LIMITS.shown);
    expect(abort?.reason).toMatch(/bytes cut\]/);
    expect(Buffer.byteLength(callbacks.sent[0]?.cause ?? '')).toBeLessThan(2 * TEXT_LIMITS.reason);
  });

  it('aborts without who or why in plain words', async () => {
    const { deps, callbacks } = await running();
    await operate('abort', 'orders-v2', {}, deps);
    expect(callbacks.sent).toEqual([
      { token: 'token-1', error: 'ReleaseAborted', cause: `aborted at ${AT}` },
    ]);
  });

  it('answers not-running for a release with no controls, and calls nothing back', async () => {
    // Prepare
    const { deps, callbacks, events } = await running();

    // Act
    const outcome = await operate('abort', 'payments-v9', { by: 'alice' }, deps);

    // Assess
    expect(outcome.status).toBe('not-running');
    expect(outcome.message).toBe(
      'no running release has the id payments-v9; `stepshift status payments-v9` tells how it ended',
    );
    expect(callbacks.sent).toEqual([]);
    expect(events).toEqual([]);
  });

  it('records a pause without ending the bake', async () => {
    const { deps, callbacks, controls } = await running();
    const outcome = await operate('pause', 'orders-v2', { by: 'alice' }, deps);
    expect(outcome).toEqual({
      status: 'recorded',
      message:
        'orders-v2 (orders) will hold at the current weight when this step ends; analysis keeps running and can still roll back',
    });
    expect(callbacks.sent).toEqual([]);
    expect((await controls.get('orders-v2'))?.paused).toEqual({ at: AT, by: 'alice' });
  });

  it('resumes: clears the pause, records the resume and ends the bake', async () => {
    // Prepare
    const { deps, callbacks, controls } = await running();
    await controls.request('orders-v2', { paused: { at: '2026-11-27T09:00:00.000Z', by: 'alice' } });

    // Act
    const outcome = await operate('resume', 'orders-v2', { by: 'bob' }, deps);

    // Assess
    expect(outcome).toEqual({ status: 'acted', message: 'orders-v2 (orders) will go on from where it held' });
    const control = await controls.get('orders-v2');
    expect(control?.paused).toBeUndefined();
    expect(control?.resumed).toEqual({ at: AT, by: 'bob' });
    expect(callbacks.sent).toEqual([{ token: 'token-1', output: { operator: 'resume' } }]);
  });

  it.each([
    [true, 'orders-v2 (orders) will promote now, skipping every remaining step'],
    [false, 'orders-v2 (orders) will skip the rest of this step'],
  ])('records promote with full %s', async (full, message) => {
    const { deps, callbacks, controls } = await running();
    const outcome = await operate('promote', 'orders-v2', { full, by: 'alice' }, deps);
    expect(outcome).toEqual({ status: 'acted', message });
    expect((await controls.get('orders-v2'))?.promote).toEqual({ at: AT, by: 'alice', full });
    expect(callbacks.sent).toEqual([{ token: 'token-1', output: { operator: 'promote' } }]);
  });

  it('records promote as not full when full is not given', async () => {
    const { deps, controls } = await running();
    await operate('promote', 'orders-v2', {}, deps);
    expect((await controls.get('orders-v2'))?.promote).toEqual({ at: AT, full: false });
  });

  it('only records when the token expired: the release acts at its next check', async () => {
    // Prepare
    const { deps, callbacks, events } = await running();
    callbacks.expired.add('token-1');

    // Act
    const outcome = await operate('abort', 'orders-v2', { by: 'alice' }, deps);

    // Assess
    expect(outcome).toEqual({
      status: 'recorded',
      message: 'orders-v2 (orders) will roll back now at its next check',
    });
    expect(callbacks.sent).toEqual([]);
    expect(events).toMatchObject([{ type: 'operator.requested', delivered: false }]);
  });

  it('only records between bakes, when no token is kept', async () => {
    const { deps, callbacks } = await running(false);
    const outcome = await operate('promote', 'orders-v2', {}, deps);
    expect(outcome.status).toBe('recorded');
    expect(outcome.message).toBe('orders-v2 (orders) will skip the rest of this step at its next check');
    expect(callbacks.sent).toEqual([]);
  });

  it('announces operator.requested with who asked and whether the bake heard it', async () => {
    const { deps, events } = await running();
    await operate('promote', 'orders-v2', { by: 'alice', full: true }, deps);
    await operate('pause', 'orders-v2', {}, deps);
    expect(events).toEqual([
      {
        type: 'operator.requested',
        releaseId: 'orders-v2',
        service: 'orders',
        command: 'promote',
        delivered: true,
        by: 'alice',
      },
      {
        type: 'operator.requested',
        releaseId: 'orders-v2',
        service: 'orders',
        command: 'pause',
        delivered: false,
      },
    ]);
  });
});
