import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { appMeshRoutesIn } from '#routers/appmesh/sim/simulator.ts';
import { scenarioWith } from '../../support/scenarios.ts';
import { BAD_INPUTS, type Kind } from './bad-input-corpus.ts';

/**
 * Every call that changes AWS: App Mesh's and Lambda's one write each, and DynamoDB's item writes (the release ledger),
 * the route's lock and snapshot record among them, written in one transaction.
 */
const WRITE_OPERATIONS = [
  'UpdateRoute',
  'UpdateAlias',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
];

const count = (kind: Kind) => BAD_INPUTS.filter((c) => c.kind === kind).length;

describe('the bad-input corpus: every malformed request, profile and trigger payload is refused specifically, with nothing written', () => {
  it('holds at least 40 cases, with enough of each kind', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(count('request')).toBeGreaterThanOrEqual(14);
    expect(count('profile')).toBeGreaterThanOrEqual(14);
    expect(count('trigger payload')).toBeGreaterThanOrEqual(12);
    expect(new Set(BAD_INPUTS.map((c) => c.label)).size, 'labels are unique').toBe(BAD_INPUTS.length);
  });

  it.each(BAD_INPUTS.map((c) => [c.label, c] as const))('%s', async (_, { change, expected }) => {
    const scenario = scenarioWith(change);
    const report = await rehearse(scenario);

    expect(report.outcome, report.error?.message).toBe('rejected');
    expect(report.error?.name).toBe('InvalidRequest');
    expect(report.error?.message).toContain(expected);
    const writes = report.calls.filter((c) => WRITE_OPERATIONS.includes(c.operation));
    expect(writes, 'no write reached AWS').toEqual([]);
    expect(appMeshRoutesIn(report.finalRoutes).map((r) => r.spec)).toEqual(
      scenario.world.appmesh.routes.map((r) => r.spec),
    );
  });

  afterAll(() => {
    console.info(
      `bad-input corpus: ${BAD_INPUTS.length} cases (${count('request')} requests, ${count('profile')} profiles, ${count('trigger payload')} trigger payloads), every one refused with nothing written`,
    );
  });
});
