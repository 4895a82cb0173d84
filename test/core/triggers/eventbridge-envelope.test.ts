import { describe, expect, it } from 'vitest';
import { looksLikeEnvelope, parseEnvelope } from '#core/triggers/eventbridge-envelope.ts';
import { problemsOf } from '../../support/problems.ts';
import { ecrPush, releaseRequested } from './events.ts';

const HANDLED =
  'it starts releases from "Release Requested" events of source "stepshift" and "ECR Image Action" events of source "aws.ecr" and "AWS API Call via CloudTrail" events of source "aws.lambda"';

describe('telling an EventBridge envelope from a request', () => {
  it.each([
    [releaseRequested(), true],
    [ecrPush(), true],
    [{ source: 'stepshift', 'detail-type': 'Release Requested' }, true],
    [{ detail: { service: 'orders' } }, true],
    [{ service: 'orders', version: 'v2' }, false],
    [{ service: 'orders', version: 'v2', source: 'ci' }, false],
    [[releaseRequested()], false],
    ['{"detail-type":"Release Requested"}', false],
    [null, false],
  ])('%j is an envelope: %s', (input, expected) => {
    expect(looksLikeEnvelope(input)).toBe(expected);
  });
});

describe('parseEnvelope', () => {
  it('says which handled event it is, keeping the fields stepshift reads', () => {
    expect(parseEnvelope(releaseRequested())).toEqual({
      kind: 'release-requested',
      event: {
        id: '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b',
        source: 'stepshift',
        'detail-type': 'Release Requested',
        detail: { service: 'orders', version: 'v2' },
      },
    });
    expect(parseEnvelope(ecrPush()).kind).toBe('ecr-image-action');
  });

  it('needs only id, source, detail-type and detail (a hand-written rehearsal event may omit the rest)', () => {
    const { id, source, detail } = releaseRequested();
    expect(parseEnvelope({ id, source, 'detail-type': 'Release Requested', detail }).kind).toBe(
      'release-requested',
    );
  });

  it('names every missing envelope field at once', () => {
    expect(problemsOf(() => parseEnvelope({ 'detail-type': 'Release Requested' }))).toEqual([
      'event.id: is missing; EventBridge gives every event an id (the release id comes from it)',
      `event.source: is missing; give the event's source; stepshift starts releases from "Release Requested" events of source "stepshift" and "ECR Image Action" events of source "aws.ecr" and "AWS API Call via CloudTrail" events of source "aws.lambda"`,
      'event.detail: is missing; an EventBridge event carries its payload in "detail"',
    ]);
  });

  it('refuses an envelope without detail', () => {
    const { detail: _, ...event } = releaseRequested();
    expect(problemsOf(() => parseEnvelope(event))).toEqual([
      'event.detail: is missing; an EventBridge event carries its payload in "detail"',
    ]);
  });

  it('refuses a source it does not handle, listing the two it does', () => {
    expect(problemsOf(() => parseEnvelope({ ...releaseRequested(), source: 'com.example.ci' }))).toEqual([
      `event.source: "com.example.ci" is not a source stepshift handles; ${HANDLED}`,
    ]);
  });

  it('refuses a detail-type it does not handle from a source it knows', () => {
    // stepshift's own lifecycle events share its source: a rule matching on source alone would send them.
    expect(
      problemsOf(() => parseEnvelope({ ...releaseRequested(), 'detail-type': 'Release Started' })),
    ).toEqual([
      `event.detail-type: "Release Started" is not an event stepshift handles from source "stepshift"; ${HANDLED}`,
    ]);
    expect(problemsOf(() => parseEnvelope({ ...ecrPush(), 'detail-type': 'ECR Image Scan' }))).toEqual([
      `event.detail-type: "ECR Image Scan" is not an event stepshift handles from source "aws.ecr"; ${HANDLED}`,
    ]);
  });

  it('refuses envelope fields of the wrong type', () => {
    expect(problemsOf(() => parseEnvelope({ ...releaseRequested(), id: 7 }))).toEqual([
      'event.id: 7 is not text; EventBridge gives every event an id (the release id comes from it)',
    ]);
  });
});
