import { isJsonObject, type RequestCandidate } from './candidate.ts';
import type { Envelope } from './eventbridge-envelope.ts';

/**
 * stepshift's own EventBridge event, for teams that start releases from their own tooling:
 *
 *   aws events put-events --entries '[{"Source": "stepshift", "DetailType": "Release Requested",
 *     "Detail": "{\"service\": \"orders\", \"version\": \"v2\"}"}]'
 *
 * The detail is the release request. Without a releaseId in it, the release id is the event's id:
 * EventBridge delivers at least once, and a redelivered event keeps its id, so a redelivery is the same
 * release rather than a second one.
 */
export function fromReleaseRequested(event: Envelope<'Release Requested'>): RequestCandidate {
  const { detail } = event;
  const defaulted = isJsonObject(detail) && !('releaseId' in detail);
  return {
    trigger: 'eventbridge',
    request: defaulted ? { ...detail, releaseId: event.id } : detail,
    root: 'event.detail',
    from: defaulted ? { releaseId: 'event.id' } : {},
  };
}
