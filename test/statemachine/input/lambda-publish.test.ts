import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { parseScenario } from '#rehearsal/script/scenario.ts';
import { expectLambdaAliasInvariant } from '../../support/invariant.ts';

const example = new URL('../../../examples/triggers/lambda-publish.json', import.meta.url);

describe('a version published of a function a profile names starts its release', () => {
  it('releases the version PublishVersion answered with, its release id from the event', async () => {
    const scenario = parseScenario(JSON.parse(readFileSync(example, 'utf8')), 'lambda-publish.json');
    const report = await rehearse(scenario);

    expect(report.outcome, report.error?.message).toBe('promoted');
    const started = report.events.find((e) => e.detailType === 'Release Started')?.detail as
      | Record<string, unknown>
      | undefined;
    expect(started?.trigger).toBe('lambda');
    expect(started?.releaseId).toBe('lambda-5b1f6c7e-9a3d-4c1b-8f2e-7d6a5c4b3a21');
    expect(started?.version).toBe('7');
    expect(expectLambdaAliasInvariant(scenario, report, '7')).toBe('promoted');
  });
});
