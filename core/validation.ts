import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { bounded, TEXT_LIMITS } from './bounded-text.ts';

// zod/mini (the functions load it rather than zod's classic API, a fifth of its size) loads no locale of its
// own: without one, a message a schema does not set reads "Invalid input". A language the program already
// chose (stepshift/profile shares the user's zod) is kept, as classic zod keeps it.
if (!z.config().localeError) z.config(en());

/** "strategy.steps[2]" from ["strategy", "steps", 2]. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(the document)';
}

/**
 * Turns zod's issues into sentences a person can act on: each names the field, says what is wrong and
 * what is allowed. The schemas carry the messages; this puts the field in front.
 */
export function describeIssues(
  error: { readonly issues: readonly z.core.$ZodIssue[] },
  prefix = '',
): string[] {
  return error.issues.map(
    (issue) => `${fieldPath([...(prefix ? [prefix] : []), ...issue.path])}: ${issue.message}`,
  );
}

/** Describes a value for an error message without dumping whole objects. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(bounded(value, TEXT_LIMITS.shown));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}

/** A string that must be present and non-empty; `what` tells the reader what belongs there. */
export function requiredString(what: string, max = 255) {
  return z
    .string({
      error: (iss) =>
        iss.input === undefined ? `is missing; give ${what}` : `${show(iss.input)} is not text; give ${what}`,
    })
    .check(
      z.minLength(1, { error: `is empty; give ${what}` }),
      z.maxLength(max, { error: `is longer than ${max} characters; give ${what} of 1..${max} characters` }),
    );
}

/** The error for an object field: which unknown fields it has, or that it is not an object at all. */
export function objectError(what: string, fields: readonly string[]) {
  return (iss: { code?: string; input?: unknown; keys?: string[] }) => {
    if (iss.code !== 'unrecognized_keys')
      return `is ${show(iss.input)}; ${what} is a JSON object with ${fields.join(', ')}`;
    // The keys are the sender's: name a few, each bounded.
    const keys = iss.keys ?? [];
    const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => show(k));
    if (keys.length > MAX_KEYS_NAMED) named.push(`and ${keys.length - MAX_KEYS_NAMED} more`);
    return `has unknown field${keys.length > 1 ? 's' : ''} ${named.join(', ')}; ${what} takes only ${fields.join(', ')}`;
  };
}

const MAX_KEYS_NAMED = 10;

/** A JSON object that refuses unknown fields and says, in words, which fields it takes. */
export function strictObject<S extends z.core.$ZodShape>(what: string, shape: S) {
  return z.strictObject(shape, { error: objectError(what, Object.keys(shape)) });
}
