import type { ProfileSource } from '#core/ports.ts';

/** Profiles known up front (a rehearsal's scenario, a test). */
export function createStaticProfileSource(profiles: readonly unknown[]): ProfileSource {
  const serviceOf = (p: unknown) => (p as { service?: unknown } | null)?.service;
  return {
    async profileFor(service) {
      return profiles.find((p) => serviceOf(p) === service);
    },
    async services() {
      return profiles.map(serviceOf).filter((s): s is string => typeof s === 'string');
    },
    async all() {
      return [...profiles];
    },
  };
}
