import { vi } from 'vitest';

/** An environment where the SDK finds nothing: no region, no credentials, no files, no instance metadata. */
export function nothingConfigured(): void {
  for (const name of [
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/stepshift-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/stepshift-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

/** Credentials in the environment, so the SDK gets as far as the endpoint. */
export function withCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
}
