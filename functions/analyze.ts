import type { ReleaseDeps } from '#core/ports.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { releaseLoader, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Analyze health": alarms judged, next move decided. */
export const makeAnalyzeHandler = (deps: ReleaseDeps) => {
  const load = releaseLoader(deps);
  return async (event: unknown) => toWire(await analyzeHealth(await load(event), deps));
};

export const handler = lambdaHandler(makeAnalyzeHandler);
