import { readFile } from 'node:fs/promises';
import type { ProfileSource } from '#core/ports.ts';

/**
 * Where the profiles sit inside the construct's profiles layer, and so under /opt, where Lambda
 * extracts a function's layers (Lambda developer guide, "Working with Lambda layers").
 */
export const PROFILES_IN_LAYER = 'stepshift/profiles.json';

/** The variable the construct sets, on the functions given the profiles layer only, to that file. */
export const PROFILES_FILE_VARIABLE = 'STEPSHIFT_PROFILES_FILE';

/**
 * The deployed profiles, a JSON array in a file of the profiles layer, read once per Lambda instance (a
 * function's layers do not change while it runs). The core validates each profile when a release asks
 * for it, so one broken profile cannot stop releases of other services. A function without the layer
 * fails when it asks, never as if no profile existed.
 */
export function createLayerProfileSource(
  file: string | undefined = process.env[PROFILES_FILE_VARIABLE],
): ProfileSource {
  let read: Promise<{ service?: unknown }[]> | undefined;
  const readProfiles = (): Promise<{ service?: unknown }[]> => {
    read ??= load(file);
    return read;
  };
  return {
    async profileFor(service) {
      return (await readProfiles()).find((p) => p?.service === service);
    },
    async services() {
      return (await readProfiles()).map((p) => p?.service).filter((s): s is string => typeof s === 'string');
    },
    async all() {
      return [...(await readProfiles())];
    },
  };
}

async function load(file: string | undefined): Promise<{ service?: unknown }[]> {
  if (!file) {
    throw new Error(
      `${PROFILES_FILE_VARIABLE} is not set, so this function has no release profiles; the ReleaseOrchestrator construct gives them, as a layer, to Prepare and the alarm function only`,
    );
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the function is missing the profiles layer the ReleaseOrchestrator construct gives it`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${file} is not JSON (${(error as Error).message}); it must be a JSON array of release profiles`,
    );
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} must be a JSON array of release profiles`);
  return parsed as { service?: unknown }[];
}
