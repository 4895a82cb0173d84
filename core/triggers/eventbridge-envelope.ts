import type { EventBridgeEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { InvalidRequestError } from '../errors.ts';
import { describeIssues, show } from '../validation.ts';
import { isJsonObject } from './candidate.ts';

/**
 * An EventBridge rule whose target is the state machine starts the execution with the whole event as
 * its input: the envelope EventBridge wraps every event in, the payload in `detail`.
 */
export const RELEASE_REQUESTED = { source: 'stepshift', detailType: 'Release Requested' } as const;
export const ECR_IMAGE_ACTION = { source: 'aws.ecr', detailType: 'ECR Image Action' } as const;
/**
 * Lambda's PublishVersion call, as CloudTrail delivers it to EventBridge (Lambda's management events:
 * eventSource lambda.amazonaws.com; CloudTrail names Lambda's calls with their API version,
 * "PublishVersion20150331", hence a prefix).
 */
export const LAMBDA_PUBLISH_VERSION = {
  source: 'aws.lambda',
  detailType: 'AWS API Call via CloudTrail',
  eventSource: 'lambda.amazonaws.com',
  eventName: 'PublishVersion',
} as const;

const HANDLED = [RELEASE_REQUESTED, ECR_IMAGE_ACTION, LAMBDA_PUBLISH_VERSION];
const HANDLED_TEXT = HANDLED.map((h) => `"${h.detailType}" events of source "${h.source}"`).join(' and ');

function text(what: string) {
  return z
    .string({
      error: (iss) =>
        iss.input === undefined ? `is missing; ${what}` : `${show(iss.input)} is not text; ${what}`,
    })
    .check(z.minLength(1, { error: `is empty; ${what}` }));
}

/**
 * The envelope's fields stepshift reads. EventBridge always sends all of EventBridgeEvent's fields;
 * the others (version, account, time, region, resources) are not needed, so a hand-written event in a
 * rehearsal may leave them out.
 */
const envelopeSchema = z.object({
  id: text('EventBridge gives every event an id (the release id comes from it)'),
  source: text(`give the event's source; stepshift starts releases from ${HANDLED_TEXT}`),
  'detail-type': text(`give the event's detail-type; stepshift starts releases from ${HANDLED_TEXT}`),
  detail: z.unknown().check(
    z.refine((detail) => detail !== undefined, {
      error: 'is missing; an EventBridge event carries its payload in "detail"',
    }),
  ),
  version: z.optional(z.string()),
  account: z.optional(z.string()),
  time: z.optional(z.string()),
  region: z.optional(z.string()),
  resources: z.optional(z.array(z.string())),
});

/** Compile-time proof that every event EventBridge delivers (as @types/aws-lambda types it) fits the schema. */
type Accepts<T extends z.input<typeof envelopeSchema>> = T;
export type EventBridgeEnvelope = Accepts<EventBridgeEvent<string, unknown>>;

/**
 * Whether the execution input is an EventBridge envelope rather than a request. "detail-type" and
 * "detail" are fields no release request has, so either one means the sender meant an event.
 */
export function looksLikeEnvelope(input: unknown): input is Record<string, unknown> {
  return isJsonObject(input) && ('detail-type' in input || 'detail' in input);
}

/** The part of EventBridge's envelope stepshift reads. */
export type Envelope<TDetailType extends string> = Pick<
  EventBridgeEvent<TDetailType, unknown>,
  'id' | 'source' | 'detail-type' | 'detail'
>;

export type HandledEvent =
  | { readonly kind: 'release-requested'; readonly event: Envelope<'Release Requested'> }
  | { readonly kind: 'ecr-image-action'; readonly event: Envelope<'ECR Image Action'> }
  | { readonly kind: 'lambda-publish-version'; readonly event: Envelope<'AWS API Call via CloudTrail'> };

/**
 * Checks the envelope and says which of the events stepshift handles it is.
 * @throws InvalidRequestError naming the envelope's fields ("event.detail-type: ...").
 */
export function parseEnvelope(input: unknown): HandledEvent {
  const parsed = envelopeSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(describeIssues(parsed.error, 'event'));
  const { id, source, 'detail-type': detailType, detail } = parsed.data;
  if (source === RELEASE_REQUESTED.source && detailType === RELEASE_REQUESTED.detailType) {
    return { kind: 'release-requested', event: { id, source, 'detail-type': detailType, detail } };
  }
  if (source === ECR_IMAGE_ACTION.source && detailType === ECR_IMAGE_ACTION.detailType) {
    return { kind: 'ecr-image-action', event: { id, source, 'detail-type': detailType, detail } };
  }
  if (source === LAMBDA_PUBLISH_VERSION.source && detailType === LAMBDA_PUBLISH_VERSION.detailType) {
    return { kind: 'lambda-publish-version', event: { id, source, 'detail-type': detailType, detail } };
  }
  if (!HANDLED.some((h) => h.source === source)) {
    throw new InvalidRequestError([
      `event.source: ${show(source)} is not a source stepshift handles; it starts releases from ${HANDLED_TEXT}`,
    ]);
  }
  throw new InvalidRequestError([
    `event.detail-type: ${show(detailType)} is not an event stepshift handles from source ${show(source)}; it starts releases from ${HANDLED_TEXT}`,
  ]);
}
