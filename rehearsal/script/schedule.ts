import * as z from 'zod';
import { show } from '#core/validation.ts';

/** What the scenario's faults share: which calls (or invocations) fail, and picking a fault's schema by its fields. */

export const wholeNumberFrom1 = (what: string) =>
  z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number, 1 or more`,
    })
    .int({
      error: (iss) => `${show(iss.input)} is not a whole number; give ${what} as a whole number, 1 or more`,
    })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; give ${what} as a whole number, 1 or more` });

export interface Schedule {
  readonly call?: number | undefined;
  readonly count?: number | undefined;
  readonly from?: number | undefined;
  readonly until?: number | undefined;
}

/**
 * Which calls (or invocations) a fault fails: by number ("call", "count") or by time ("from",
 * "until"), never both. `many` names what is counted: "calls" for AWS calls, "invocations" for Lambda.
 */
export function checkSchedule(fault: Schedule, ctx: z.RefinementCtx, many: string): void {
  const byCall = fault.call !== undefined;
  const byTime = fault.from !== undefined;
  if (byCall === byTime) {
    ctx.addIssue({
      code: 'custom',
      message: byCall
        ? `has both "call" and "from"; a fault fails ${many} by number ("call", "count") or by time ("from", "until"), not both`
        : `says neither which ${many} fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")`,
    });
  }
  if (fault.count !== undefined && !byCall) {
    ctx.addIssue({
      code: 'custom',
      path: ['count'],
      message: `goes with "call"; "count" says how many ${many} from "call" on fail`,
    });
  }
  if (fault.until !== undefined) {
    if (!byTime) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'goes with "from"; a time window starts at "from" and ends at "until"',
      });
    } else if (fault.until <= (fault.from as number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: `(${fault.until}s) is not after "from" (${fault.from}s); the window must end after it starts`,
      });
    }
  }
}

/**
 * A schema that picks, from the input itself, which schema to apply (or refuses with a sentence). Its
 * issues keep their own messages and paths, which a plain union would replace with "Invalid input".
 */
export function chooseSchema<Output, Input>(pick: (input: unknown) => z.ZodType | string) {
  return z.unknown().transform((input, ctx) => {
    const chosen = pick(input);
    if (typeof chosen === 'string') {
      ctx.addIssue({ code: 'custom', message: chosen });
      return z.NEVER;
    }
    const result = chosen.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    return result.data;
  }) as unknown as z.ZodType<Output, Input>;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
