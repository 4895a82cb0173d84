import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretValues, SECRET_CACHE_SECONDS } from '#adapters/aws/secrets-manager.ts';

const sm = mockClient(SecretsManagerClient);
beforeEach(() => sm.reset());

const client = () => new SecretsManagerClient({ region: 'us-east-1', maxAttempts: 1 });

describe('webhook secrets from Secrets Manager', () => {
  it('reads a secret once and keeps it for five minutes in the container', async () => {
    let now = Date.UTC(2026, 0, 1);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'whsec_one' });
    const secrets = createSecretValues(client(), () => new Date(now));
    expect(await secrets.value('stepshift/orders-hooks')).toBe('whsec_one');
    now += (SECRET_CACHE_SECONDS - 1) * 1000;
    expect(await secrets.value('stepshift/orders-hooks')).toBe('whsec_one');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'whsec_rotated' });
    now += 2000;
    expect(await secrets.value('stepshift/orders-hooks')).toBe('whsec_rotated');
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'stepshift/orders-hooks' },
      { SecretId: 'stepshift/orders-hooks' },
    ]);
  });

  it('keeps no failure: the next call asks again', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(
        Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), {
          name: 'AccessDeniedException',
        }),
      )
      .resolves({ SecretString: 'whsec_one' });
    const secrets = createSecretValues(client());
    await expect(secrets.value('orders-hooks')).rejects.toThrow(
      'could not read secret orders-hooks: AccessDeniedException: User is not authorized to perform secretsmanager:GetSecretValue',
    );
    expect(await secrets.value('orders-hooks')).toBe('whsec_one');
  });

  it('refuses a binary secret, saying to store text', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(createSecretValues(client()).value('orders-hooks')).rejects.toThrow(
      'secret orders-hooks holds binary data; store its value as text',
    );
  });
});
