import { readdirSync, readFileSync } from 'node:fs';
import {
  CreateRuleCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetRuleCommand,
  ListTargetGroupsCommand,
  ListTargetsCommand,
  UpdateRuleCommand,
  VPCLatticeClient,
} from '@aws-sdk/client-vpc-lattice';
import { describe, expect, it } from 'vitest';
import { describeIssues } from '#core/validation.ts';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld, type WorldInput, worldSchema } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';
import { albSimulator } from '#routers/alb/sim/simulator.ts';
import { albTargetGroupArn } from '#routers/alb/sim/world.ts';
import { finalRoutesOf } from '#routers/simulators.ts';
import { latticeSimulator } from '#routers/vpc-lattice/sim/simulator.ts';
import { latticeTargetGroupId } from '#routers/vpc-lattice/sim/world.ts';
import { failureOf } from '../../../rehearsal/support.ts';

const SERVICE = 'svc-0a1b2c3d4e5f60718';
const LISTENER = 'listener-0a1b2c3d4e5f60718';
const RULE = 'rule-0a1b2c3d4e5f60718';
const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
const RULE_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff';
const MATCH = {
  httpMatch: { method: 'GET', pathMatch: { match: { prefix: '/orders' }, caseSensitive: false } },
};
const CONDITIONS = [
  { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
  { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-tenant', Values: ['eu-*'] } },
];
const STICKY = { Enabled: true, DurationSeconds: 300 };

function world(extra: Partial<WorldInput> = {}): WorldInput {
  return {
    lattice: {
      routes: [
        {
          serviceIdentifier: SERVICE,
          listenerIdentifier: LISTENER,
          ruleIdentifier: RULE,
          match: MATCH,
          priority: 10,
          action: { forward: { targetGroups: [{ targetGroupIdentifier: 'orders-v1', weight: 100 }] } },
          edits: [{ at: '8m', weights: { 'orders-v1': 100 } }],
        },
      ],
      targetGroups: [
        { name: 'orders-v1', targets: [{ id: '10.0.1.10', port: 8080, status: 'HEALTHY' }] },
        { name: 'orders-v2', targets: [{ id: '10.0.2.10', port: 8080, status: 'UNUSED' }] },
      ],
    },
    alb: {
      routes: [
        {
          listenerArn: LISTENER_ARN,
          ruleArn: RULE_ARN,
          priority: '10',
          conditions: CONDITIONS,
          actions: [
            {
              Type: 'forward',
              Order: 1,
              ForwardConfig: {
                TargetGroups: [{ TargetGroupArn: 'orders-v1', Weight: 100 }],
                TargetGroupStickinessConfig: STICKY,
              },
            },
          ],
        },
      ],
      targetGroups: [
        { name: 'orders-v1', targets: [{ id: '10.0.1.10', port: 8080, state: 'healthy' }] },
        {
          name: 'orders-v2',
          targets: [{ id: '10.0.2.10', port: 8080, state: 'unused', reason: 'Target.NotInUse' }],
        },
      ],
    },
    ...extra,
  };
}

function simulate(input: WorldInput) {
  const clock = new VirtualClock();
  const sim = new SimulatedAws(parseWorld(input), clock);
  const config = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  };
  return { sim, clock, lattice: new VPCLatticeClient(config), elb: new ElasticLoadBalancingV2Client(config) };
}

const ruleKey = { serviceIdentifier: SERVICE, listenerIdentifier: LISTENER, ruleIdentifier: RULE };

describe('the simulated VPC Lattice, through the SDK client', () => {
  it('answers GetRule with the rule as declared, target groups by id, and UpdateRule keeps match and priority', async () => {
    const { sim, lattice } = simulate(world());
    const before = await lattice.send(new GetRuleCommand(ruleKey));
    expect(before).toMatchObject({ match: MATCH, priority: 10 });
    expect(before.action?.forward?.targetGroups).toEqual([
      { targetGroupIdentifier: latticeTargetGroupId('orders-v1'), weight: 100 },
    ]);

    await lattice.send(
      new UpdateRuleCommand({
        ...ruleKey,
        action: {
          forward: {
            targetGroups: [
              { targetGroupIdentifier: latticeTargetGroupId('orders-v1'), weight: 90 },
              { targetGroupIdentifier: latticeTargetGroupId('orders-v2'), weight: 10 },
            ],
          },
        },
      }),
    );

    const after = await lattice.send(new GetRuleCommand(ruleKey));
    expect(after).toMatchObject({ match: MATCH, priority: 10 });
    expect(latticeSimulator.weightsOf(sim.routers['vpc-lattice'], ruleKey)).toEqual({
      'orders-v1': 90,
      'orders-v2': 10,
    });
    expect(finalRoutesOf(sim.routers).filter((r) => r.router === 'vpc-lattice')[0]).toMatchObject({
      fields: { match: MATCH, priority: 10 },
      updates: 1,
    });
    expect(sim.calls.map((c) => c.operation)).toEqual(['GetRule', 'UpdateRule', 'GetRule']);
  });

  it('refuses what Lattice refuses: weights above 999, more than 10 groups, unknown groups, unknown rules', async () => {
    const { lattice } = simulate(world());
    const update = (targetGroups: { targetGroupIdentifier: string; weight: number }[]) =>
      failureOf(lattice.send(new UpdateRuleCommand({ ...ruleKey, action: { forward: { targetGroups } } })));
    const id = latticeTargetGroupId('orders-v1');

    expect((await update([{ targetGroupIdentifier: id, weight: 1000 }])).name).toBe('ValidationException');
    expect(
      (await update(Array.from({ length: 11 }, () => ({ targetGroupIdentifier: id, weight: 0 })))).name,
    ).toBe('ValidationException');
    expect((await update([{ targetGroupIdentifier: 'tg-00000000000000000', weight: 1 }])).name).toBe(
      'ResourceNotFoundException',
    );
    const missing = await failureOf(
      lattice.send(new GetRuleCommand({ ...ruleKey, ruleIdentifier: 'rule-00000000000000000' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('lists target groups and their targets', async () => {
    const { lattice } = simulate(world());
    const groups = await lattice.send(new ListTargetGroupsCommand({}));
    expect(groups.items?.map((g) => [g.name, g.id])).toEqual([
      ['orders-v1', latticeTargetGroupId('orders-v1')],
      ['orders-v2', latticeTargetGroupId('orders-v2')],
    ]);
    const targets = await lattice.send(
      new ListTargetsCommand({ targetGroupIdentifier: latticeTargetGroupId('orders-v2') }),
    );
    expect(targets.items).toEqual([{ id: '10.0.2.10', port: 8080, status: 'UNUSED' }]);
  });

  it("throttles as scripted, with HTTP 429, and applies a person's edit at its time", async () => {
    const { sim, clock, lattice } = simulate(
      world({ faults: [{ operation: 'GetRule', call: 1, error: 'ThrottlingException' }] }),
    );
    const throttled = await failureOf(lattice.send(new GetRuleCommand(ruleKey)));
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(['ThrottlingException', 429]);

    await lattice.send(
      new UpdateRuleCommand({
        ...ruleKey,
        action: {
          forward: {
            targetGroups: [{ targetGroupIdentifier: latticeTargetGroupId('orders-v2'), weight: 100 }],
          },
        },
      }),
    );
    expect(latticeSimulator.weightsOf(sim.routers['vpc-lattice'], ruleKey)).toEqual({ 'orders-v2': 100 });
    clock.advance(8 * 60);
    expect(latticeSimulator.weightsOf(sim.routers['vpc-lattice'], ruleKey)).toEqual({ 'orders-v1': 100 });
  });
});

describe('the simulated ELB, through the SDK client (awsQuery: form-encoded in, XML out)', () => {
  it('answers DescribeRules as declared, and ModifyRule changes only the actions', async () => {
    const { sim, elb } = simulate(world());
    const before = await elb.send(new DescribeRulesCommand({ RuleArns: [RULE_ARN] }));
    expect(before.Rules?.[0]).toMatchObject({ RuleArn: RULE_ARN, Priority: '10', Conditions: CONDITIONS });
    expect(before.Rules?.[0]?.Actions?.[0]?.ForwardConfig).toEqual({
      TargetGroups: [{ TargetGroupArn: albTargetGroupArn('orders-v1'), Weight: 100 }],
      TargetGroupStickinessConfig: STICKY,
    });

    await elb.send(
      new ModifyRuleCommand({
        RuleArn: RULE_ARN,
        Actions: [
          {
            Type: 'forward',
            Order: 1,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: albTargetGroupArn('orders-v1'), Weight: 75 },
                { TargetGroupArn: albTargetGroupArn('orders-v2'), Weight: 25 },
              ],
              TargetGroupStickinessConfig: STICKY,
            },
          },
        ],
      }),
    );

    const after = await elb.send(new DescribeRulesCommand({ RuleArns: [RULE_ARN] }));
    expect(after.Rules?.[0]).toMatchObject({ Priority: '10', Conditions: CONDITIONS });
    expect(after.Rules?.[0]?.Actions?.[0]).toMatchObject({
      Order: 1,
      ForwardConfig: { TargetGroupStickinessConfig: STICKY },
    });
    expect(albSimulator.weightsOf(sim.routers.alb, { listenerArn: LISTENER_ARN, ruleArn: RULE_ARN })).toEqual(
      {
        'orders-v1': 75,
        'orders-v2': 25,
      },
    );
    expect(sim.calls[1]?.input).toMatchObject({
      RuleArn: RULE_ARN,
      Actions: [{ Type: 'forward', Order: 1 }],
    });
  });

  it("answers with ELB's errors, named as the SDK names them", async () => {
    const { elb } = simulate(
      world({ faults: [{ operation: 'DescribeRules', call: 1, error: 'Throttling' }] }),
    );
    const throttled = await failureOf(elb.send(new DescribeRulesCommand({ RuleArns: [RULE_ARN] })));
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(['Throttling', 400]);
    const missing = await failureOf(elb.send(new DescribeRulesCommand({ RuleArns: [`${RULE_ARN}0`] })));
    expect(missing.name).toBe('RuleNotFoundException');
    const tooMany = await failureOf(
      elb.send(
        new ModifyRuleCommand({
          RuleArn: RULE_ARN,
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: Array.from({ length: 6 }, () => ({
                  TargetGroupArn: albTargetGroupArn('orders-v1'),
                  Weight: 1,
                })),
              },
            },
          ],
        }),
      ),
    );
    expect(tooMany.name).toBe('TooManyTargetGroupsException');
    const noGroup = await failureOf(elb.send(new DescribeTargetGroupsCommand({ Names: ['orders-v9'] })));
    expect(noGroup.name).toBe('TargetGroupNotFoundException');
  });

  it('creates a rule as ELB does: an OIDC sign-in needs its client secret, actions need an Order each, transforms are kept', async () => {
    const { elb } = simulate(world());
    const forward = (order?: number) => ({
      Type: 'forward' as const,
      ...(order === undefined ? {} : { Order: order }),
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: albTargetGroupArn('orders-v2'), Weight: 1 }] },
    });
    const oidc = {
      Type: 'authenticate-oidc' as const,
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp',
        AuthorizationEndpoint: 'https://idp/auth',
        TokenEndpoint: 'https://idp/token',
        UserInfoEndpoint: 'https://idp/userinfo',
        ClientId: 'orders',
        UseExistingClientSecret: true,
      },
    };
    const create = (Priority: number, Actions: unknown[], extra: object = {}) =>
      elb.send(
        new CreateRuleCommand({
          ListenerArn: LISTENER_ARN,
          Priority,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/x*'] } }],
          Actions: Actions as never,
          ...extra,
        }),
      );
    expect((await failureOf(create(5, [oidc, forward(2)]))).message).toContain('ClientSecret is required');
    expect((await failureOf(create(5, [oidc, forward()]))).message).toMatch(/ClientSecret|Order/);
    const transforms = [
      { Type: 'url-rewrite' as const, UrlRewriteConfig: { Rewrites: [{ Regex: '^/x', Replace: '/' }] } },
    ];
    const made = await create(6, [forward()], { Transforms: transforms });
    expect(made.Rules?.[0]?.Transforms).toEqual(transforms);
  });

  it("describes target groups and their targets' health", async () => {
    const { elb } = simulate(world());
    const groups = await elb.send(new DescribeTargetGroupsCommand({ Names: ['orders-v2'] }));
    expect(groups.TargetGroups?.[0]?.TargetGroupArn).toBe(albTargetGroupArn('orders-v2'));
    const health = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: albTargetGroupArn('orders-v2') }),
    );
    expect(health.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: '10.0.2.10', Port: 8080 },
        TargetHealth: { State: 'unused', Reason: 'Target.NotInUse' },
      },
    ]);
  });
});

describe('world.lattice and world.alb refuse routes their service would not hold', () => {
  const problems = (input: WorldInput) => {
    const result = worldSchema.safeParse(input);
    return result.success ? [] : describeIssues(result.error, 'world');
  };

  it('names an undeclared target group, a weight out of range and an edit of an unknown group', () => {
    const lattice = world().lattice as { routes: Record<string, unknown>[] };
    const route = lattice.routes[0] as Record<string, unknown>;
    expect(
      problems({
        lattice: {
          ...lattice,
          routes: [
            {
              ...route,
              action: { forward: { targetGroups: [{ targetGroupIdentifier: 'orders-v9', weight: 1000 }] } },
              edits: [{ at: '1m', weights: { 'orders-v7': 100 } }],
            },
          ],
        } as never,
      }),
    ).toEqual([
      'world.lattice.routes[0].action.forward.targetGroups[0].targetGroupIdentifier: "orders-v9" is not a declared target group; declare it in world.lattice.targetGroups (one of: orders-v1, orders-v2)',
      'world.lattice.routes[0].action.forward.targetGroups[0].weight: 1000 is not a weight Lattice takes; give a whole number 0..999',
      'world.lattice.routes[0].edits[0].weights.orders-v7: is not a declared target group; declare it in world.lattice.targetGroups',
    ]);
  });

  it('refuses an ALB route with more than 5 target groups, or none forwarding', () => {
    const alb = world().alb as { routes: Record<string, unknown>[] };
    const route = alb.routes[0] as Record<string, unknown>;
    const six = Array.from({ length: 6 }, () => ({ TargetGroupArn: 'orders-v1', Weight: 0 }));
    expect(
      problems({
        alb: {
          ...alb,
          routes: [
            { ...route, actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: six } }] },
            { ...route, ruleArn: `${RULE_ARN}1`, actions: [{ Type: 'fixed-response' }] },
          ],
        } as never,
      }),
    ).toEqual([
      'world.alb.routes[0].actions[0]: ELB would not hold this forward action: give 1..5 target groups in ForwardConfig.TargetGroups',
      'world.alb.routes[1].actions: has 0 forward actions; stepshift shifts the weights of exactly one',
    ]);
  });

  it('accepts the world of every Lattice and ALB example', async () => {
    const dir = new URL('../../../../examples/', import.meta.url).pathname;
    for (const router of ['lattice', 'alb']) {
      for (const file of readdirSync(`${dir}${router}`)) {
        const scenario = JSON.parse(readFileSync(`${dir}${router}/${file}`, 'utf8'));
        expect(problems(scenario.world), `${router}/${file}`).toEqual([]);
      }
    }
  });
});
