import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REQUEST_SCHEMA_FILE, requestJsonSchema } from '../../scripts/request-schema.ts';

interface JsonSchema {
  required?: string[];
  additionalProperties?: boolean;
  properties?: Record<string, JsonSchema & { pattern?: string; default?: unknown }>;
  oneOf?: JsonSchema[];
}

const published = JSON.parse(readFileSync(REQUEST_SCHEMA_FILE, 'utf8')) as JsonSchema;

describe('docs/request.schema.json', () => {
  it('is what `npm run schema` generates from the request schema today', () => {
    expect(published, 'run `npm run schema` and commit docs/request.schema.json').toEqual(
      requestJsonSchema(),
    );
  });

  it('asks for service and version, and nothing a request does not take', () => {
    expect(published.required).toEqual(['service', 'version']);
    expect(published.additionalProperties).toBe(false);
    expect(Object.keys(published.properties ?? {})).toEqual(['service', 'version', 'releaseId', 'overrides']);
  });

  it("leaves every analysis override optional and without a default: a field left out keeps the profile's", () => {
    const overrides = published.properties?.overrides;
    expect(Object.keys(overrides?.properties ?? {})).toEqual(['strategy', 'analysis', 'onFailure']);
    const analysis = overrides?.properties?.analysis;
    expect(analysis?.required).toBeUndefined();
    expect(analysis?.properties?.failureThreshold?.default).toBeUndefined();
  });

  it("carries patterns that agree with Prepare's checks", () => {
    const version = new RegExp(published.properties?.version?.pattern ?? '');
    expect(version.test('v2')).toBe(true);
    expect(version.test('#{SourceVariables.ImageTag}')).toBe(false);
    const releaseId = new RegExp(published.properties?.releaseId?.pattern ?? '');
    expect(releaseId.test('3f2b9c4e-8d1a-4e57-9b6f-2c0d7a5e1f93')).toBe(true);
    const canary = published.properties?.overrides?.properties?.strategy?.oneOf?.[0];
    const interval = new RegExp(canary?.properties?.interval?.pattern ?? '');
    expect(['30s', '5m', '1h'].every((d) => interval.test(d))).toBe(true);
    expect(['0s', '5 minutes', '05m'].some((d) => interval.test(d))).toBe(false);
  });
});
