import type { ReleaseDeps } from '#core/ports.ts';
import { makeAnalyzeHandler } from './analyze.ts';
import { makeBakeHandler } from './bake.ts';
import { makeFinishHandler } from './finish.ts';
import { makePrepareHandler } from './prepare.ts';
import { makePromoteHandler } from './promote.ts';
import { makeRollbackHandler } from './rollback.ts';
import { makeShiftHandler } from './shift.ts';

/**
 * Every task function by the name its ARN placeholder carries in statemachines/release.asl.json
 * (`${PrepareFunctionArn}` -> Prepare). The CDK stack and the rehearsal both read this table.
 */
export const handlerFactories = {
  Prepare: makePrepareHandler,
  Shift: makeShiftHandler,
  Bake: makeBakeHandler,
  Analyze: makeAnalyzeHandler,
  Promote: makePromoteHandler,
  Finish: makeFinishHandler,
  Rollback: makeRollbackHandler,
} satisfies Record<string, (deps: ReleaseDeps) => (event: never) => Promise<unknown>>;

export type FunctionName = keyof typeof handlerFactories;

/**
 * Every function the construct deploys: the state machine's tasks, the guard that runs after an
 * execution, and the alarm function that ends a bake when an alarm fires.
 */
export type DeployedFunction = FunctionName | 'Guard' | 'Alarm';
