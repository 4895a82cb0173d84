/**
 * `stepshift/profile`: a release profile's types, its zod/mini schema and a parser that checks it as
 * Prepare and the synth do, for tools of a team's own (a profile linter, a generator). Editors get
 * completion from the JSON Schema the package ships as `stepshift/profile.schema.json`.
 */
import { InvalidRequestError } from '#core/errors.ts';
import {
  type ProfileInput,
  parseProfile as parseWith,
  profileSchemaFor,
  type ReleaseProfile,
} from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

export type { ProfileInput, ReleaseProfile };
export { InvalidRequestError };

/**
 * The schema of a release profile, with every router stepshift drives: a zod/mini schema (the functions
 * load mini), so it has `parse` and `safeParse` but not classic zod's methods; zod's functions take it
 * (`z.toJSONSchema`, a classic `z.object` field) and its errors are zod's core `$ZodError`.
 */
export const profileSchema = profileSchemaFor(routerKinds);

/**
 * A release profile checked as Prepare checks it, defaults filled in.
 * @throws InvalidRequestError whose `problems` list every problem as "field: what is wrong; what is allowed".
 */
export function parseProfile(input: unknown): ReleaseProfile {
  return parseWith(input, routerKinds);
}
