import { parseJsonObject } from '#routers/sim/http.ts';
import { uidFor } from '#routers/sim/ids.ts';
import { type Json, ServiceError } from '#routers/sim/service.ts';
import { overPutEventsLimit, PUT_EVENTS_TOO_LARGE } from './limits.ts';

/** The operations the simulated EventBridge serves; a scenario's fault may target any of them. */
export const EVENTBRIDGE_OPERATIONS = ['PutEvents'] as const;

/** PutEvents takes 1..10 entries a call. */
const MAX_PUT_EVENTS_ENTRIES = 10;

/** An event as it reached a bus through PutEvents. */
export interface BusEvent {
  /** Virtual seconds since the rehearsal started. */
  at: number;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** EventBridge's buses: every event put on one, in order. */
export class EventBridgeModel {
  /** Every event the release put on a bus, in order. */
  readonly busEvents: BusEvent[] = [];

  /**
   * EventBridge takes each entry on its own: a malformed one is refused in its result entry (and
   * counted in FailedEntryCount) while the others go through, as PutEvents does.
   */
  putEvents(input: Json, at: number): Json {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
      throw new ServiceError(
        'ValidationException',
        400,
        `Entries must hold 1 to ${MAX_PUT_EVENTS_ENTRIES} events; got ${Array.isArray(entries) ? entries.length : 'none'}`,
      );
    }
    if (overPutEventsLimit(entries)) throw new ServiceError('ValidationException', 400, PUT_EVENTS_TOO_LARGE);
    const results = entries.map((raw: unknown, i: number): Json => {
      const entry = (raw ?? {}) as Json;
      const missing = ['Source', 'DetailType', 'Detail'].find(
        (k) => typeof entry[k] !== 'string' || entry[k] === '',
      );
      if (missing)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${missing} is not valid.` };
      const detail = parseJsonObject(entry.Detail as string);
      if (detail.error !== undefined)
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      this.busEvents.push({
        at,
        eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: detail.value,
      });
      return { EventId: uidFor(`event/${this.busEvents.length}/${i}`) };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }
}
