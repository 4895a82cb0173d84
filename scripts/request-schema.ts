import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { requestSchema } from '#core/profile/request.ts';

/** Where the published schema lives; a test keeps it equal to what requestJsonSchema() gives now. */
export const REQUEST_SCHEMA_FILE = new URL('../docs/request.schema.json', import.meta.url);

/**
 * The release request's JSON Schema, for editors, pipelines and FilePath input files. Generated from the
 * zod schema Prepare validates with: `io: 'input'` describes what a person writes (fields with defaults
 * are optional). zod's custom error messages do not reach JSON Schema, and neither do refinements:
 * durations carry an equivalent pattern in their metadata; the rule that steps rise does not.
 */
export function requestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(requestSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(REQUEST_SCHEMA_FILE, `${JSON.stringify(requestJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(REQUEST_SCHEMA_FILE)}`);
}
