/**
 * EventBridge's PutEvents size rule ("Calculating Amazon EventBridge PutEvents event entry size",
 * EventBridge user guide): an entry counts 14 bytes for Time when given, the UTF-8 bytes of Source and
 * DetailType, of Detail when given, and of each Resources entry; the entries of one request must come
 * to less than 256 KB. Over it, AWS refuses the whole request with a ValidationException, "Total size
 * of the entries in the request is over the limit." (the message SDK users report).
 */
export const PUT_EVENTS_LIMIT_BYTES = 256 * 1024;

export const PUT_EVENTS_TOO_LARGE = 'Total size of the entries in the request is over the limit.';

const utf8 = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);

/** One PutEventsRequestEntry's size as EventBridge counts it. */
export function putEventsEntryBytes(entry: Readonly<Record<string, unknown>>): number {
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined ? 0 : 14) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    resources.reduce((sum: number, r: unknown) => sum + utf8(r), 0)
  );
}

/** Whether the request's entries together are over the limit (the boundary byte itself is allowed). */
export function overPutEventsLimit(entries: readonly unknown[]): boolean {
  const total = entries.reduce(
    (sum: number, e) => sum + putEventsEntryBytes((e ?? {}) as Record<string, unknown>),
    0,
  );
  return total > PUT_EVENTS_LIMIT_BYTES;
}
