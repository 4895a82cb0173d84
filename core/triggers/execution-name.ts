import { createHash } from 'node:crypto';

/**
 * Step Functions execution names: 1..80 characters. StartExecution refuses whitespace, brackets and
 * most punctuation, and CloudWatch Logs wants ASCII letters, digits, "-" and "_" only: keep to those.
 */
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const HASH_LENGTH = 12;

/**
 * The execution name for a release id. A Standard execution's name is unique for 90 days: starting it
 * again returns the running execution (same input) or fails with ExecutionAlreadyExists, so starting the
 * same release twice never runs it twice.
 * A release id that is a valid name is used as it is; any other is made readable (other characters
 * become "-", cut to fit) and followed by a short hash of the whole id, so different ids stay different.
 * @example executionNameFor('orders-v2-1') === 'orders-v2-1'
 * @example executionNameFor('orders v2 (hotfix)') === 'orders-v2-hotfix-<12 hex digits>'
 */
export function executionNameFor(releaseId: string): string {
  if (EXECUTION_NAME.test(releaseId)) return releaseId;
  const hash = createHash('sha256').update(releaseId, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  const readable = releaseId
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, 80 - HASH_LENGTH - 1)
    .replace(/^-+|-+$/g, '');
  return readable ? `${readable}-${hash}` : hash;
}
