import type { ProfileSource, RouterKinds } from '../ports.ts';
import type { RequestCandidate } from './candidate.ts';
import { fromEcrPush } from './ecr-push-event.ts';
import { looksLikeEnvelope, parseEnvelope } from './eventbridge-envelope.ts';
import { fromLambdaPublish } from './lambda-publish-event.ts';
import { fromReleaseRequest } from './release-request.ts';
import { fromReleaseRequested } from './release-requested-event.ts';

/**
 * Turns whatever started the execution into a request candidate: an EventBridge envelope (stepshift's
 * "Release Requested" event, an ECR image push, or a Lambda version published) or the request itself (console, CLI, CodePipeline).
 * The same code runs on AWS and in rehearsal, so a payload is accepted or refused the same way in both.
 * @throws InvalidRequestError when the payload is not one stepshift can turn into a request.
 */
export async function normaliseTrigger(
  input: unknown,
  profiles: ProfileSource,
  kinds: RouterKinds,
): Promise<RequestCandidate> {
  if (!looksLikeEnvelope(input)) return fromReleaseRequest(input);
  const handled = parseEnvelope(input);
  switch (handled.kind) {
    case 'release-requested':
      return fromReleaseRequested(handled.event);
    case 'ecr-image-action':
      return fromEcrPush(handled.event, profiles, kinds);
    case 'lambda-publish-version':
      return fromLambdaPublish(handled.event, profiles, kinds);
  }
}
