import type { ReleaseDeps } from '#core/ports.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Shift traffic": this step's weights onto the route, verified. */
export const makeShiftHandler = (deps: ReleaseDeps) => (event: unknown) => shiftTraffic(event, deps);

export const handler = lambdaHandler(makeShiftHandler);
