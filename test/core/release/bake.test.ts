import { describe, expect, it } from 'vitest';
import { RELEASE_ABORTED } from '#core/controls.ts';
import { startBake } from '#core/release/bake.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import {
  execution,
  type FakeCallbacks,
  type FakeControls,
  FakeRouter,
  fakeDeps,
} from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

/** A release of orders-v2 shifted to its first step, about to bake. */
async function baking() {
  const ctx = fakeDeps(new FakeRouter([{ name: 'orders-v1', weight: 100 }]), ordersProfile(), [
    { name: 'orders-5xx', type: 'metric', state: 'OK' },
  ]);
  const prepared = await prepareOrReject(
    { request: { service: 'orders', version: 'v2' }, execution },
    ctx.deps,
  );
  const state = await shiftTraffic(prepared, ctx.deps);
  return {
    ...ctx,
    state,
    controls: ctx.deps.controls as FakeControls,
    callbacks: ctx.deps.callbacks as FakeCallbacks,
  };
}

describe('startBake', () => {
  it("keeps the task token in the release's controls and waits (no callback of its own)", async () => {
    const { deps, state, controls, callbacks } = await baking();
    await startBake({ taskToken: 'token-1', release: state }, deps);
    expect((await controls.get(state.releaseId))?.taskToken).toBe('token-1');
    expect(callbacks.sent).toEqual([]);
  });

  it('fails with ReleaseAborted when an abort came between bakes', async () => {
    const { deps, state, controls } = await baking();
    await controls.request(state.releaseId, {
      abort: { at: '2026-01-01T00:01:00.000Z', by: 'ana', reason: 'no' },
    });
    await expect(startBake({ taskToken: 'token-1', release: state }, deps)).rejects.toMatchObject({
      name: RELEASE_ABORTED,
      message: 'aborted by ana at 2026-01-01T00:01:00.000Z: no',
    });
  });

  it('ends its own wait when a promote came between bakes, and not again once acted on', async () => {
    const { deps, state, controls, callbacks } = await baking();
    const at = '2026-01-01T00:01:00.000Z';
    await controls.request(state.releaseId, { promote: { at, full: false } });
    await startBake({ taskToken: 'token-1', release: state }, deps);
    await startBake({ taskToken: 'token-2', release: { ...state, promotedBy: at } }, deps);
    expect(callbacks.sent).toEqual([{ token: 'token-1', output: { operator: 'request waiting' } }]);
  });

  it('ends its own wait for a resume that came after the hold began', async () => {
    const { deps, state, controls, callbacks } = await baking();
    await controls.request(state.releaseId, { paused: null, resumed: { at: '2026-01-01T00:10:00.000Z' } });
    await startBake(
      { taskToken: 'before', release: { ...state, heldSince: '2026-01-01T00:20:00.000Z' } },
      deps,
    );
    await startBake(
      { taskToken: 'after', release: { ...state, heldSince: '2026-01-01T00:05:00.000Z' } },
      deps,
    );
    expect(callbacks.sent.map((c) => c.token)).toEqual(['after']);
  });
});
