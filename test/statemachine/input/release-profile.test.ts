import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { expectInvariant } from '../../support/invariant.ts';
import { scenarioWith } from '../../support/scenarios.ts';

/** In every hook URL of the big profile: where it shows up, the profile went. */
const MARKER = 'hook-url-marker-5d1e';

/**
 * A big profile, as a team with many alarms and hooks writes one: the most hooks a profile may have
 * (20 webhooks, each URL about 2 KB, a token in each) and 30 alarms with long names.
 */
function bigProfileScenario() {
  const alarms = Array.from(
    { length: 30 },
    (_, i) => `orders-${'latency-p99-by-availability-zone-'.repeat(6)}${i}`,
  );
  return scenarioWith((s) => {
    s.profile.strategy = { type: 'canary', steps: [25, 50], interval: '1m' };
    s.profile.analysis = { alarms, failureThreshold: 1, insufficientData: 'ignore' };
    // Rollback hooks: a promoted release never calls them, but they are in its profile all along.
    s.profile.hooks = Array.from({ length: 20 }, (_, i) => ({
      name: `notify-${i}`,
      phase: 'rollback',
      type: 'webhook',
      url: `https://hooks.example.com/${MARKER}/${'x'.repeat(1950)}?token=t0k3n-${i}`,
    }));
    s.world.alarms = alarms.map((name) => ({
      name,
      type: 'metric',
      states: [{ at: '0s', state: 'OK', value: 0.1 }],
      threshold: 1,
      comparison: 'GreaterThanThreshold',
    }));
  });
}

type Profile = {
  router: Record<string, unknown>;
  analysis: Record<string, unknown>;
  strategy: Record<string, unknown>;
  hooks?: unknown[];
};

describe('the profile a release runs with', () => {
  it('stays a few KiB and holds no hook URL: the profile travels as its digest', async () => {
    const scenario = bigProfileScenario();
    const profileBytes = Buffer.byteLength(JSON.stringify(scenario.profile), 'utf8');
    const report = await rehearse(scenario);

    expect(report.outcome).toBe('promoted');
    expectInvariant(scenario, report);
    // The profile is about 48 KB. With it in the state (before the state carried its digest) the
    // largest payload was 49,671 bytes, the Bake task's; with its digest, 992.
    expect(profileBytes).toBeGreaterThan(45_000);
    expect(report.largestPayload?.bytes).toBeLessThan(4_096);
    // What people read of a release: its timeline, its events on the bus, its outcome.
    expect(JSON.stringify([report.timeline, report.events, report.error ?? null])).not.toContain(MARKER);
  });

  it('is the one it started with, when the deployed profile changes while it runs', async () => {
    const scenario = scenarioWith((s) => {
      (s.world.alarms as unknown[]).push({
        name: 'orders-broken',
        type: 'metric',
        states: [{ at: '0s', state: 'ALARM', value: 9 }],
        threshold: 1,
        comparison: 'GreaterThanThreshold',
      });
    });
    const deployed = scenario.profile as Profile;
    const original = structuredClone(deployed);
    let redeployed = false;
    const report = await rehearse(scenario, {
      onEntry: (entry) => {
        if (redeployed || entry.event !== 'traffic.shifted') return;
        redeployed = true;
        // The team deploys another profile of orders after the first shift: were it read, its route
        // (which does not exist), its alarm (in ALARM) and its failing hook would each end the release.
        deployed.router.routeName = 'orders-route-next';
        deployed.analysis.alarms = ['orders-broken'];
        deployed.strategy = { type: 'canary', steps: [5, 99], interval: '1m' };
        deployed.hooks = [
          { name: 'gate', phase: 'rollout', type: 'lambda', functionName: 'orders-gate-that-fails' },
        ];
      },
    });
    Object.assign(deployed, original);

    expect(redeployed).toBe(true);
    expect(report.outcome).toBe('promoted');
    expect(
      report.timeline.filter((e) => e.event === 'traffic.shifted').map((e) => e.weights['orders-v2']),
    ).toEqual([10, 25, 50]);
    const routes = report.calls
      .filter((c) => c.operation === 'DescribeRoute' || c.operation === 'UpdateRoute')
      .map((c) => c.input.routeName);
    expect(new Set(routes)).toEqual(new Set(['orders-route']));
    const alarms = report.calls
      .filter((c) => c.operation === 'DescribeAlarms')
      .flatMap((c) => c.input.AlarmNames as string[]);
    expect(new Set(alarms)).toEqual(new Set(['orders-5xx', 'orders-health']));
    expect(report.calls.filter((c) => c.service === 'lambda')).toEqual([]);
    expectInvariant(scenario, report);
  });

  it('is loaded again, not rolled back, when the table fails for a moment as Shift loads it', async () => {
    // GetItem's second call is the first Shift's load (Prepare's read of the lock is the first): the
    // SDK's four attempts all fail, so Shift fails with StoreUnavailable, which Step Functions retries
    // as it does for the router.
    const scenario = scenarioWith((s) => {
      s.world.faults = [{ operation: 'GetItem', error: 'InternalServerError', call: 2, count: 4 }];
    });
    const report = await rehearse(scenario);
    expect(report.timeline.filter((e) => e.event === 'state.retried').map((e) => e.detail)).toEqual([
      expect.objectContaining({ state: 'Shift traffic', error: 'StoreUnavailable' }),
    ]);
    expect(report.outcome).toBe('promoted');
    expectInvariant(scenario, report);
  });
});
