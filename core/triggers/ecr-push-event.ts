import * as z from 'zod/mini';
import { bounded, TEXT_LIMITS } from '../bounded-text.ts';
import { InvalidRequestError } from '../errors.ts';
import type { ProfileSource, RouterKinds } from '../ports.ts';
import { profileSchemaFor } from '../profile/profile.ts';

import { matchesWhole } from '../regex.ts';
import { describeIssues, fieldPath, requiredString, show } from '../validation.ts';
import { isJsonObject, type RequestCandidate, serviceOf } from './candidate.ts';
import type { Envelope } from './eventbridge-envelope.ts';

/**
 * The detail of Amazon ECR's "ECR Image Action" event, as published in "Amazon ECR events and
 * EventBridge" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html): the
 * same event reports pushes and deletions. Events from 2023 on also carry manifest-media-type and
 * artifact-media-type, and a push by digest alone carries an empty image-tag.
 */
export interface EcrImageActionDetail {
  readonly 'action-type': 'PUSH' | 'DELETE' | (string & {});
  readonly result: 'SUCCESS' | 'FAILURE' | (string & {});
  readonly 'repository-name': string;
  readonly 'image-digest'?: string;
  readonly 'image-tag'?: string;
  readonly 'manifest-media-type'?: string;
  readonly 'artifact-media-type'?: string;
}

/** [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}: the tag grammar of the OCI distribution spec, which ECR follows. */
const MAX_TAG_LENGTH = 128;

const DETAIL_FIELDS = 'action-type, result, repository-name, image-digest, image-tag';

/** Fields other than these (the media types, fields ECR may add) are read past, not refused. */
const detailSchema = z.object(
  {
    'action-type': z.literal('PUSH', {
      error: (iss) =>
        `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not an image push`}; stepshift releases only "PUSH" actions (an EventBridge rule matching "action-type": ["PUSH"] sends only those)`,
    }),
    result: z.literal('SUCCESS', {
      error: (iss) =>
        `${iss.input === undefined ? 'is missing' : `${show(iss.input)} means the push failed`}; stepshift releases only pushes whose result is "SUCCESS"`,
    }),
    'repository-name': requiredString('the ECR repository the image was pushed to'),
    'image-digest': z.optional(z.string({ error: 'must be text, the image digest such as "sha256:..."' })),
    // The distribution API ECR speaks (OCI distribution spec) takes tags of at most 128 characters; a
    // longer one is no tag ECR holds, and is refused before any pattern sees it.
    'image-tag': z.optional(
      z.string({ error: 'must be text, the tag the image was pushed with' }).check(
        z.maxLength(MAX_TAG_LENGTH, {
          error: (iss) =>
            `is ${String(iss.input).length} characters long; an image tag has at most ${MAX_TAG_LENGTH} (the OCI distribution spec ECR follows), so this is no tag ECR pushed`,
        }),
      ),
    ),
  },
  {
    error: (iss) =>
      `is ${show(iss.input)}; the detail of an "ECR Image Action" event is a JSON object with ${DETAIL_FIELDS}`,
  },
);

/** Compile-time proof that every detail ECR documents fits the schema. */
type Accepts<T extends z.input<typeof detailSchema>> = T;
export type EcrPushDetail = Accepts<EcrImageActionDetail & { 'action-type': 'PUSH'; result: 'SUCCESS' }>;

function ecrRepositoryOf(profile: unknown): string | undefined {
  const source = isJsonObject(profile) ? profile.source : undefined;
  return isJsonObject(source) && typeof source.ecrRepository === 'string' ? source.ecrRepository : undefined;
}

/**
 * An image pushed to ECR releases the service whose profile names the repository in
 * `source.ecrRepository`, at the version the image's tag names, when the whole tag matches the profile's
 * `source.tagPattern`. Anything else (a deletion, a failed push, a push without a tag, a tag the
 * pattern does not allow, a repository no profile or several profiles claim) is refused, never
 * released.
 *
 * Profiles are matched on their raw `source.ecrRepository`, so a broken profile of another service does
 * not stop this one; the profile that claims the repository is checked, and its problems reported.
 *
 * The release id is `ecr-<event id>`: EventBridge redelivers an event with the same id, so a
 * redelivered push is the same release.
 */
export async function fromEcrPush(
  event: Envelope<'ECR Image Action'>,
  profiles: ProfileSource,
  kinds: RouterKinds,
): Promise<RequestCandidate> {
  const parsed = detailSchema.safeParse(event.detail);
  if (!parsed.success) {
    // A deletion or a failed push is not a release at all; its other fields do not matter then.
    const what = parsed.error.issues.filter((i) => i.path[0] === 'action-type' || i.path[0] === 'result');
    throw new InvalidRequestError(
      (what.length ? what : parsed.error.issues).map(
        (issue) => `${fieldPath(['event.detail', ...issue.path])}: ${issue.message}`,
      ),
    );
  }
  const detail = parsed.data;
  const repository = detail['repository-name'];
  const tag = detail['image-tag'];
  if (!tag) {
    const digest = detail['image-digest'] ? ` ${bounded(detail['image-digest'], TEXT_LIMITS.shown)}` : '';
    throw new InvalidRequestError([
      `event.detail.image-tag: ${tag === undefined ? 'is missing' : 'is empty'}: the image${digest} was pushed to "${repository}" without a tag; stepshift releases tagged images only, because the tag is the version`,
    ]);
  }

  const all = await profiles.all();
  const claims = all.filter((p) => ecrRepositoryOf(p) === repository);
  if (claims.length === 0) {
    const known = [...new Set(all.map(ecrRepositoryOf).filter((r): r is string => r !== undefined))];
    throw new InvalidRequestError([
      `event.detail.repository-name: no release profile has source.ecrRepository "${repository}"; ${
        known.length
          ? `profiles name these repositories: ${known.join(', ')}`
          : 'no profile names a repository yet: add "source": {"ecrRepository", "tagPattern"} to the profile of the service it holds'
      }`,
    ]);
  }
  if (claims.length > 1) {
    throw new InvalidRequestError([
      `event.detail.repository-name: "${repository}" is the source.ecrRepository of ${claims.length} profiles (${claims.map(serviceOf).join(', ')}); a repository releases one service: name it in one profile only`,
    ]);
  }
  const checked = profileSchemaFor(kinds).safeParse(claims[0]);
  if (!checked.success) throw new InvalidRequestError(describeIssues(checked.error, 'profile'));
  const profile = checked.data;
  const pattern = profile.source && 'tagPattern' in profile.source ? profile.source.tagPattern : '';
  // RE2 (core/regex.ts): linear in the tag, whatever the pattern.
  if (!matchesWhole(pattern, tag)) {
    throw new InvalidRequestError([
      `event.detail.image-tag: "${tag}" does not match source.tagPattern ${show(pattern)} of the ${profile.service} profile (the whole tag must match); this push is not released`,
    ]);
  }
  return {
    trigger: 'ecr',
    request: { service: profile.service, version: tag, releaseId: `ecr-${event.id}` },
    root: 'event.detail',
    from: {
      service: 'event.detail.repository-name',
      version: 'event.detail.image-tag',
      releaseId: 'event.id',
    },
    profile,
  };
}
