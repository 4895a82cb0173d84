import { createHash } from 'node:crypto';

/** Identifiers the simulated services make up, derived from what they name so every run has the same. */

/** A UUID-shaped id for this key. */
export function uidFor(key: string): string {
  const hex = hexOf(key);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The first `length` hex digits of this key's SHA-256. */
export function hexOf(key: string, length = 64): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, length);
}

/** JSON with object keys sorted, so two documents that differ only in key order compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
