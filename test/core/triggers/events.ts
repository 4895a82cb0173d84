import type { EventBridgeEvent } from 'aws-lambda';
import type { EcrImageActionDetail } from '#core/triggers/ecr-push-event.ts';
import { ordersProfile } from '../../support/profiles.ts';

/**
 * The "completed image push" event exactly as Amazon ECR's guide publishes it
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html), with the repository and
 * tag of the orders service. Events since 2023 also carry the two media types.
 */
export function ecrPush(
  detail: Partial<Record<keyof EcrImageActionDetail, unknown>> = {},
): EventBridgeEvent<'ECR Image Action', unknown> {
  return {
    version: '0',
    id: '13cde686-328b-6117-af20-0e5566167482',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2019-11-16T01:54:34Z',
    region: 'us-west-2',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': 'orders',
      'image-digest': 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
      'action-type': 'PUSH',
      'artifact-media-type': 'application/vnd.docker.container.image.v1+json',
      'image-tag': 'v7',
      'manifest-media-type': 'application/vnd.docker.distribution.manifest.v2+json',
      ...detail,
    },
  };
}

/** stepshift's own "Release Requested" event: the envelope EventBridge puts around the request. */
export function releaseRequested(detail: unknown = { service: 'orders', version: 'v2' }) {
  return {
    version: '0',
    id: '6a7e8f4b-1c2d-4e3f-9a8b-7c6d5e4f3a2b',
    'detail-type': 'Release Requested',
    source: 'stepshift',
    account: '123456789012',
    time: '2026-11-27T09:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail,
  } satisfies EventBridgeEvent<'Release Requested', unknown>;
}

/** The orders profile released by pushes of v<number> tags to its ECR repository. */
export function ordersFromEcr(source: unknown = { ecrRepository: 'orders', tagPattern: '^v[0-9]+$' }) {
  return ordersProfile({ source } as never);
}
