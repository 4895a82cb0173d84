import * as z from 'zod';
import { objectError, show } from '#core/validation.ts';
import { virtualTime as durationSeconds } from '#routers/sim/world-fields.ts';
import { type LambdaFault, lambdaFaultSchema } from '../platform/lambda-faults.ts';
import { FAULT_ERROR_NAMES, type FaultErrorName, OPERATION_ERRORS, OPERATIONS } from './faults.ts';
import { checkSchedule, chooseSchema, isObject, wholeNumberFrom1 } from './schedule.ts';

/** The scenario's `world.faults`: AWS calls that fail ("operation"), and task invocations that fail ("state"). */

const API_FAULT_FIELDS = ['operation', 'error', 'call', 'count', 'from', 'until'] as const;
const apiFaultSchema = z
  .strictObject(
    {
      operation: z.enum(OPERATIONS, {
        error: (iss) =>
          `${show(iss.input)} is not an operation the simulated AWS serves; use one of: ${OPERATIONS.join(', ')}`,
      }),
      error: z.enum(FAULT_ERROR_NAMES as [FaultErrorName, ...FaultErrorName[]], {
        error: (iss) =>
          `${show(iss.input)} is not an error the simulator can raise; use one of: ${FAULT_ERROR_NAMES.join(', ')}`,
      }),
      call: wholeNumberFrom1('the first failing call of the operation (1 is its first call)').optional(),
      count: wholeNumberFrom1('how many calls in a row fail').optional(),
      from: durationSeconds('when the failures start').optional(),
      until: durationSeconds('when the failures end').optional(),
    },
    { error: objectError('a fault', API_FAULT_FIELDS) },
  )
  .superRefine((fault, ctx) => {
    checkSchedule(fault, ctx, 'calls');
    const allowed = OPERATION_ERRORS[fault.operation];
    if (!allowed.includes(fault.error)) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `"${fault.error}" is not an error ${fault.operation} answers with; use one of: ${allowed.join(', ')}`,
      });
    }
  });

export type ApiFault = z.output<typeof apiFaultSchema>;

/** An AWS call that fails ("operation") or a task's Lambda invocation that fails ("state"). */
export const faultSchema = chooseSchema<
  ApiFault | LambdaFault,
  z.input<typeof apiFaultSchema> | z.input<typeof lambdaFaultSchema>
>((input) => {
  if (!isObject(input)) {
    return `is ${show(input)}; a fault is a JSON object: {"operation", "error", ...} fails an AWS call, {"state", "fault", "when", ...} fails a task's Lambda invocation`;
  }
  if ('state' in input && 'operation' in input) {
    return 'has both "operation" and "state"; a fault fails either an AWS call ("operation", "error") or a task\'s Lambda invocation ("state", "fault", "when"), not both';
  }
  return 'state' in input ? lambdaFaultSchema : apiFaultSchema;
});
