import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HookRunner } from '#core/ports.ts';
import type { WebhookTransport } from '../webhook/transport.ts';
import type { AwsClientSource } from './client-source.ts';
import { createHookRunner } from './lambda-hooks.ts';
import { createSecretValues } from './secrets-manager.ts';

/**
 * The profile's Lambda hooks through the Lambda client, webhooks with their secrets from Secrets
 * Manager, over the functions' SDK clients; hooks-port.ts imports this module when a hook first runs.
 */
export function hookRunnerOver(
  aws: AwsClientSource,
  options: { readonly webhook?: WebhookTransport | undefined; readonly now: () => Date },
): HookRunner {
  return createHookRunner(aws.client(LambdaClient), {
    ...(options.webhook === undefined ? {} : { webhook: options.webhook }),
    secrets: createSecretValues(aws.client(SecretsManagerClient), options.now),
    now: options.now,
  });
}
