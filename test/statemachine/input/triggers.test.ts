import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { makePrepareHandler } from '#functions/prepare.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { parseScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { execution, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';

const dir = new URL('../../../examples/triggers/', import.meta.url);
const TRIGGERS = ['console', 'codepipeline-literal', 'eventbridge-release-requested', 'ecr-push'] as const;
type Trigger = (typeof TRIGGERS)[number];

type Input = Record<string, unknown> & {
  profile: Record<string, unknown>;
  request: Record<string, unknown> & { detail: Record<string, unknown> };
};

/** One of examples/triggers/, as a plain object to change before parsing. */
function example(trigger: Trigger): Input {
  return JSON.parse(readFileSync(new URL(`${trigger}.json`, dir), 'utf8'));
}

function scenarioFrom(trigger: Trigger, change: (s: Input) => void = () => {}): Scenario {
  const input = example(trigger);
  change(input);
  return parseScenario(input, `${trigger}.json`);
}

describe('each trigger, rehearsed through the real state machine', () => {
  it('reaches the same plan and the same final route from all four payloads', async () => {
    const reports = [];
    for (const trigger of TRIGGERS) {
      const scenario = scenarioFrom(trigger);
      const report = await rehearse(scenario);
      expect(report.outcome, `${trigger}: ${report.error?.message}`).toBe('promoted');
      expect(report.expectation?.met).toBe(true);
      // The invariant reads the version from a request; each payload asks for orders v2.
      expect(expectInvariant({ ...scenario, request: { service: 'orders', version: 'v2' } }, report)).toBe(
        'promoted',
      );
      reports.push(report);
    }
    const [first, ...rest] = reports;
    for (const report of rest) {
      expect(report.plan).toEqual(first?.plan);
      expect(report.finalRoutes).toEqual(first?.finalRoutes);
      expect(report.stateTransitions).toBe(first?.stateTransitions);
    }
  });

  it('names each trigger and its release id on release.planned', async () => {
    const planned = [];
    for (const trigger of TRIGGERS) {
      const report = await rehearse(scenarioFrom(trigger));
      planned.push(report.timeline.find((e) => e.event === 'release.planned')?.detail.trigger);
    }
    expect(planned).toEqual(['request', 'request', 'eventbridge', 'ecr']);
  });
});

const releaseRequested = (detail: unknown) => (s: Input) => {
  s.request.detail = detail as never;
};
const pushed = (detail: Record<string, unknown>) => (s: Input) => {
  Object.assign(s.request.detail, detail);
};
const HANDLED =
  'it starts releases from "Release Requested" events of source "stepshift" and "ECR Image Action" events of source "aws.ecr" and "AWS API Call via CloudTrail" events of source "aws.lambda"';

/** Payloads of every kind that must be refused, the trigger whose example they start from, and the words. */
const malformed: [string, Trigger, (s: Input) => void, string][] = [
  [
    'an envelope without detail',
    'eventbridge-release-requested',
    (s) => delete (s.request as Record<string, unknown>).detail,
    'event.detail: is missing; an EventBridge event carries its payload in "detail"',
  ],
  [
    'an envelope without an id',
    'eventbridge-release-requested',
    (s) => delete (s.request as Record<string, unknown>).id,
    'event.id: is missing; EventBridge gives every event an id',
  ],
  [
    'a "Release Requested" detail that is not an object',
    'eventbridge-release-requested',
    releaseRequested('orders v2'),
    'event.detail: is "orders v2"; a release request is a JSON object with service, version, releaseId, overrides',
  ],
  [
    'a "Release Requested" detail with a field a request does not take',
    'eventbridge-release-requested',
    releaseRequested({ service: 'orders', version: 'v2', tag: 'v2' }),
    'event.detail: has unknown field "tag"; a release request takes only service, version, releaseId, overrides',
  ],
  [
    'a "Release Requested" detail whose version cannot name a target',
    'eventbridge-release-requested',
    releaseRequested({ service: 'orders', version: '../v2' }),
    'event.detail.version: "../v2" cannot name a target',
  ],
  [
    'a "Release Requested" event for a service with no profile',
    'eventbridge-release-requested',
    releaseRequested({ service: 'payments', version: 'v2' }),
    'event.detail.service: no release profile for "payments"; profiles exist for: orders',
  ],
  [
    'an event from a source stepshift does not handle',
    'eventbridge-release-requested',
    (s) => Object.assign(s.request, { source: 'com.example.ci' }),
    `event.source: "com.example.ci" is not a source stepshift handles; ${HANDLED}`,
  ],
  [
    "stepshift's own lifecycle event sent back to it",
    'eventbridge-release-requested',
    (s) => Object.assign(s.request, { 'detail-type': 'Release Started' }),
    `event.detail-type: "Release Started" is not an event stepshift handles from source "stepshift"; ${HANDLED}`,
  ],
  [
    'an ECR event that is not an image action',
    'ecr-push',
    (s) => Object.assign(s.request, { 'detail-type': 'ECR Image Scan' }),
    `event.detail-type: "ECR Image Scan" is not an event stepshift handles from source "aws.ecr"; ${HANDLED}`,
  ],
  [
    'an image deletion',
    'ecr-push',
    pushed({ 'action-type': 'DELETE' }),
    'event.detail.action-type: "DELETE" is not an image push; stepshift releases only "PUSH" actions',
  ],
  [
    'a failed push',
    'ecr-push',
    pushed({ result: 'FAILURE' }),
    'event.detail.result: "FAILURE" means the push failed; stepshift releases only pushes whose result is "SUCCESS"',
  ],
  [
    'a pushed tag the profile does not release',
    'ecr-push',
    pushed({ 'image-tag': 'latest' }),
    'event.detail.image-tag: "latest" does not match source.tagPattern "^v[0-9]+$" of the orders profile (the whole tag must match); this push is not released',
  ],
  [
    'a push by digest, without a tag',
    'ecr-push',
    pushed({ 'image-tag': '' }),
    'event.detail.image-tag: is empty: the image sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234 was pushed to "orders" without a tag; stepshift releases tagged images only, because the tag is the version',
  ],
  [
    'a push to a repository no profile names',
    'ecr-push',
    pushed({ 'repository-name': 'shop/payments' }),
    'event.detail.repository-name: no release profile has source.ecrRepository "shop/payments"; profiles name these repositories: orders',
  ],
  [
    'a push when no profile names a repository',
    'ecr-push',
    (s) => delete s.profile.source,
    'event.detail.repository-name: no release profile has source.ecrRepository "orders"; no profile names a repository yet',
  ],
  [
    'a push whose profile has a tag pattern that does not compile',
    'ecr-push',
    (s) => Object.assign(s.profile, { source: { ecrRepository: 'orders', tagPattern: '^v(' } }),
    'profile.source.tagPattern: "^v(" is not a regular expression stepshift can evaluate (missing closing ): `^v(`',
  ],
  [
    'an ECR detail that is not an object',
    'ecr-push',
    (s) => Object.assign(s.request, { detail: [] }),
    'event.detail: is a list; the detail of an "ECR Image Action" event is a JSON object with action-type, result, repository-name, image-digest, image-tag',
  ],
  [
    'a push of the version already live',
    'ecr-push',
    pushed({ 'image-tag': 'v1' }),
    'event.detail.image-tag: orders-v1 already receives all traffic on appmesh:shop/orders-router/orders-route; nothing to release',
  ],
  [
    'a CodePipeline Literal whose variable was not substituted',
    'codepipeline-literal',
    (s) => Object.assign(s.request, { version: '#{SourceVariables.ImageTag}' }),
    'request.version: "#{SourceVariables.ImageTag}" looks like a CodePipeline variable that was not substituted',
  ],
  [
    'a CodePipeline action without Input ({})',
    'codepipeline-literal',
    (s) => Object.assign(s, { request: {} }),
    'request: is an empty object; give at least the service and the version',
  ],
  [
    'a list as the input',
    'console',
    (s) => Object.assign(s, { request: [{ service: 'orders', version: 'v2' }] }),
    'request: is a list; a release request is a JSON object with service, version, releaseId, overrides',
  ],
  [
    'the request as a JSON string',
    'console',
    (s) => Object.assign(s, { request: '{"service":"orders","version":"v2"}' }),
    'request: is a JSON string that holds an object, not the object itself; the request was encoded twice',
  ],
];

describe('malformed payloads are refused by Prepare, in the state machine, before any weight moves', () => {
  it.each(malformed)('%s', async (_, trigger, change, words) => {
    const report = await rehearse(scenarioFrom(trigger, change));
    expect(report.outcome).toBe('rejected');
    expect(report.error?.name).toBe('InvalidRequest');
    expect(report.error?.message).toContain(words);
    expect(writesIn(report), 'no UpdateRoute was sent').toEqual([]);
    expect(report.timeline.map((e) => e.event)).toEqual(['release.rejected', 'execution.failed']);
  });
});

// A rehearsal holds one profile; two profiles claiming one repository are refused by the same
// Prepare handler, given both.
describe('an ECR push to a repository two profiles claim', () => {
  it('is refused, naming both services, with nothing written', async () => {
    const { profile, request } = example('ecr-push');
    const router = new FakeRouter([{ name: 'orders-v1', weight: 100 }]);
    const { deps, events } = fakeDeps(router, profile, [], {}, [{ ...profile, service: 'orders-eu' }]);
    const error = await makePrepareHandler(deps)({ request, execution }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).problems).toEqual([
      'event.detail.repository-name: "orders" is the source.ecrRepository of 2 profiles (orders, orders-eu); a repository releases one service: name it in one profile only',
    ]);
    expect(router.writes).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['release.rejected']);
  });
});
