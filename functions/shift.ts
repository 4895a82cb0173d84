import type { ReleaseDeps } from '#core/ports.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { loadRelease, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Shift traffic": this step's weights onto the route, verified. */
export const makeShiftHandler = (deps: ReleaseDeps) => async (event: unknown) =>
  toWire(await shiftTraffic(await loadRelease(event, deps), deps));

export const handler = lambdaHandler(makeShiftHandler);
