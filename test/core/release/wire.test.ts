import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareOrReject } from '#core/release/prepare.ts';
import { loadRelease, releaseLoader, storedProfileOf, toWire } from '#core/release/wire.ts';
import { execution, type FakeReleaseProfiles, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };

/** A prepared release of orders-v2 whose profile has a webhook with a token in its URL. */
async function prepared() {
  const profile = ordersProfile({
    hooks: [
      {
        name: 'smoke',
        phase: 'preRollout',
        type: 'webhook',
        url: 'https://hooks.example.com/smoke?token=s3cr3t',
      },
    ],
  });
  const ctx = fakeDeps(new FakeRouter([{ name: 'orders-v1', weight: 100 }]), profile, [ok]);
  const state = await prepareOrReject({ request: { service: 'orders', version: 'v2' }, execution }, ctx.deps);
  return { ...ctx, state, stored: ctx.deps.releaseProfiles as FakeReleaseProfiles };
}

describe('the release on the wire', () => {
  it('carries the profile as its digest; Prepare stored the profile, by execution, under that digest', async () => {
    const { state, stored } = await prepared();
    const wire = toWire(state);
    expect(wire).not.toHaveProperty('profile');
    expect(JSON.stringify(wire)).not.toContain('s3cr3t');
    expect(wire.profileDigest).toMatch(/^[0-9a-f]{64}$/);
    const item = stored.stored.get(execution.Id);
    expect(item?.digest).toBe(wire.profileDigest);
    expect(JSON.parse(item?.json ?? '')).toEqual(state.profile);
  });

  it('stores the parsed profile, its durations in seconds, and loads that same profile under the same digest', async () => {
    const { deps, state, stored } = await prepared();
    const item = stored.stored.get(execution.Id)!;
    expect(state.profile.strategy).toMatchObject({ type: 'canary', interval: 300 });
    expect(state.profile.readinessTimeout).toBe(600);
    expect(item.json).toContain('"interval":300');
    expect(item.digest).toBe(createHash('sha256').update(item.json, 'utf8').digest('hex'));
    expect(storedProfileOf(execution.Id, state.profile)).toEqual(item);
    const loaded = await loadRelease(toWire(state), deps);
    expect(loaded.profile).toEqual(state.profile);
  });

  it('digests the profile, not the order its keys came in', () => {
    const profile = ordersProfile();
    const reordered = Object.fromEntries(Object.entries(profile).reverse()) as typeof profile;
    expect(storedProfileOf('x', reordered as never)).toEqual(storedProfileOf('x', profile as never));
  });

  it('loads the release with the profile it started with, keeping what the state machine added', async () => {
    const { deps, state } = await prepared();
    const failure = { Error: 'RouterUnavailable', Cause: 'App Mesh is down' };
    const loaded = await loadRelease({ ...toWire(state), failure }, deps);
    expect(loaded).toEqual({ ...state, failure });
    expect(loaded).not.toHaveProperty('profileDigest');
  });

  it('refuses, with CorruptState, a profile changed after Prepare stored it', async () => {
    const { deps, state, stored } = await prepared();
    const wire = toWire(state);
    const item = stored.stored.get(execution.Id)!;
    const edited = JSON.parse(item.json) as { hooks: unknown[] };
    edited.hooks = [];
    stored.stored.set(execution.Id, { ...item, json: JSON.stringify(edited) });
    await expect(loadRelease(wire, deps)).rejects.toMatchObject({
      name: 'CorruptState',
      message: expect.stringMatching(
        new RegExp(
          `^the profile stored for this release \\(table item execution#${execution.Id} / profile\\) has sha256 [0-9a-f]{64}, not ${wire.profileDigest} as when the release started: it was changed after Prepare wrote it, and a release never goes on with another profile; start a new release$`,
        ),
      ),
    });
    // Text that is no profile at all is refused the same way.
    stored.stored.set(execution.Id, { ...item, json: 'not json' });
    await expect(loadRelease(wire, deps)).rejects.toMatchObject({
      name: 'CorruptState',
      message: expect.stringContaining('has sha256 none, not'),
    });
  });

  it('refuses, with CorruptState, a release whose profile is gone or that carries no digest', async () => {
    const { deps, state, stored } = await prepared();
    const wire = toWire(state);
    stored.stored.clear();
    await expect(loadRelease(wire, deps)).rejects.toMatchObject({
      name: 'CorruptState',
      message: `no profile is stored for this release (table item execution#${execution.Id} / profile, written by Prepare): it was deleted, or expired; a release does not go on without the profile it started with, so start a new release`,
    });
    const { profileDigest, ...undigested } = wire;
    await expect(loadRelease(undigested, deps)).rejects.toMatchObject({
      name: 'CorruptState',
      message: expect.stringContaining('has no profileDigest'),
    });
    // A state of the previous format (v1), which carried its profile, is not taken for one.
    await expect(loadRelease({ ...state, v: 1 }, deps)).rejects.toMatchObject({
      name: 'CorruptState',
      message: expect.stringContaining('not one stepshift wrote (v2)'),
    });
  });

  it('reads the table once per execution in one Lambda instance, and never answers with another profile', async () => {
    const { deps, state, stored } = await prepared();
    const wire = toWire(state);
    let reads = 0;
    const counted = {
      releaseProfiles: {
        put: stored.put.bind(stored),
        get: (id: string) => {
          reads++;
          return stored.get(id);
        },
      },
    };
    const load = releaseLoader(counted);
    expect(await load(wire)).toEqual(state);
    expect(await load({ ...wire, step: 1 })).toEqual({ ...state, step: 1 });
    expect(reads).toBe(1);
    // Each call gets a profile of its own: one invocation's change cannot reach the next.
    (await load(wire)).profile.hooks?.splice(0);
    expect((await load(wire)).profile).toEqual(state.profile);
    // Another execution, or another digest, is read (and checked) again.
    await expect(load({ ...wire, profileDigest: '0'.repeat(64) })).rejects.toMatchObject({
      name: 'CorruptState',
    });
    expect(reads).toBe(2);
    // An instance that never read it refuses an item changed since, as loadRelease does.
    const item = stored.stored.get(execution.Id)!;
    stored.stored.set(execution.Id, { ...item, json: JSON.stringify({ ...state.profile, hooks: [] }) });
    await expect(releaseLoader(deps)(wire)).rejects.toMatchObject({ name: 'CorruptState' });
  });
});
