import { describe, expect, it } from 'vitest';
import type { SideRoute } from '#core/shapes.ts';
import { albSideRule, albSideRuleProblem } from '#routers/alb/side-route.ts';

const RULE = {
  isDefault: false,
  priority: '10',
  conditions: [
    { Field: 'path-pattern', Values: ['/orders*'], PathPatternConfig: { Values: ['/orders*'] } },
    { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
  ],
};
const SIDE: SideRoute = {
  name: 'stepshift-orders-cohort',
  headers: [{ name: 'x-cohort', match: { exact: 'b' } }],
  target: { name: 'orders-v2', weight: 100 },
};
const problem = (headers: SideRoute['headers']) => albSideRuleProblem('rule-1', RULE, { ...SIDE, headers });

describe('an ALB side rule', () => {
  it("copies the rule's conditions, adds an http-header condition, goes one ahead and forwards all to the canary", () => {
    expect(albSideRule('rule-1', RULE, SIDE, 'arn:tg')).toEqual({
      Priority: 9,
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-cohort', Values: ['b'] } },
      ],
      Actions: [
        { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg', Weight: 1 }] } },
      ],
    });
    const prefixed = albSideRule(
      'rule-1',
      RULE,
      { ...SIDE, headers: [{ name: 'x-c', match: { prefix: 'b-' } }] },
      'a',
    );
    expect(prefixed.Conditions.at(-1)?.HttpHeaderConfig?.Values).toEqual(['b-*']);
    expect(problem([{ name: 'x-c', match: { suffix: '-b' } }])).toBeUndefined();
  });

  it('signs people in as the rule does (Cognito, JWT validation, in Order) and rewrites as it does, then forwards', () => {
    const cognito = {
      Type: 'authenticate-cognito' as const,
      Order: 2,
      AuthenticateCognitoConfig: { UserPoolArn: 'arn:pool', UserPoolClientId: 'c', UserPoolDomain: 'd' },
    };
    const jwt = {
      Type: 'jwt-validation' as const,
      Order: 1,
      JwtValidationConfig: { JwksEndpoint: 'https://idp/jwks', Issuer: 'https://idp' },
    };
    const transforms = [
      {
        Type: 'host-header-rewrite' as const,
        HostHeaderRewriteConfig: { Rewrites: [{ Regex: '^a$', Replace: 'b' }] },
      },
    ];
    const signed = {
      ...RULE,
      actions: [cognito, jwt, { Type: 'forward' as const, Order: 3, ForwardConfig: { TargetGroups: [] } }],
      transforms,
    };

    const rule = albSideRule('rule-1', signed, SIDE, 'arn:tg');

    expect(rule.Actions).toEqual([
      jwt,
      cognito,
      {
        Type: 'forward',
        Order: 3,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg', Weight: 1 }] },
      },
    ]);
    expect(rule.Transforms).toEqual(transforms);
    expect(albSideRule('rule-1', RULE, SIDE, 'arn:tg')).not.toHaveProperty('Transforms');
  });

  it('is refused beside a rule that signs people in with OIDC, whose client secret a new rule needs and no read returns', () => {
    const oidc = {
      ...RULE,
      actions: [
        {
          Type: 'authenticate-oidc' as const,
          Order: 1,
          AuthenticateOidcConfig: {
            Issuer: 'https://idp',
            AuthorizationEndpoint: 'https://idp/auth',
            TokenEndpoint: 'https://idp/token',
            UserInfoEndpoint: 'https://idp/userinfo',
            ClientId: 'orders',
          },
        },
        { Type: 'forward' as const, Order: 2 },
      ],
    };
    expect(albSideRuleProblem('rule-1', oidc, SIDE)).toBe(
      'rule-1 signs people in with authenticate-oidc, whose client secret ALB never returns and a new rule needs, so stepshift cannot put the same sign-in on stepshift-orders-cohort; without it, anyone who sends its header would reach the new version without signing in. Release this rule with canary, linear or all-at-once, or sign in with authenticate-cognito or jwt-validation, which a side rule can repeat',
    );
    expect(() => albSideRule('rule-1', oidc, SIDE, 'arn:tg')).toThrow(/authenticate-oidc/);
  });

  it('is refused beside default actions, which have no priority, and at priority 1, with no room ahead', () => {
    expect(albSideRuleProblem('listener-1', undefined, SIDE)).toMatch(
      /default actions, which have no priority/,
    );
    expect(albSideRuleProblem('rule-1', { ...RULE, isDefault: true }, SIDE)).toMatch(/default actions/);
    expect(albSideRuleProblem('rule-1', { ...RULE, priority: '1' }, SIDE)).toMatch(/no room for/);
  });

  it('is refused for matches ALB cannot express, values with wildcards, and past 5 condition values', () => {
    expect(problem([{ name: 'x-c', match: { regex: '^b$' } }])).toMatch(/by regex, which ALB cannot express/);
    expect(problem([{ name: 'x-c', match: { range: { start: 1, end: 5 } } }])).toMatch(/by range/);
    expect(problem([{ name: 'x-c', match: { exact: 'b' }, invert: true }])).toMatch(/cannot be inverted/);
    expect(problem([{ name: 'x-c', match: { exact: 'b*' } }])).toMatch(/reads as wildcards/);
    const four = Array.from({ length: 4 }, (_, i) => ({ name: `x-h${i}`, match: { exact: 'b' } }));
    expect(problem(four)).toMatch(
      /holds 2 condition values and stepshift-orders-cohort adds 4; ALB matches at most 5/,
    );
  });
});
