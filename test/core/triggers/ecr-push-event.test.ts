import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLayerProfileSource } from '#adapters/config/layer-profile-source.ts';
import { createStaticProfileSource } from '#adapters/config/static-profile-source.ts';
import { InvalidRequestError } from '#core/errors.ts';
import type { ProfileSource } from '#core/ports.ts';
import { fromEcrPush } from '#core/triggers/ecr-push-event.ts';
import { parseEnvelope } from '#core/triggers/eventbridge-envelope.ts';
import { routerKinds } from '#routers/registry.ts';
import { ordersProfile } from '../../support/profiles.ts';
import { ecrPush, ordersFromEcr } from './events.ts';

async function candidateFor(
  event: unknown,
  profiles: ProfileSource = createStaticProfileSource([ordersFromEcr()]),
) {
  const handled = parseEnvelope(event);
  if (handled.kind !== 'ecr-image-action') throw new Error(handled.kind);
  return fromEcrPush(handled.event, profiles, routerKinds);
}

async function problemsFor(event: unknown, profiles?: ProfileSource): Promise<string[]> {
  const error = await candidateFor(event, profiles).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof InvalidRequestError) return error.problems;
  throw new Error(`expected InvalidRequestError, got ${String(error)}`);
}

const cart = ordersProfile({
  service: 'cart',
  source: { ecrRepository: 'shop/cart', tagPattern: '.+' },
} as never);

describe('an ECR image push', () => {
  it('releases the service whose profile names the repository, at the version the tag names', async () => {
    const candidate = await candidateFor(ecrPush());
    expect(candidate).toMatchObject({
      trigger: 'ecr',
      request: { service: 'orders', version: 'v7', releaseId: 'ecr-13cde686-328b-6117-af20-0e5566167482' },
      root: 'event.detail',
      from: {
        service: 'event.detail.repository-name',
        version: 'event.detail.image-tag',
        releaseId: 'event.id',
      },
    });
    expect(candidate.profile?.source).toEqual({ ecrRepository: 'orders', tagPattern: '^v[0-9]+$' });
  });

  it('is the same release when EventBridge delivers the event again', async () => {
    expect((await candidateFor(ecrPush())).request).toEqual((await candidateFor(ecrPush())).request);
  });

  it('reads the detail as ECR documents it, without the media types newer events carry', async () => {
    const event = ecrPush();
    const detail = event.detail as Record<string, unknown>;
    delete detail['artifact-media-type'];
    delete detail['manifest-media-type'];
    expect((await candidateFor(event)).request).toMatchObject({ version: 'v7' });
  });

  it('matches the whole tag against the pattern', async () => {
    const profiles = createStaticProfileSource([
      ordersFromEcr({ ecrRepository: 'orders', tagPattern: 'v[0-9]+' }),
    ]);
    expect((await candidateFor(ecrPush({ 'image-tag': 'v12' }), profiles)).request).toMatchObject({
      version: 'v12',
    });
    expect(await problemsFor(ecrPush({ 'image-tag': 'v12-rc1' }), profiles)).toEqual([
      'event.detail.image-tag: "v12-rc1" does not match source.tagPattern "v[0-9]+" of the orders profile (the whole tag must match); this push is not released',
    ]);
  });

  it.each([
    [
      'a deletion',
      ecrPush({ 'action-type': 'DELETE' }),
      'event.detail.action-type: "DELETE" is not an image push; stepshift releases only "PUSH" actions (an EventBridge rule matching "action-type": ["PUSH"] sends only those)',
    ],
    [
      'a failed push',
      ecrPush({ result: 'FAILURE' }),
      'event.detail.result: "FAILURE" means the push failed; stepshift releases only pushes whose result is "SUCCESS"',
    ],
    [
      'a tag the pattern refuses',
      ecrPush({ 'image-tag': 'latest' }),
      'event.detail.image-tag: "latest" does not match source.tagPattern "^v[0-9]+$" of the orders profile (the whole tag must match); this push is not released',
    ],
    [
      'a push by digest (ECR sends an empty tag)',
      ecrPush({ 'image-tag': '' }),
      'event.detail.image-tag: is empty: the image sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234 was pushed to "orders" without a tag; stepshift releases tagged images only, because the tag is the version',
    ],
    [
      'a push with no tag field',
      ecrPush({ 'image-tag': undefined }),
      'event.detail.image-tag: is missing: the image sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234 was pushed to "orders" without a tag; stepshift releases tagged images only, because the tag is the version',
    ],
    [
      'a repository no profile names',
      ecrPush({ 'repository-name': 'payments' }),
      'event.detail.repository-name: no release profile has source.ecrRepository "payments"; profiles name these repositories: orders',
    ],
    [
      'a detail that is not an object',
      { ...ecrPush(), detail: 'orders:v7' },
      'event.detail: is "orders:v7"; the detail of an "ECR Image Action" event is a JSON object with action-type, result, repository-name, image-digest, image-tag',
    ],
    [
      'a detail without a repository',
      ecrPush({ 'repository-name': undefined }),
      'event.detail.repository-name: is missing; give the ECR repository the image was pushed to',
    ],
  ])('refuses %s', async (_, event, message) => {
    expect(await problemsFor(event)).toEqual([message]);
  });

  it('says only that a deletion is not a push, whatever else its detail lacks', async () => {
    expect(await problemsFor(ecrPush({ 'action-type': 'DELETE', 'image-tag': undefined }))).toHaveLength(1);
  });

  it('refuses a repository two profiles claim, naming both', async () => {
    const twin = ordersProfile({
      service: 'orders-eu',
      source: { ecrRepository: 'orders', tagPattern: '.+' },
    } as never);
    expect(await problemsFor(ecrPush(), createStaticProfileSource([ordersFromEcr(), twin]))).toEqual([
      'event.detail.repository-name: "orders" is the source.ecrRepository of 2 profiles (orders, orders-eu); a repository releases one service: name it in one profile only',
    ]);
  });

  it('says how to connect a repository when no profile names one', async () => {
    expect(await problemsFor(ecrPush(), createStaticProfileSource([ordersProfile()]))).toEqual([
      'event.detail.repository-name: no release profile has source.ecrRepository "orders"; no profile names a repository yet: add "source": {"ecrRepository", "tagPattern"} to the profile of the service it holds',
    ]);
  });

  it("is not stopped by another service's broken profile", async () => {
    const broken = { service: 'cart', strategy: 'fast', source: { ecrRepository: 'shop/cart' } };
    const profiles = createStaticProfileSource([broken, null, 'junk', ordersFromEcr()]);
    expect((await candidateFor(ecrPush(), profiles)).request).toMatchObject({ service: 'orders' });
  });

  it('reports the problems of the broken profile that claims the repository', async () => {
    const broken = ordersFromEcr({ ecrRepository: 'orders', tagPattern: '^v[0-9+$' });
    const problems = await problemsFor(ecrPush(), createStaticProfileSource([broken, cart]));
    expect(problems).toEqual([
      'profile.source.tagPattern: "^v[0-9+$" is not a regular expression stepshift can evaluate (missing closing ]: `[0-9+$`; stepshift evaluates patterns with RE2 syntax, in linear time, which has no backreferences (\\1) and no lookaround ((?=, (?!, (?<=, (?<!)); write one such as "^v[0-9]+$"',
    ]);
  });

  it('matches a catastrophic tagPattern against a crafted tag in linear time, and refuses the tag', async () => {
    // Issue 12: with JavaScript's RegExp this tag took 9 s, and 36 digits outlast Prepare's timeout.
    const profiles = createStaticProfileSource([
      ordersFromEcr({ ecrRepository: 'orders', tagPattern: '^v(\\d+\\.?)+$' }),
    ]);
    const tag = `v${'1'.repeat(36)}x`;
    expect(await problemsFor(ecrPush({ 'image-tag': tag }), profiles)).toEqual([
      `event.detail.image-tag: "${tag}" does not match source.tagPattern "^v(\\\\d+\\\\.?)+$" of the orders profile (the whole tag must match); this push is not released`,
    ]);
    expect((await candidateFor(ecrPush({ 'image-tag': 'v1.2.3' }), profiles)).request).toMatchObject({
      version: 'v1.2.3',
    });
  });

  it('refuses a tag longer than the 128 characters a tag may have, before any pattern sees it', async () => {
    const tag = `v${'1'.repeat(128)}`;
    expect(await problemsFor(ecrPush({ 'image-tag': tag }))).toEqual([
      'event.detail.image-tag: is 129 characters long; an image tag has at most 128 (the OCI distribution spec ECR follows), so this is no tag ECR pushed',
    ]);
  });

  it("finds the profile in the profiles layer's file as it does in a static list", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stepshift-profiles-')), 'profiles.json');
    writeFileSync(file, JSON.stringify([cart, ordersFromEcr()]));
    const layer = createLayerProfileSource(file);
    expect(await layer.all()).toEqual([cart, ordersFromEcr()]);
    expect(
      (await candidateFor(ecrPush({ 'repository-name': 'shop/cart', 'image-tag': 'build-7' }), layer))
        .request,
    ).toEqual({
      service: 'cart',
      version: 'build-7',
      releaseId: 'ecr-13cde686-328b-6117-af20-0e5566167482',
    });
    writeFileSync(file, '[]');
    expect(await createLayerProfileSource(file).all()).toEqual([]);
  });
});
