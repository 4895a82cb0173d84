import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LIFECYCLE_SOURCE, lifecycleEventOf } from '#core/lifecycle.ts';
import type { EventSink } from '#core/ports.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { awsErrorName, errorMessage } from './aws-errors.ts';
import type { AwsClientSource } from './client-source.ts';

/** An event the bus did not take, and why, for the caller to log. */
export interface UndeliveredEvent {
  readonly detailType: string;
  readonly releaseId: string;
  readonly problem: string;
}

/**
 * Puts each lifecycle event on the bus (source "stepshift"), for teams' own rules to route to chat or
 * on-call. A bus that refuses an event, after the SDK's retries, does not stop the release: traffic is
 * what matters, so the refusal goes to `onUndelivered` (a log line on AWS) and the release goes on.
 */
export function createEventBridgeEventSink(
  client: EventBridgeClient,
  eventBusName: string,
  onUndelivered: (undelivered: UndeliveredEvent) => void,
): EventSink {
  return {
    async emit(event: ReleaseEvent) {
      const lifecycle = lifecycleEventOf(event);
      if (!lifecycle) return;
      const { detailType, detail } = lifecycle;
      try {
        const result = await client.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: eventBusName,
                Source: LIFECYCLE_SOURCE,
                DetailType: detailType,
                Detail: JSON.stringify(detail),
              },
            ],
          }),
        );
        const failed = result.Entries?.find((e) => e.ErrorCode);
        if (result.FailedEntryCount || failed) {
          onUndelivered({
            detailType,
            releaseId: detail.releaseId,
            problem: `${failed?.ErrorCode ?? 'FailedEntry'}: ${failed?.ErrorMessage ?? 'the bus did not take the event'}`,
          });
        }
      } catch (error) {
        onUndelivered({
          detailType,
          releaseId: detail.releaseId,
          problem: `${awsErrorName(error)}: ${errorMessage(error)}`,
        });
      }
    },
  };
}

/** The sink over the functions' (or the rehearsal's) SDK clients: Lambda's handlers and the rehearsal alike. */
export function eventBridgeEventSinkOver(
  aws: AwsClientSource,
  eventBusName: string,
  onUndelivered: (undelivered: UndeliveredEvent) => void,
): EventSink {
  return createEventBridgeEventSink(aws.client(EventBridgeClient), eventBusName, onUndelivered);
}
