import type { ReleaseDeps } from '#core/ports.ts';
import { analyzeHealth } from '#core/release/analyze.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Analyze health": alarms judged, next move decided. */
export const makeAnalyzeHandler = (deps: ReleaseDeps) => (event: unknown) => analyzeHealth(event, deps);

export const handler = lambdaHandler(makeAnalyzeHandler);
