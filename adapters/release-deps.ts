import type { ReleaseDeps } from '#core/ports.ts';
import { hooks } from './hooks-port.ts';
import { deploymentConfigs, ecs } from './lazy-ports.ts';
import {
  clock,
  controls,
  events,
  health,
  ledger,
  locks,
  profiles,
  type ReleaseDepsOptions,
  releaseProfiles,
  routerKinds,
  snapshots,
  wirePorts,
} from './port-builders.ts';
import { prepareRouterFor } from './prepare-router-port.ts';
import { callbacks, executions } from './sfn-ports.ts';

export type { ReleaseDepsOptions } from './port-builders.ts';

/**
 * Every port wired to its AWS adapter. The rehearsal comes through here, Lambda through the same
 * builders (only the ones each function lists); they differ only in the clients' transport, the
 * clock, the event sink and where profiles come from.
 */
export function createReleaseDeps(options: ReleaseDepsOptions): ReleaseDeps {
  return wirePorts(options, {
    // The rehearsal runs every function over these deps, Prepare among them.
    routerFor: prepareRouterFor,
    routerKinds,
    health,
    events,
    clock,
    profiles,
    ledger,
    locks,
    snapshots,
    releaseProfiles,
    executions,
    controls,
    callbacks,
    ecs,
    hooks,
    deploymentConfigs,
  });
}
