import type { ReleaseDeps } from '#core/ports.ts';
import { type BakeInput, startBake } from '#core/release/bake.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Wait for the step to bake": records the start; the state's timeout is the wait. */
export const makeBakeHandler = (deps: ReleaseDeps) => (event: BakeInput) => startBake(event, deps);

export const handler = lambdaHandler(makeBakeHandler);
