import { hooks } from '#adapters/hooks-port.ts';
import { clock, controls, events, health, releaseProfiles } from '#adapters/port-builders.ts';
import { routerFor } from '#adapters/router-port.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { type AnalyzeDeps, analyzeHealth } from '#core/release/analyze.ts';
import { releaseLoader, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Analyze health": alarms judged, next move decided. */
export const makeAnalyzeHandler = (deps: AnalyzeDeps & Pick<ReleaseDeps, 'releaseProfiles'>) => {
  const load = releaseLoader(deps);
  return async (event: unknown) => toWire(await analyzeHealth(await load(event), deps));
};

export const handler = lambdaHandler(makeAnalyzeHandler, {
  routerFor,
  controls,
  clock,
  events,
  health,
  hooks,
  releaseProfiles,
});
