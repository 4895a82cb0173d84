import type { ReleaseDeps } from '#core/ports.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { loadRelease, toWire } from '#core/release/wire.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Analyze health": alarms judged, next move decided. */
export const makeAnalyzeHandler = (deps: ReleaseDeps) => async (event: unknown) =>
  toWire(await analyzeHealth(await loadRelease(event, deps), deps));

export const handler = lambdaHandler(makeAnalyzeHandler);
