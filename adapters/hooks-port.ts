import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHookRunner } from './aws/lambda-hooks.ts';
import { createSecretValues } from './aws/secrets-manager.ts';
import type { PortBuilder } from './port-builders.ts';

/**
 * The hooks port: the profile's Lambda hooks through the Lambda client, webhooks with their secrets
 * from Secrets Manager. A module of its own, imported only by the functions that run hooks
 * (port-builders.ts says why).
 */
export const hooks: PortBuilder<'hooks'> = (o) =>
  createHookRunner(o.aws.client(LambdaClient), {
    ...(o.webhook === undefined ? {} : { webhook: o.webhook }),
    secrets: createSecretValues(o.aws.client(SecretsManagerClient), () => o.clock.now()),
    now: () => o.clock.now(),
  });
