import * as z from 'zod/mini';
import { regexProblem } from './regex.ts';
import { requiredString, show, strictObject } from './validation.ts';

/** App Mesh's HeaderMatchMethod (and gRPC's metadata match): exactly one of these. */
const MATCH_METHODS = ['exact', 'prefix', 'suffix', 'regex', 'range'] as const;

/** App Mesh's limits ([model: HttpRouteHeader, HeaderMatchMethod]): names 1..50, strings 1..255. */
const matchText = (what: string) => requiredString(what, 255);

const rangeSchema = strictObject('a range', {
  start: z
    .number({ error: 'must be a whole number, the first value the range matches' })
    .check(
      z.int({ error: (iss) => `${show(iss.input)} is not a whole number; a range starts at a whole number` }),
    ),
  end: z
    .number({ error: 'must be a whole number, the first value past the range' })
    .check(
      z.int({ error: (iss) => `${show(iss.input)} is not a whole number; a range ends at a whole number` }),
    ),
}).check(
  z.refine((r) => r.end > r.start, {
    error: 'ends at or before its start; give {"start": 1, "end": 100} with end above start',
  }),
);

const headerMatchMethodSchema = strictObject('a header match method', {
  exact: z.optional(matchText('the exact value to match')),
  prefix: z.optional(matchText('the prefix the value starts with')),
  suffix: z.optional(matchText('the suffix the value ends with')),
  regex: z.optional(
    matchText('a regular expression the value matches').check(
      z.refine((pattern) => regexProblem(pattern) === undefined, {
        error: (iss) =>
          `${show(iss.input)} is not a regular expression stepshift can check (${regexProblem(String(iss.input))}); write one such as "^b-[0-9]+$"`,
      }),
    ),
  ),
  range: z.optional(rangeSchema),
}).check(
  z.superRefine((method, ctx) => {
    const given = MATCH_METHODS.filter((k) => method[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `has ${given.length === 0 ? 'no match method' : given.join(' and ')}; give exactly one of ${MATCH_METHODS.join(', ')}, such as {"exact": "b"}`,
      });
    }
  }),
);

/** One header a request must carry (or, with invert, must not): App Mesh's HttpRouteHeader. */
export const headerMatchSchema = strictObject('a header match', {
  name: requiredString('the header name, such as "x-cohort"', 50),
  match: headerMatchMethodSchema,
  invert: z.optional(
    z.boolean({ error: 'must be true or false; true matches requests whose header does not match' }),
  ),
});
