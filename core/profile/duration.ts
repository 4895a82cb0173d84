import * as z from 'zod/mini';
import { parseDuration } from '../duration.ts';
import { show } from '../validation.ts';

/** The longest a duration may be, and the sentence for one that is longer. */
interface Longest {
  readonly seconds: number;
  readonly tooLong: (input: unknown) => string;
}

/**
 * A positive duration as a profile or a request writes it ("30s", "5m", "1h"), parsed once into whole
 * seconds: what the parsed profile carries. JSON Schema (io: "input") describes the text.
 */
export function duration(what: string, longest?: Longest) {
  const problem = (input: unknown) =>
    input === undefined
      ? `is missing; give ${what}, like 30s, 5m or 1h`
      : /^0+[smh]$/.test(String(input))
        ? `${show(input)} is zero; give ${what} as a positive duration, like 30s, 5m or 1h`
        : `${show(input)} is not a duration; write ${what} like 30s, 5m or 1h`;
  const text = z
    .string({ error: (iss) => problem(iss.input) })
    .check(
      z.refine((text) => (parseDuration(text) ?? 0) > 0, { error: (iss) => problem(iss.input) }),
      z.refine((text) => longest === undefined || (parseDuration(text) ?? 0) <= longest.seconds, {
        error: (iss) => longest?.tooLong(iss.input),
      }),
    )
    // The refinements do not reach JSON Schema; the pattern says the same to schema readers.
    .register(z.globalRegistry, {
      description: `${what.charAt(0).toUpperCase()}${what.slice(1)}: whole seconds, minutes or hours`,
      pattern: '^[1-9][0-9]*[smh]$',
    });
  return z.pipe(
    text,
    z.transform((text) => parseDuration(text) as number),
  );
}

/** A weight a step sends to the new version, in percent. */
export function percentage() {
  return z
    .number({ error: (iss) => `${show(iss.input)} is not a number; weights are percentages 1..100` })
    .check(
      z.int({
        error: (iss) => `${show(iss.input)} is not a whole number; weights are whole percentages 1..100`,
      }),
      z.gte(1, { error: (iss) => `${show(iss.input)} is below 1; a step must send some traffic (1..100)` }),
      z.lte(100, { error: (iss) => `${show(iss.input)} is above 100; weights are percentages 1..100` }),
    );
}

/** Letters, digits, ".", "_" and "-", starting with a letter or digit: a service's name, a version. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
