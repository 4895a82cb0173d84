import { describe, expect, it } from 'vitest';
import { createEnvProfileSource } from '#adapters/config/env-profile-source.ts';

describe('profiles from STEPSHIFT_PROFILES', () => {
  it('finds a profile by service and lists the services', async () => {
    const source = createEnvProfileSource({
      STEPSHIFT_PROFILES: '[{"service":"orders"},{"service":"cart"}]',
    });
    expect(await source.profileFor('cart')).toEqual({ service: 'cart' });
    expect(await source.profileFor('payments')).toBeUndefined();
    expect(await source.services()).toEqual(['orders', 'cart']);
  });

  it('names the variable when it is not JSON or not a list', async () => {
    await expect(
      createEnvProfileSource({ STEPSHIFT_PROFILES: '{service: orders' }).services(),
    ).rejects.toThrow(/^STEPSHIFT_PROFILES is not JSON \(.*\); it must be a JSON array of release profiles$/);
    await expect(createEnvProfileSource({ STEPSHIFT_PROFILES: '{}' }).services()).rejects.toThrow(
      'STEPSHIFT_PROFILES must be a JSON array of release profiles',
    );
  });

  it('has no profiles when the variable is unset', async () => {
    expect(await createEnvProfileSource({}).services()).toEqual([]);
  });
});
