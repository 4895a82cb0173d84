import { Logger } from '@aws-lambda-powertools/logger';
import type { EventSink } from '#core/ports.ts';
import type { ReleaseEvent } from '#core/shapes.ts';

/** One shared logger per Lambda instance; every line carries the release id it concerns. */
export const logger = new Logger({ serviceName: 'stepshift' });

/** Writes each release event as one structured JSON log line, searchable in CloudWatch Logs Insights. */
export function createLogEventSink(log: Logger = logger): EventSink {
  return {
    emit(event: ReleaseEvent) {
      // "service" is the logger's own key (stepshift); the released service gets its own name.
      log.appendKeys({ releaseId: event.releaseId, releasedService: event.service });
      const { type, ...detail } = event;
      if (
        type === 'release.halted' ||
        type === 'release.failed' ||
        type === 'rollback.started' ||
        type === 'release.rolled_back' ||
        type === 'release.rejected'
      ) {
        log.warn(type, { detail });
      } else {
        log.info(type, { detail });
      }
    },
  };
}
