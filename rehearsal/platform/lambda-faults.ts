import * as z from 'zod';
import { objectError, show } from '#core/validation.ts';
import { virtualTime as durationSeconds } from '#routers/sim/world-fields.ts';
import { checkSchedule, wholeNumberFrom1 } from '../script/schedule.ts';
import { loadDefinition, taskFunctions } from './definition.ts';

/**
 * The faults of the platform's Lambda (a task's invocation crashes or times out) and the functions'
 * timeouts, as a scenario's world writes them: checked here, against the task states and functions of
 * the definition the rehearsal runs, so the world's own schema knows nothing of the state machine.
 */

const LAMBDA_FAULT_FIELDS = ['state', 'fault', 'when', 'call', 'count', 'from', 'until'] as const;
/**
 * What goes wrong with a Lambda invocation. Each is reported to the state machine under the error
 * name Step Functions' lambda:invoke integration gives it (see LAMBDA_FAILURES in
 * rehearsal/lambda-emulation.ts, which cites the sources).
 */
const LAMBDA_FAULTS = ['crash', 'timeout'] as const;
const LAMBDA_FAULT_MOMENTS = ['before', 'after'] as const;

let taskStates: readonly string[] | undefined;
let functionNames: readonly string[] | undefined;

/** The Task states of statemachines/release.asl.json, in the definition's order. */
function taskStateNames(): readonly string[] {
  taskStates ??= [...taskFunctions(loadDefinition()).keys()];
  return taskStates;
}

/** The functions the Task states invoke ("Prepare", "Shift", ...), each once. */
function taskFunctionNames(): readonly string[] {
  functionNames ??= [...new Set(taskFunctions(loadDefinition()).values())];
  return functionNames;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

export const lambdaFaultSchema = z
  .strictObject(
    {
      state: z
        .string({
          error: (iss) =>
            iss.input === undefined
              ? `is missing; name the task state whose Lambda invocation fails, one of: ${quoted(taskStateNames())}`
              : `${show(iss.input)} is not text; name a task state of statemachines/release.asl.json, one of: ${quoted(taskStateNames())}`,
        })
        .refine((name) => taskStateNames().includes(name), {
          error: (iss) =>
            `${show(iss.input)} is not a task state of statemachines/release.asl.json; use one of: ${quoted(taskStateNames())}`,
        }),
      fault: z.enum(LAMBDA_FAULTS, {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not a Lambda fault`}; use "crash" (the function's runtime exits: Runtime.ExitError) or "timeout" (the function runs out of time: Sandbox.Timedout)`,
      }),
      when: z.enum(LAMBDA_FAULT_MOMENTS, {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not a moment`}; use "before" (the invocation fails before the handler runs) or "after" (the handler runs and its AWS calls happen, then the invocation fails and its result is lost)`,
      }),
      call: wholeNumberFrom1(
        "the first failing invocation of the state (1 is its first invocation; Step Functions' retries count)",
      ).optional(),
      count: wholeNumberFrom1('how many invocations in a row fail').optional(),
      from: durationSeconds('when the failures start').optional(),
      until: durationSeconds('when the failures end').optional(),
    },
    { error: objectError('a Lambda fault', LAMBDA_FAULT_FIELDS) },
  )
  .superRefine((fault, ctx) => checkSchedule(fault, ctx, 'invocations'));

export type LambdaFault = z.output<typeof lambdaFaultSchema>;

/** Lambda's largest function timeout: 900 seconds. */
const MAX_FUNCTION_TIMEOUT_SECONDS = 900;

export const functionTimeoutsSchema = z
  .record(
    z.string(),
    durationSeconds("the function's timeout").refine(
      (seconds) => seconds >= 1 && seconds <= MAX_FUNCTION_TIMEOUT_SECONDS,
      {
        error: (iss) =>
          `${iss.input}s is outside Lambda's function timeouts; give 1 second to 15 minutes ("1s" to "15m")`,
      },
    ),
    {
      error: (iss) =>
        `is ${show(iss.input)}; give each function's timeout by its name, e.g. {"Analyze": "2m"}`,
    },
  )
  .superRefine((timeouts, ctx) => {
    for (const name of Object.keys(timeouts)) {
      if (!taskFunctionNames().includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is not a function of the release state machine; use one of: ${taskFunctionNames().join(', ')}`,
        });
      }
    }
  });
