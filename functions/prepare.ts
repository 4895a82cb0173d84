import { deploymentConfigs, ecs, executionsOnFirstUse } from '#adapters/lazy-ports.ts';
import {
  clock,
  controls,
  events,
  health,
  ledger,
  locks,
  profiles,
  releaseProfiles,
  routerKinds,
} from '#adapters/port-builders.ts';
import { prepareRouterFor } from '#adapters/prepare-router-port.ts';
import { type PrepareDeps, type PrepareInput, prepareOrReject } from '#core/release/prepare.ts';
import { toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/**
 * "Prepare the release": the trigger's input in, a checked and planned release out, its profile stored
 * in the table and named in the output by its digest (core/release/wire.ts).
 */
export const makePrepareHandler = (deps: PrepareDeps) => async (event: PrepareInput) =>
  toWire(await prepareOrReject(event, deps));

export const handler = lambdaHandler(makePrepareHandler, {
  profiles,
  routerKinds,
  deploymentConfigs,
  routerFor: prepareRouterFor,
  health,
  ecs,
  clock,
  events,
  locks,
  releaseProfiles,
  ledger,
  controls,
  executions: executionsOnFirstUse,
});
