import type { ReleaseDeps } from '#core/ports.ts';
import { promoteRelease } from '#core/release/promote.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Promote the new version": all traffic to it, verified. */
export const makePromoteHandler = (deps: ReleaseDeps) => (event: unknown) => promoteRelease(event, deps);

export const handler = lambdaHandler(makePromoteHandler);
