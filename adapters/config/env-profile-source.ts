import type { ProfileSource } from '#core/ports.ts';

/**
 * Profiles handed to the functions as a JSON array in STEPSHIFT_PROFILES. The core validates each
 * profile when a release asks for it, so one broken profile cannot stop releases of other services.
 */
export function createEnvProfileSource(env: NodeJS.ProcessEnv = process.env): ProfileSource {
  const readProfiles = (): { service?: unknown }[] => {
    const raw = env.STEPSHIFT_PROFILES;
    if (!raw) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw new Error(
        `STEPSHIFT_PROFILES is not JSON (${(error as Error).message}); it must be a JSON array of release profiles`,
      );
    }
    if (!Array.isArray(parsed))
      throw new Error('STEPSHIFT_PROFILES must be a JSON array of release profiles');
    return parsed as { service?: unknown }[];
  };
  return {
    async profileFor(service) {
      return readProfiles().find((p) => p?.service === service);
    },
    async services() {
      return readProfiles()
        .map((p) => p?.service)
        .filter((s): s is string => typeof s === 'string');
    },
    async all() {
      return readProfiles();
    },
  };
}
