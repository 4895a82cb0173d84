import { clock, controls, events } from '#adapters/port-builders.ts';
import { callbacks } from '#adapters/sfn-ports.ts';
import { type BakeInput, startBake } from '#core/release/bake.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Wait for the step to bake": records the start; the state's timeout is the wait. */
export const makeBakeHandler = (deps: Parameters<typeof startBake>[1]) => (event: BakeInput) =>
  startBake(event, deps);

export const handler = lambdaHandler(makeBakeHandler, { controls, clock, events, callbacks });
