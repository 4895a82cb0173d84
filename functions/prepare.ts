import type { ReleaseDeps } from '#core/ports.ts';
import { type PrepareInput, prepareOrReject } from '#core/release/prepare.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Prepare the release": the trigger's input in, a checked and planned release out. */
export const makePrepareHandler = (deps: ReleaseDeps) => (event: PrepareInput) =>
  prepareOrReject(event, deps);

export const handler = lambdaHandler(makePrepareHandler);
