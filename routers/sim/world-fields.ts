import * as z from 'zod';
import { parseDuration } from '#core/duration.ts';
import { show } from '#core/validation.ts';

/** Fields every service's world schema writes alike. */

/** A virtual time or span written as "0s", "30s", "5m" or "1h", in seconds; `what` says what it is. */
export function virtualTime(what: string) {
  const problem = (input: unknown) =>
    `${show(input)} is not a duration; write ${what} as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"`;
  return z.string({ error: (iss) => problem(iss.input) }).transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: problem(text) });
      return z.NEVER;
    }
    return seconds;
  });
}

/** A list of `what`, refused in those words when it is not one. */
export function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: (iss) => `is ${show(iss.input)}; give a list of ${what}` });
}

/** Calls `report` with the index of every key seen before. */
export function duplicates(keys: readonly string[], report: (index: number) => void): void {
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (seen.has(key)) report(i);
    seen.add(key);
  });
}
