import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PROFILES_IN_LAYER } from '#adapters/config/layer-profile-source.ts';
import type { ProfileInput } from '#core/profile/profile.ts';

import type { DeployedFunction } from './profile-permissions.ts';

/**
 * The functions that read the deployed profiles: Prepare (the request's service, an ECR push's
 * repository) and the alarm function (the services whose profiles name an alarm). The other states
 * load the profile their release runs with from the table.
 */
export const READS_PROFILES: ReadonlySet<DeployedFunction> = new Set(['Prepare', 'Alarm']);

/**
 * The profiles as declared (the functions validate each when a release asks for it) in a Lambda layer
 * of their own, so that only the functions that read them get them, and not in any function's code:
 * changing a profile publishes a new layer version and leaves every function's code as it was. A
 * layer, not S3 or SSM: nothing to call or grant at run time (Lambda extracts layers under /opt before
 * the function starts), nothing that runs or bills between releases, no 4 KB limit as in the
 * environment (a function and its layers may hold 250 MB unzipped), and a profile still changes only
 * by a reviewed, synth-checked deploy.
 */
export function createProfilesLayer(
  scope: Construct,
  id: string,
  profiles: readonly ProfileInput[],
): lambda.LayerVersion {
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(profilesDirectory(profiles)),
    compatibleRuntimes: [lambda.Runtime.NODEJS_24_X],
    compatibleArchitectures: [lambda.Architecture.ARM_64],
    description: `stepshift release profiles (${PROFILES_IN_LAYER}), read by Prepare and the alarm function`,
  });
}

/**
 * A directory holding the profiles where the layer carries them, one per content (the asset's hash is
 * its content's, so the same profiles make the same layer version). Written through a rename, so a
 * synth running beside another never reads a half-written file.
 */
function profilesDirectory(profiles: readonly ProfileInput[]): string {
  const json = JSON.stringify(profiles);
  const digest = createHash('sha256').update(json).digest('hex').slice(0, 32);
  const directory = join(tmpdir(), `stepshift-profiles-${digest}`);
  const file = join(directory, PROFILES_IN_LAYER);
  mkdirSync(dirname(file), { recursive: true });
  // Beside the directory, not in it: whatever is in it goes into the layer.
  const partial = `${directory}.${process.pid}.partial`;
  writeFileSync(partial, json);
  renameSync(partial, file);
  return directory;
}
