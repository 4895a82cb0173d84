import { events, locks, releaseProfiles } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { releaseLoader, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Promote the new version": all traffic to it, verified. */
export const makePromoteHandler = (
  deps: Parameters<typeof promoteRelease>[1] & Pick<ReleaseDeps, 'releaseProfiles'>,
) => {
  const load = releaseLoader(deps);
  return async (event: unknown) => toWire(await promoteRelease(await load(event), deps));
};

export const handler = lambdaHandler(makePromoteHandler, { routerFor, events, locks, releaseProfiles });
