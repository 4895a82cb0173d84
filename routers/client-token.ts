import { createHash } from 'node:crypto';

/**
 * The client token for an idempotency key, as App Mesh's writes and VPC Lattice's CreateRule take one
 * (App Mesh's: at most 36 letters, digits, "-" and "_"): the key's SHA-256 laid out like a UUID, so a
 * retried write sends the same token and the service treats it as done.
 */
export function clientTokenFor(idempotencyKey: string): string {
  const hex = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
  const groups = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)];
  return groups.join('-');
}
