import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '#core/bounded-text.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { execution, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';
import { ecrPush, ordersFromEcr, releaseRequested } from '../triggers/events.ts';

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };

function deps(profile: unknown = ordersFromEcr(), others: unknown[] = []) {
  const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
  router.nodes.add('orders-v7');
  return fakeDeps(router, profile, [ok], {}, others);
}

async function rejection(request: unknown, ctx = deps()) {
  const error = await prepareOrReject({ request, execution }, ctx.deps).catch((e: unknown) => e);
  if (!(error instanceof InvalidRequestError))
    throw new Error(`expected InvalidRequest, got ${String(error)}`);
  return { problems: error.problems, events: ctx.events };
}

describe('Prepare, whatever started the release', () => {
  it('tells the bus of a refusal in bounded words, whatever the request held', async () => {
    const service = 's'.repeat(100_000);
    const { events } = await rejection({
      service,
      version: 'v7',
      ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, 1])),
    });
    const rejected = events.find((e) => e.type === 'release.rejected');
    expect(Buffer.byteLength(JSON.stringify(rejected))).toBeLessThan(TEXT_LIMITS.cause * 2);
    expect(rejected).toMatchObject({ service: expect.stringMatching(/bytes cut\]/) });
  });

  it('plans the same release from the request, a "Release Requested" event and an ECR push', async () => {
    const fromRequest = await prepareOrReject(
      { request: { service: 'orders', version: 'v7' }, execution },
      deps().deps,
    );
    const fromEvent = await prepareOrReject(
      { request: releaseRequested({ service: 'orders', version: 'v7' }), execution },
      deps().deps,
    );
    const fromPush = await prepareOrReject({ request: ecrPush(), execution }, deps().deps);
    const { releaseId: _a, ...request } = fromRequest;
    const { releaseId: _b, ...event } = fromEvent;
    const { releaseId: _c, ...pushed } = fromPush;
    expect(event).toEqual(request);
    expect(pushed).toEqual(request);
    expect([fromRequest.releaseId, fromEvent.releaseId, fromPush.releaseId]).toEqual([
      execution.Name,
      '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b',
      'ecr-13cde686-328b-6117-af20-0e5566167482',
    ]);
  });

  it('says which trigger started it on release.planned', async () => {
    const triggers = [];
    for (const request of [{ service: 'orders', version: 'v2' }, releaseRequested(), ecrPush()]) {
      const ctx = deps();
      await prepareOrReject({ request, execution }, ctx.deps);
      triggers.push(ctx.events.find((e) => e.type === 'release.planned'));
    }
    expect(triggers.map((e) => e && 'trigger' in e && e.trigger)).toEqual(['request', 'eventbridge', 'ecr']);
  });

  it("names the event's fields, not request.*, when the request came in an event", async () => {
    const { problems } = await rejection(
      releaseRequested({
        service: 'orders',
        version: 'v 2',
        overrides: { strategy: { type: 'canary', steps: [120], interval: '5m' } },
      }),
    );
    expect(problems).toEqual([
      'event.detail.version: "v 2" cannot name a target; use letters, digits, ".", "_" and "-", starting with a letter or digit',
      'event.detail.overrides.strategy.steps[0]: 120 is above 100; weights are percentages 1..100',
    ]);
  });

  it("names the detail's service when no profile has it", async () => {
    expect((await rejection(releaseRequested({ service: 'payments', version: 'v2' }))).problems).toEqual([
      'event.detail.service: no release profile for "payments"; profiles exist for: orders',
    ]);
  });

  it('names the event id when it cannot be a release id', async () => {
    expect((await rejection({ ...releaseRequested(), id: 'not an id' })).problems).toEqual([
      'event.id: "not an id" is not a release id; use 1..64 letters, digits, "-" or "_"',
    ]);
  });

  it('names the image tag when the pushed version already has all the traffic', async () => {
    expect((await rejection(ecrPush({ 'image-tag': 'v1' }))).problems).toEqual([
      'event.detail.image-tag: orders-v1 already receives all traffic on appmesh:shop/orders-router/orders-route; nothing to release',
    ]);
  });

  it('lists a bad detail and a broken profile together', async () => {
    const { problems } = await rejection(
      releaseRequested({ service: 'orders', version: '#{SourceVariables.ImageTag}' }),
      deps(ordersProfile({ targets: { canary: 'orders' } })),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^event\.detail\.version: "#\{SourceVariables\.ImageTag\}" looks like a CodePipeline variable that was not substituted;/,
    );
    expect(problems[1]).toMatch(/^profile\.targets\.canary: "orders" has no \{version\}/);
  });

  it('tells the world who was refused: the service and release id the trigger named', async () => {
    const { events } = await rejection(releaseRequested({ service: 'orders', version: 'v 2' }));
    expect(events).toEqual([
      {
        type: 'release.rejected',
        releaseId: '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b',
        service: 'orders',
        problems: [expect.stringMatching(/^event\.detail\.version:/)],
      },
    ]);
    const push = await rejection(ecrPush({ 'image-tag': 'latest' }));
    expect(push.events[0]).toMatchObject({ releaseId: execution.Name, service: '(unknown)' });
  });

  it('does not look up a profile for a service that is itself wrong', async () => {
    expect((await rejection({ service: 'x'.repeat(129), version: 'v2' })).problems).toEqual([
      'request.service: is longer than 128 characters; give the service to release, such as "orders" of 1..128 characters',
    ]);
  });

  it('refuses an ECR push whose repository two profiles claim', async () => {
    const twin = ordersFromEcr();
    const { problems } = await rejection(
      ecrPush(),
      deps(ordersFromEcr(), [{ ...twin, service: 'orders-eu' }]),
    );
    expect(problems).toEqual([
      'event.detail.repository-name: "orders" is the source.ecrRepository of 2 profiles (orders, orders-eu); a repository releases one service: name it in one profile only',
    ]);
  });
});
