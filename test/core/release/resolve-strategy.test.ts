import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { prepareOrReject } from '#core/release/prepare.ts';
import { execution, type FakeDeploymentConfigs, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const ok = { name: 'orders-5xx', type: 'metric' as const, state: 'OK' as const };

function team(strategy: unknown, more: Record<string, unknown> = {}) {
  const ctx = fakeDeps(
    new FakeRouter([{ name: 'orders-v1', weight: 100 }]),
    ordersProfile({ strategy: strategy as never, ...more }),
    [ok],
  );
  return { ...ctx, configs: ctx.deps.deploymentConfigs as FakeDeploymentConfigs };
}

const request = { service: 'orders', version: 'v2' };

describe('Prepare with a CodeDeploy configuration', () => {
  it('reads a custom configuration and plans its traffic routing', async () => {
    // Prepare
    const { deps, configs } = team({ type: 'codedeploy', config: 'orders-linear' });
    configs.known.set('orders-linear', {
      found: 'traffic-routing',
      routing: { type: 'TimeBasedLinear', percentage: 30, intervalMinutes: 2 },
    });

    // Act
    const state = await prepareOrReject({ request, execution }, deps);

    // Assess
    expect(configs.asked).toEqual(['orders-linear']);
    expect(state.plan.steps.map((s) => [s.weight, s.bakeSeconds])).toEqual([
      [30, 120],
      [60, 120],
      [90, 120],
    ]);
  });

  it('plans a predefined configuration without asking CodeDeploy', async () => {
    const { deps, configs } = team({
      type: 'codedeploy',
      config: 'CodeDeployDefault.ECSCanary10Percent15Minutes',
    });
    const state = await prepareOrReject({ request, execution }, deps);
    expect(configs.asked).toEqual([]);
    expect(state.plan.steps.map((s) => [s.weight, s.bakeSeconds])).toEqual([[10, 900]]);
  });

  it('refuses a configuration that does not exist, naming the field, and takes no lock', async () => {
    const { deps, events } = team({ type: 'codedeploy', config: 'orders-gone' });
    const error = await prepareOrReject({ request, execution }, deps).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.problems).toEqual([
      'profile.strategy.config: no CodeDeploy deployment configuration is named "orders-gone" in this account and region; create it, or use a predefined one such as "CodeDeployDefault.ECSCanary10Percent5Minutes"',
    ]);
    expect(events.map((e) => e.type)).toEqual(['release.rejected']);
  });

  it('refuses an EC2/on-premises configuration, which routes no traffic', async () => {
    const { deps, configs } = team({ type: 'codedeploy', config: 'half-fleet' });
    configs.known.set('half-fleet', { found: 'no-traffic-routing', computePlatform: 'Server' });
    const error = await prepareOrReject({ request, execution }, deps).catch((e) => e);
    expect(error.problems).toEqual([
      'profile.strategy.config: "half-fleet" is a Server configuration (minimum healthy hosts), which shifts no traffic; name an ECS or Lambda configuration, one with a traffic routing (TimeBasedCanary, TimeBasedLinear or AllAtOnce)',
    ]);
  });

  it('names the request override when the override names the configuration', async () => {
    // All at once is not stricter than the profile's canary: this profile lets requests choose.
    const { deps, configs } = team(
      { type: 'canary', steps: [10], interval: '1m' },
      { allowOverrides: ['strategy'] },
    );
    configs.known.set('at-once', { found: 'traffic-routing', routing: { type: 'AllAtOnce' } });
    const overridden = {
      ...request,
      overrides: { strategy: { type: 'codedeploy', config: 'at-once' } },
    };
    const error = await prepareOrReject({ request: overridden, execution }, deps).catch((e) => e);
    expect(error.problems).toEqual([
      'request.overrides.strategy.config: "at-once" shifts all traffic at once; give strategy.bake, how long to watch the new version at 100% before promoting, like 5m',
    ]);

    const baked = {
      ...request,
      overrides: { strategy: { type: 'codedeploy', config: 'at-once', bake: '3m' } },
    };
    const state = await prepareOrReject({ request: baked, execution }, deps);
    expect(state.plan.steps.map((s) => [s.weight, s.bakeSeconds])).toEqual([[100, 180]]);
  });
});
