import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { excerpt } from '#core/excerpt.ts';
import { awsErrorName, errorMessage } from './aws-errors.ts';

/**
 * How long a Lambda container keeps a secret's value: long enough that a release's hooks read it
 * once or twice, short enough that a rotated secret reaches every container within minutes.
 */
export const SECRET_CACHE_SECONDS = 300;

/** Secrets by name or ARN, as Secrets Manager's SecretId takes them. */
export interface SecretValues {
  /**
   * The secret's current text (SecretString).
   * @throws SecretUnavailableError saying why, never with the value.
   */
  value(secretId: string): Promise<string>;
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailable';
}

/**
 * GetSecretValue (the AWSCURRENT version), each value cached for SECRET_CACHE_SECONDS per container.
 * A failed read is not cached, so the next call asks again.
 */
export function createSecretValues(
  client: SecretsManagerClient,
  now: () => Date = () => new Date(),
  cacheSeconds = SECRET_CACHE_SECONDS,
): SecretValues {
  const cache = new Map<string, { readonly until: number; readonly value: Promise<string> }>();
  async function read(secretId: string): Promise<string> {
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
    } catch (error) {
      throw new SecretUnavailableError(
        `could not read secret ${secretId}: ${awsErrorName(error)}: ${excerpt(errorMessage(error))}`,
      );
    }
    if (text === undefined) {
      throw new SecretUnavailableError(`secret ${secretId} holds binary data; store its value as text`);
    }
    return text;
  }
  return {
    value(secretId) {
      const at = now().getTime();
      const cached = cache.get(secretId);
      if (cached && cached.until > at) return cached.value;
      const entry = { until: at + cacheSeconds * 1000, value: read(secretId) };
      cache.set(secretId, entry);
      entry.value.catch(() => {
        if (cache.get(secretId) === entry) cache.delete(secretId);
      });
      return entry.value;
    },
  };
}
