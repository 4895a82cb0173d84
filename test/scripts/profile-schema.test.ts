import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROFILE_SCHEMA_FILE, profileJsonSchema } from '../../scripts/profile-schema.ts';

interface JsonSchema {
  required?: string[];
  additionalProperties?: boolean;
  properties?: Record<string, JsonSchema & { const?: unknown }>;
  oneOf?: JsonSchema[];
}

const published = JSON.parse(readFileSync(PROFILE_SCHEMA_FILE, 'utf8')) as JsonSchema;

describe('docs/profile.schema.json', () => {
  it('is what `npm run schema` generates from the profile schema today', () => {
    expect(published, 'run `npm run schema` and commit docs/profile.schema.json').toEqual(
      profileJsonSchema(),
    );
  });

  it('asks for what a profile must have, and lets a file name its schema in $schema', () => {
    expect(published.required).toEqual(['service', 'router', 'targets', 'strategy']);
    expect(published.additionalProperties).toBe(false);
    expect(published.properties?.$schema).toMatchObject({ type: 'string' });
  });

  it('offers every router stepshift drives in the router block', () => {
    const types = (published.properties?.router?.oneOf ?? []).map((r) => r.properties?.type?.const);
    // Written out, not read from the registry the schema is generated from: a router dropped from it fails here.
    expect(types).toEqual(['appmesh', 'vpc-lattice', 'alb', 'lambda']);
  });

  it("knows every block the examples' profiles use", () => {
    const known = Object.keys(published.properties ?? {});
    const used = readdirSync(new URL('../../examples/', import.meta.url))
      .filter((file) => file.endsWith('.json'))
      .flatMap((file) => {
        const scenario = JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
        return Object.keys(scenario.profile ?? {});
      });
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((key) => !known.includes(key))).toEqual([]);
  });
});
