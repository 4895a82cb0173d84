import { hooks } from '#adapters/hooks-port.ts';
import { events, locks, releaseProfiles } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { shiftTraffic } from '#core/release/shift.ts';
import { releaseLoader, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Shift traffic": this step's weights onto the route, verified. */
export const makeShiftHandler = (
  deps: Parameters<typeof shiftTraffic>[1] & Pick<ReleaseDeps, 'releaseProfiles'>,
) => {
  const load = releaseLoader(deps);
  return async (event: unknown) => toWire(await shiftTraffic(await load(event), deps));
};

export const handler = lambdaHandler(makeShiftHandler, { routerFor, events, hooks, locks, releaseProfiles });
