import type { ReleaseDeps } from '#core/ports.ts';
import { rollBack } from '#core/release/rollback.ts';
import { lambdaHandler } from './production-deps.ts';

/** "Roll back": the snapshot's weights restored and verified; the reason becomes the execution's cause. */
export const makeRollbackHandler = (deps: ReleaseDeps) => (event: unknown) => rollBack(event, deps);

export const handler = lambdaHandler(makeRollbackHandler);
