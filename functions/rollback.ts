import { hooks } from '#adapters/hooks-port.ts';
import { controls, events, locks, releaseProfiles } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { type RollbackDeps, rollBack } from '#core/release/rollback.ts';
import { releaseLoader } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/**
 * "Roll back": the snapshot's weights restored and verified; the reason becomes the execution's cause.
 * The release is loaded after the rollback is announced, so an attempt that cannot load it is told too.
 */
export const makeRollbackHandler = (deps: RollbackDeps & Pick<ReleaseDeps, 'releaseProfiles'>) => {
  const load = releaseLoader(deps);
  return (event: unknown) => rollBack(event, deps, load);
};

export const handler = lambdaHandler(makeRollbackHandler, {
  routerFor,
  events,
  locks,
  controls,
  hooks,
  releaseProfiles,
});
