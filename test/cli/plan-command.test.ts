import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommand } from '../../cli/plan-command.ts';
import { ordersProfile } from '../support/profiles.ts';

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stepshift-plan-')), 'profile.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function sink() {
  let text = '';
  return { write: (t: string) => (text += t), text: () => text };
}

describe('stepshift plan', () => {
  it('prints each step with its weight, start and bake, then the cost', async () => {
    const out = sink();
    const code = await planCommand(
      file(ordersProfile({ analysis: { alarms: ['a'], interval: '2m' } })),
      {},
      out,
    );
    expect(code).toBe(0);
    expect(out.text()).toContain('orders: 3 step(s) on appmesh:shop/orders-router/orders-route');
    expect(out.text()).toContain('step 2   25%  from 5m       bakes 5m, checked 3 times');
    expect(out.text()).toContain('promote 100% at 15m');
    expect(out.text()).toMatch(/\d+ state transitions, \$0\.\d{6} per release/);
  });

  it('takes a profile file that names its JSON Schema in $schema, as the synth does', async () => {
    const out = sink();
    const named = { $schema: '../node_modules/stepshift/docs/profile.schema.json', ...ordersProfile() };
    expect(await planCommand(file(named), {}, out)).toBe(0);
    expect(out.text()).toContain('orders: 3 step(s) on appmesh:shop/orders-router/orders-route');
  });

  it('reads the profile out of a scenario file, and prints JSON on request', async () => {
    const out = sink();
    expect(await planCommand(file({ name: 'x', profile: ordersProfile() }), { json: true }, out)).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({
      service: 'orders',
      stateTransitions: 16,
      totalSeconds: 900,
    });
  });

  it('lists every problem of a bad profile and exits 2', async () => {
    const err = sink();
    const bad = ordersProfile({ strategy: { type: 'canary', steps: [5, 200], interval: '5m' } });
    expect(await planCommand(file(bad), {}, sink(), err)).toBe(2);
    expect(err.text()).toContain('- profile.strategy.steps[1]: 200 is above 100');
  });

  it('with --json, prints a refused profile as one document with every problem', async () => {
    // Prepare
    const out = sink();
    const bad = ordersProfile({ strategy: { type: 'canary', steps: [5, 200], interval: '5m' } });

    // Act
    const code = await planCommand(file(bad), { json: true }, out, sink());

    // Assess
    expect(code).toBe(2);
    const document = JSON.parse(out.text());
    expect(document.error).toMatch(/cannot be released$/);
    expect(document.problems.join('\n')).toContain('profile.strategy.steps[1]: 200 is above 100');
  });

  it('with --json, prints a file that is not JSON as one document with its error', async () => {
    const out = sink();
    expect(await planCommand(file('{not json'), { json: true }, out, sink())).toBe(2);
    expect(JSON.parse(out.text())).toEqual({ error: expect.stringContaining('cannot be read as JSON') });
  });

  it('prints blue/green as a test step at 0% through its test route, then 100%', async () => {
    const out = sink();
    const strategy = {
      type: 'blue-green' as const,
      testHeader: { name: 'x-stepshift-preview', value: 'true' },
      bake: '10m',
    };
    expect(await planCommand(file(ordersProfile({ strategy })), {}, out)).toBe(0);
    expect(out.text()).toContain(
      'step 1    0%  from 0s       bakes 10m; production stays, matching requests go to the new version through stepshift-orders-test',
    );
    expect(out.text()).toContain('step 2  100%  from 10m      bakes 10m\n');
  });

  it('says when the file is not JSON', async () => {
    const err = sink();
    expect(await planCommand(file('{oops'), {}, sink(), err)).toBe(2);
    expect(err.text()).toMatch(/cannot be read as JSON/);
  });
});

describe('stepshift plan with a CodeDeploy configuration', () => {
  const codedeploy = (config: string, extra: Record<string, unknown> = {}) =>
    ordersProfile({ strategy: { type: 'codedeploy', config, ...extra } as never });

  // Every predefined name: the routing it names, how many steps, and when it promotes.
  it.each([
    ['CodeDeployDefault.ECSAllAtOnce', 'AllAtOnce: all traffic at once', 1, '5m'],
    [
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
      'TimeBasedCanary: 10%, then the rest after 5 minute(s)',
      1,
      '5m',
    ],
    [
      'CodeDeployDefault.ECSCanary10Percent15Minutes',
      'TimeBasedCanary: 10%, then the rest after 15 minute(s)',
      1,
      '15m',
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      'TimeBasedLinear: 10% more every 1 minute(s)',
      9,
      '9m',
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      'TimeBasedLinear: 10% more every 3 minute(s)',
      9,
      '27m',
    ],
    ['CodeDeployDefault.LambdaAllAtOnce', 'AllAtOnce: all traffic at once', 1, '5m'],
    [
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      'TimeBasedCanary: 10%, then the rest after 5 minute(s)',
      1,
      '5m',
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent10Minutes',
      'TimeBasedCanary: 10%, then the rest after 10 minute(s)',
      1,
      '10m',
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent15Minutes',
      'TimeBasedCanary: 10%, then the rest after 15 minute(s)',
      1,
      '15m',
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent30Minutes',
      'TimeBasedCanary: 10%, then the rest after 30 minute(s)',
      1,
      '30m',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      'TimeBasedLinear: 10% more every 1 minute(s)',
      9,
      '9m',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
      'TimeBasedLinear: 10% more every 2 minute(s)',
      9,
      '18m',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
      'TimeBasedLinear: 10% more every 3 minute(s)',
      9,
      '27m',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
      'TimeBasedLinear: 10% more every 10 minute(s)',
      9,
      '1h30m',
    ],
  ])('%s: %s, %i step(s), promoted at %s', async (config, routing, steps, promotedAt) => {
    const out = sink();
    const extra = config.endsWith('AllAtOnce') ? { bake: '5m' } : {};
    expect(await planCommand(file(codedeploy(config, extra)), {}, out)).toBe(0);
    const lines = out.text().split('\n');
    expect(lines[0]).toBe(`orders: ${steps} step(s) on appmesh:shop/orders-router/orders-route`);
    expect(lines[1]).toBe(`  ${config} (${routing})`);
    expect(lines.filter((l) => l.startsWith('  step '))).toHaveLength(steps);
    expect(out.text()).toContain(`promote 100% at ${promotedAt}\n`);
  });

  it('shows the linear schedule step by step', async () => {
    const out = sink();
    await planCommand(file(codedeploy('CodeDeployDefault.ECSLinear10PercentEvery1Minutes')), {}, out);
    expect(out.text()).toContain('  step 1   10%  from 0s       bakes 1m\n');
    expect(out.text()).toContain('  step 9   90%  from 8m       bakes 1m\n');
  });

  it("plans a scenario's custom configuration from its world, as its Prepare would read it", async () => {
    const out = sink();
    const scenario = {
      name: 'x',
      profile: codedeploy('orders-canary'),
      world: {
        codedeploy: {
          configs: [
            {
              deploymentConfigName: 'orders-canary',
              computePlatform: 'Lambda',
              trafficRoutingConfig: {
                type: 'TimeBasedCanary',
                timeBasedCanary: { canaryPercentage: 15, canaryInterval: 20 },
              },
            },
          ],
        },
      },
    };
    expect(await planCommand(file(scenario), { json: true }, out)).toBe(0);
    expect(JSON.parse(out.text())).toMatchObject({
      codedeployConfig: 'orders-canary',
      routing: { type: 'TimeBasedCanary', percentage: 15, intervalMinutes: 20 },
      steps: [{ weight: 15, bakeSeconds: 1200 }],
      totalSeconds: 1200,
    });
  });

  it("says a plain profile's custom configuration is read at Prepare, and refuses one a scenario lacks", async () => {
    const out = sink();
    expect(await planCommand(file(codedeploy('orders-canary')), {}, out)).toBe(0);
    expect(out.text()).toBe(
      'orders: on appmesh:shop/orders-router/orders-route, with the custom CodeDeploy configuration orders-canary; Prepare reads it (GetDeploymentConfig) and plans its traffic routing when a release starts\n',
    );
    const err = sink();
    expect(
      await planCommand(
        file({ name: 'x', profile: codedeploy('orders-canary'), world: {} }),
        {},
        sink(),
        err,
      ),
    ).toBe(2);
    expect(err.text()).toContain(
      '- profile.strategy.config: no CodeDeploy deployment configuration is named "orders-canary" in this account and region',
    );
  });
});
