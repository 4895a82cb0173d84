import type { ReleaseDeps } from '#core/ports.ts';
import { finishRelease } from '#core/release/promote.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Finish the release": the promoted release's closing event and output. */
export const makeFinishHandler = (deps: ReleaseDeps) => (event: unknown) => finishRelease(event, deps);

export const handler = lambdaHandler(makeFinishHandler);
