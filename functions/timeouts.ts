import type { DeployedFunction } from './index.ts';

/**
 * How long each function may run, in seconds: the CDK construct deploys these and the rehearsal times
 * a function out after them. Prepare, Shift, Analyze, Promote, Rollback and the guard make several
 * AWS calls, each retried by the SDK with back-off for throttling and 5xx answers: two minutes leaves
 * room for a slow, throttled API without letting a hung call hold the release much longer than Step
 * Functions' own retry would. Shift, Analyze, Finish and Rollback also run the profile's hooks, whose
 * webhook calls are capped to fit (core/hooks.ts). Bake and the alarm function make a few quick calls.
 */
export const FUNCTION_TIMEOUT_SECONDS: Readonly<Record<DeployedFunction, number>> = {
  Prepare: 120,
  Shift: 120,
  Bake: 30,
  Analyze: 120,
  Promote: 120,
  Finish: 120,
  Rollback: 120,
  Guard: 120,
  Alarm: 30,
};
