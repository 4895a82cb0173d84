import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLayerProfileSource } from '#adapters/config/layer-profile-source.ts';

/** A profiles.json as the construct's layer holds it. */
function profilesFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'stepshift-profiles-')), 'profiles.json');
  writeFileSync(file, text);
  return file;
}

describe('profiles from the profiles layer', () => {
  it('finds a profile by service and lists the services', async () => {
    const source = createLayerProfileSource(profilesFile('[{"service":"orders"},{"service":"cart"}]'));
    expect(await source.profileFor('cart')).toEqual({ service: 'cart' });
    expect(await source.profileFor('payments')).toBeUndefined();
    expect(await source.services()).toEqual(['orders', 'cart']);
  });

  it('names the file when it is not JSON or not a list', async () => {
    const notJson = profilesFile('{service: orders');
    await expect(createLayerProfileSource(notJson).services()).rejects.toThrow(
      new RegExp(`^${notJson} is not JSON \\(.*\\); it must be a JSON array of release profiles$`),
    );
    const notList = profilesFile('{}');
    await expect(createLayerProfileSource(notList).services()).rejects.toThrow(
      `${notList} must be a JSON array of release profiles`,
    );
  });

  it('refuses to answer, rather than answer "no profiles", in a function without the layer', async () => {
    await expect(createLayerProfileSource(undefined).services()).rejects.toThrow(
      'STEPSHIFT_PROFILES_FILE is not set, so this function has no release profiles; the ReleaseOrchestrator construct gives them, as a layer, to Prepare and the alarm function only',
    );
    await expect(createLayerProfileSource('/opt/stepshift/nothing-here.json').all()).rejects.toThrow(
      '/opt/stepshift/nothing-here.json cannot be read (ENOENT); the function is missing the profiles layer the ReleaseOrchestrator construct gives it',
    );
  });
});
