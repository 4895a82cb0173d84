import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { profileSchemaFor } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

/**
 * Where the published schema lives (the package ships it as `stepshift/profile.schema.json`); a test
 * keeps it equal to what profileJsonSchema() gives now.
 */
export const PROFILE_SCHEMA_FILE = new URL('../docs/profile.schema.json', import.meta.url);

/**
 * A release profile's JSON Schema, which profile files name in `$schema` for an editor's completion and
 * checks. Generated from the zod schema Prepare and the synth validate with, every router stepshift
 * drives in its `router` block; `io: 'input'` describes what a person writes. Refinements (a
 * template's name rules, rising steps) do not reach JSON Schema: the synth still checks them.
 */
export function profileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(profileSchemaFor(routerKinds), { io: 'input', target: 'draft-2020-12' }) as {
    properties: Record<string, unknown>;
  } & Record<string, unknown>;
  return {
    ...schema,
    title: 'stepshift release profile',
    // The profile refuses fields it does not know, so the key naming this schema is declared; profilesFrom drops it.
    properties: {
      $schema: { type: 'string', description: 'This JSON Schema, for an editor; ignored by stepshift.' },
      ...schema.properties,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PROFILE_SCHEMA_FILE, `${JSON.stringify(profileJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(PROFILE_SCHEMA_FILE)}`);
}
