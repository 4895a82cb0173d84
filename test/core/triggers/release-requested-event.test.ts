import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '#core/triggers/eventbridge-envelope.ts';
import { fromReleaseRequested } from '#core/triggers/release-requested-event.ts';
import { releaseRequested } from './events.ts';

function candidateFor(detail: unknown) {
  const handled = parseEnvelope(releaseRequested(detail));
  if (handled.kind !== 'release-requested') throw new Error(handled.kind);
  return fromReleaseRequested(handled.event);
}

describe('"Release Requested" events', () => {
  it('carry the request as their detail; the event id is the release id when the detail has none', () => {
    expect(candidateFor({ service: 'orders', version: 'v2' })).toEqual({
      trigger: 'eventbridge',
      request: { service: 'orders', version: 'v2', releaseId: '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b' },
      root: 'event.detail',
      from: { releaseId: 'event.id' },
    });
  });

  it('give the same release id when EventBridge delivers the same event again', () => {
    expect(candidateFor({ service: 'orders', version: 'v2' })).toEqual(
      candidateFor({ service: 'orders', version: 'v2' }),
    );
  });

  it("keep the detail's own release id and overrides", () => {
    const detail = {
      service: 'orders',
      version: 'v2',
      releaseId: 'orders-v2-hotfix',
      overrides: { strategy: { type: 'all-at-once', bake: '5m' } },
    };
    expect(candidateFor(detail)).toMatchObject({ request: detail, from: {} });
  });

  it('hand a detail that is not an object on as it is, for the request schema to name', () => {
    expect(candidateFor('orders v2')).toMatchObject({ request: 'orders v2', root: 'event.detail' });
    expect(candidateFor(['orders'])).toMatchObject({ request: ['orders'] });
  });
});
