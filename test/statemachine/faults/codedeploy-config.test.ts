import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { parseScenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant } from '../../support/invariant.ts';

/** examples/codedeploy-custom.json with these faults on its calls. */
function customWithFaults(faults: unknown[]) {
  const input = JSON.parse(
    readFileSync(new URL('../../../examples/codedeploy-custom.json', import.meta.url), 'utf8'),
  );
  delete input.expect;
  input.world.faults = faults;
  return parseScenario(input);
}

// Reading a custom configuration through the real ASL, Prepare and the SDK's retries, when CodeDeploy
// throttles: a passing throttle is retried away; a lasting one ends the release before anything moves.
describe('a custom CodeDeploy configuration when GetDeploymentConfig fails', () => {
  it('retries a throttled read and releases as planned', async () => {
    const scenario = customWithFaults([
      { operation: 'GetDeploymentConfig', call: 1, error: 'ThrottlingException' },
    ]);
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(report.plan?.steps).toEqual([25, 50, 75]);
    expect(
      report.calls.filter((c) => c.operation === 'GetDeploymentConfig').map((c) => c.error?.name),
    ).toEqual(['ThrottlingException', undefined]);
    expect(expectInvariant(scenario, report)).toBe('promoted');
  });

  it('ends the release as DeploymentConfigsUnavailable when throttling outlasts the retries, with nothing moved or held', async () => {
    const scenario = customWithFaults([
      { operation: 'GetDeploymentConfig', from: '0s', error: 'ThrottlingException' },
    ]);
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('failed');
    expect(report.error?.name).toBe('DeploymentConfigsUnavailable');
    expect(report.error?.message).toMatch(
      /GetDeploymentConfig of orders-Linear25PercentEvery2Minutes failed with ThrottlingException after retries/,
    );
    expect(report.calls.map((c) => c.operation)).not.toContain('UpdateRoute');
    expect(report.heldLocks).toEqual([]);
    expect(expectInvariant(scenario, report)).toBe('snapshot');
  });
});
