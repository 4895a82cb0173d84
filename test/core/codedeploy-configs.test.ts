import { describe, expect, it } from 'vitest';
import { linearSteps, PREDEFINED_CONFIGS, routingSteps } from '#core/codedeploy-configs.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { customConfigOf, planRelease } from '#core/plan.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

import { problemsOf } from '../support/problems.ts';
import { ordersProfile } from '../support/profiles.ts';

const withStrategy = (strategy: unknown) =>
  parseProfile(ordersProfile({ strategy: strategy as never }), routerKinds);

/** A plan as "weight@start+bake" in minutes, then the promotion: what an operator reads. */
function schedule(strategy: unknown): string {
  const plan = planRelease(withStrategy(strategy));
  const steps = plan.steps.map((s) => `${s.weight}@${s.startsAtSeconds / 60}+${s.bakeSeconds / 60}`);
  return [...steps, `100@${plan.totalSeconds / 60}`].join(' ');
}

describe('the predefined CodeDeploy configurations, planned offline', () => {
  // Every ECS and Lambda configuration CodeDeploy predefines, in AWS's spelling, and its schedule.
  const table: [string, string][] = [
    ['CodeDeployDefault.ECSCanary10Percent5Minutes', '10@0+5 100@5'],
    ['CodeDeployDefault.ECSCanary10Percent15Minutes', '10@0+15 100@15'],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      '10@0+1 20@1+1 30@2+1 40@3+1 50@4+1 60@5+1 70@6+1 80@7+1 90@8+1 100@9',
    ],
    [
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
      '10@0+3 20@3+3 30@6+3 40@9+3 50@12+3 60@15+3 70@18+3 80@21+3 90@24+3 100@27',
    ],
    ['CodeDeployDefault.LambdaCanary10Percent5Minutes', '10@0+5 100@5'],
    ['CodeDeployDefault.LambdaCanary10Percent10Minutes', '10@0+10 100@10'],
    ['CodeDeployDefault.LambdaCanary10Percent15Minutes', '10@0+15 100@15'],
    ['CodeDeployDefault.LambdaCanary10Percent30Minutes', '10@0+30 100@30'],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      '10@0+1 20@1+1 30@2+1 40@3+1 50@4+1 60@5+1 70@6+1 80@7+1 90@8+1 100@9',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
      '10@0+2 20@2+2 30@4+2 40@6+2 50@8+2 60@10+2 70@12+2 80@14+2 90@16+2 100@18',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
      '10@0+3 20@3+3 30@6+3 40@9+3 50@12+3 60@15+3 70@18+3 80@21+3 90@24+3 100@27',
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
      '10@0+10 20@10+10 30@20+10 40@30+10 50@40+10 60@50+10 70@60+10 80@70+10 90@80+10 100@90',
    ],
  ];

  it.each(table)('%s walks %s', (config, expected) => {
    expect(schedule({ type: 'codedeploy', config })).toBe(expected);
  });

  it.each(['CodeDeployDefault.ECSAllAtOnce', 'CodeDeployDefault.LambdaAllAtOnce'])(
    '%s moves everything at once and watches it for strategy.bake',
    (config) => {
      expect(schedule({ type: 'codedeploy', config, bake: '10m' })).toBe('100@0+10 100@10');
    },
  );

  it('covers every predefined name, and only those', () => {
    expect(
      [
        ...table.map(([name]) => name),
        'CodeDeployDefault.ECSAllAtOnce',
        'CodeDeployDefault.LambdaAllAtOnce',
      ].sort(),
    ).toEqual(Object.keys(PREDEFINED_CONFIGS).sort());
  });

  it('needs no lookup for a predefined name, and one for a custom name', () => {
    expect(
      customConfigOf(
        withStrategy({ type: 'codedeploy', config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }),
      ),
    ).toBeUndefined();
    expect(customConfigOf(withStrategy({ type: 'codedeploy', config: 'orders-canary' }))).toBe(
      'orders-canary',
    );
    expect(customConfigOf(withStrategy({ type: 'linear', stepPercent: 10, interval: '1m' }))).toBeUndefined();
  });

  it('plans a custom configuration from the traffic routing Prepare read, and refuses to guess it', () => {
    const profile = withStrategy({ type: 'codedeploy', config: 'orders-canary' });
    expect(() => planRelease(profile)).toThrow(InvalidRequestError);
    const plan = planRelease(profile, { type: 'TimeBasedCanary', percentage: 25, intervalMinutes: 7 });
    expect(plan.steps.map((s) => [s.weight, s.bakeSeconds])).toEqual([[25, 420]]);
    expect(plan.totalSeconds).toBe(420);
  });
});

describe('linear', () => {
  it('steps by stepPercent below 100, each baked for the interval, as CodeDeploy linear does', () => {
    expect(schedule({ type: 'linear', stepPercent: 10, interval: '1m' })).toBe(
      '10@0+1 20@1+1 30@2+1 40@3+1 50@4+1 60@5+1 70@6+1 80@7+1 90@8+1 100@9',
    );
    // The last increment is whatever is left: 90 -> 100.
    expect(schedule({ type: 'linear', stepPercent: 30, interval: '2m' })).toBe('30@0+2 60@2+2 90@4+2 100@6');
    expect(schedule({ type: 'linear', stepPercent: 50, interval: '5m' })).toBe('50@0+5 100@5');
    expect(linearSteps(1, 60)).toHaveLength(99);
    expect(linearSteps(99, 60)).toEqual([{ weight: 99, bakeSeconds: 60 }]);
  });

  it('refuses what it cannot walk, naming the field and what is allowed', () => {
    expect(problemsOf(() => withStrategy({ type: 'linear', stepPercent: 100, interval: '1m' }))).toEqual([
      'profile.strategy.stepPercent: 100 is above 99; a linear release needs a step below 100 (for all traffic at once, use "all-at-once")',
    ]);
    expect(problemsOf(() => withStrategy({ type: 'linear', stepPercent: 0, interval: '1m' }))).toEqual([
      'profile.strategy.stepPercent: 0 is below 1; each step must add some traffic (1..99)',
    ]);
    expect(problemsOf(() => withStrategy({ type: 'linear', stepPercent: 12.5, interval: '1m' }))).toEqual([
      'profile.strategy.stepPercent: 12.5 is not a whole number; give the percentage each step adds, 1..99',
    ]);
    expect(problemsOf(() => withStrategy({ type: 'linear', stepPercent: 10 }))).toEqual([
      'profile.strategy.interval: is missing; give the time each step bakes, like 30s, 5m or 1h',
    ]);
    expect(
      problemsOf(() => withStrategy({ type: 'linear', stepPercent: 10, interval: '1m', steps: [10] })),
    ).toEqual([
      'profile.strategy: has unknown field "steps"; a linear strategy takes only type, stepPercent, interval',
    ]);
  });
});

describe('codedeploy strategy errors name the field and what is allowed', () => {
  it('an unknown predefined name lists the predefined ones', () => {
    const [problem] = problemsOf(() =>
      withStrategy({ type: 'codedeploy', config: 'CodeDeployDefault.ECSLinear10PercentEvery1Minute' }),
    );
    expect(problem).toMatch(
      /^profile\.strategy\.config: "CodeDeployDefault\.ECSLinear10PercentEvery1Minute" is not a predefined CodeDeploy configuration; use one of: CodeDeployDefault\.ECSAllAtOnce, .*CodeDeployDefault\.ECSLinear10PercentEvery1Minutes, .*, or the name of a custom configuration in your account$/,
    );
  });

  it('an EC2/on-premises configuration shifts no traffic', () => {
    expect(
      problemsOf(() => withStrategy({ type: 'codedeploy', config: 'CodeDeployDefault.OneAtATime' })),
    ).toEqual([
      'profile.strategy.config: "CodeDeployDefault.OneAtATime" is an EC2/on-premises configuration (minimum healthy hosts), which shifts no traffic; use an ECS or Lambda one, such as "CodeDeployDefault.ECSCanary10Percent5Minutes"',
    ]);
  });

  it('all at once needs a bake, and a canary or linear configuration takes none', () => {
    expect(
      problemsOf(() => withStrategy({ type: 'codedeploy', config: 'CodeDeployDefault.ECSAllAtOnce' })),
    ).toEqual([
      'profile.strategy.config: CodeDeployDefault.ECSAllAtOnce shifts all traffic at once; give strategy.bake, how long to watch the new version at 100% before promoting, like 5m',
    ]);
    expect(
      problemsOf(() =>
        withStrategy({
          type: 'codedeploy',
          config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          bake: '5m',
        }),
      ),
    ).toEqual([
      'profile.strategy.bake: CodeDeployDefault.LambdaCanary10Percent5Minutes is a TimeBasedCanary configuration, which bakes each step for its own interval; leave strategy.bake out (it is only for all-at-once configurations)',
    ]);
  });

  it('a missing or overlong name', () => {
    expect(problemsOf(() => withStrategy({ type: 'codedeploy' }))).toEqual([
      'profile.strategy.config: is missing; give a CodeDeploy deployment configuration name, such as "CodeDeployDefault.ECSCanary10Percent5Minutes"',
    ]);
    expect(problemsOf(() => withStrategy({ type: 'codedeploy', config: 'x'.repeat(101) }))[0]).toMatch(
      /^profile\.strategy\.config: is longer than 100 characters/,
    );
  });
});

describe('a traffic routing CodeDeploy returned, as steps', () => {
  it('walks canary and linear routings, and says why it cannot walk others', () => {
    expect(routingSteps({ type: 'TimeBasedLinear', percentage: 40, intervalMinutes: 1 }, undefined)).toEqual([
      { weight: 40, bakeSeconds: 60 },
      { weight: 80, bakeSeconds: 60 },
    ]);
    expect(routingSteps({ type: 'TimeBasedCanary', percentage: 100, intervalMinutes: 5 }, undefined)).toBe(
      'shifts 100% per increment; stepshift walks whole percentages 1..99 before promoting',
    );
    expect(routingSteps({ type: 'TimeBasedLinear', percentage: 10, intervalMinutes: 0 }, undefined)).toBe(
      'waits 0 minutes between increments; stepshift needs each step to bake a whole number of minutes, 1 or more',
    );
    expect(
      routingSteps({ type: 'TimeBasedCanary', percentage: Number.NaN, intervalMinutes: 5 }, undefined),
    ).toMatch(/^shifts NaN% per increment/);
  });
});
