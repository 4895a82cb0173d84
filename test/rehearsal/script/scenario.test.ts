import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '#rehearsal/script/scenario.ts';
import { healthyScenarioInput } from '../../support/scenarios.ts';

function problems(change: (s: Record<string, unknown>) => void): string[] {
  const input = healthyScenarioInput() as unknown as Record<string, unknown>;
  change(input);
  try {
    parseScenario(input, 'scenario.json');
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('scenario files', () => {
  it('name the fields a scenario and its expectation take', () => {
    expect(
      problems((s) => {
        s.wrold = {};
        s.expect = { outcom: 'promoted' };
      }),
    ).toEqual([
      'expect.outcome: is missing; give the outcome you expect, one of: promoted, rolled_back, rejected, stopped, failed',
      'expect: has unknown field "outcom"; expect takes only outcome, error',
      '(the document): has unknown field "wrold"; a scenario takes only name, description, profile, request, world, expect, seed',
    ]);
  });

  it('refuse a route App Mesh would never hold', () => {
    const found = problems((s) => {
      const world = s.world as {
        appmesh: { routes: { spec: { httpRoute: { action: { weightedTargets: unknown[] } } } }[] };
      };
      world.appmesh.routes[0]!.spec.httpRoute.action.weightedTargets = [
        { virtualNode: 'orders-v1', weight: '100' },
      ];
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^world\.appmesh\.routes\[0\]\.spec: App Mesh would not hold this route: .*weight/,
    );
  });

  it('say where a file stops being JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stepshift-scenario-')), 'broken.json');
    writeFileSync(file, '{\n  "name": "x",\n  oops\n}');
    const error = await loadScenario(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems[0]).toMatch(/^is not JSON: .* \(line 3, column 3\)$/);
  });
});
