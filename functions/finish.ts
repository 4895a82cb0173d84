import type { ReleaseDeps } from '#core/ports.ts';
import { finishRelease } from '#core/release/promote.ts';
import { loadRelease } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Finish the release": the promoted release's closing event and output. */
export const makeFinishHandler = (deps: ReleaseDeps) => async (event: unknown) =>
  finishRelease(await loadRelease(event, deps), deps);

export const handler = lambdaHandler(makeFinishHandler);
