import { hooks } from '#adapters/hooks-port.ts';
import { controls, events, locks, releaseProfiles } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { finishRelease } from '#core/release/promote.ts';
import { releaseLoader } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Finish the release": the promoted release's closing event and output. */
export const makeFinishHandler = (
  deps: Parameters<typeof finishRelease>[1] & Pick<ReleaseDeps, 'releaseProfiles'>,
) => {
  const load = releaseLoader(deps);
  return async (event: unknown) => finishRelease(await load(event), deps);
};

export const handler = lambdaHandler(makeFinishHandler, {
  routerFor,
  events,
  locks,
  controls,
  hooks,
  releaseProfiles,
});
