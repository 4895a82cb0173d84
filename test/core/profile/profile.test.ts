import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '#core/errors.ts';
import { applyOverrides } from '#core/overrides.ts';
import { canaryTarget, parseProfile } from '#core/profile/profile.ts';
import { parseRequest } from '#core/profile/request.ts';
import { routeLabel } from '#core/profile/router.ts';
import { routerKinds } from '#routers/registry.ts';

import { problemsOf } from '../../support/problems.ts';
import { ordersProfile } from '../../support/profiles.ts';

describe('parseProfile', () => {
  it('accepts the example profile and fills defaults', () => {
    const profile = parseProfile(ordersProfile({ analysis: { alarms: ['orders-5xx'] } }), routerKinds);
    expect(profile.analysis).toEqual({
      alarms: ['orders-5xx'],
      failureThreshold: 1,
      insufficientData: 'ignore',
    });
  });

  it.each([
    [
      { strategy: { type: 'canary', steps: [10, 25, 120], interval: '5m' } },
      'profile.strategy.steps[2]: 120 is above 100; weights are percentages 1..100',
    ],
    [
      { strategy: { type: 'canary', steps: [10, 5], interval: '5m' } },
      'profile.strategy.steps[1]: 5 is not above the previous step (10); weights must rise step by step',
    ],
    [
      { strategy: { type: 'canary', steps: [10], interval: '5 minutes' } },
      'profile.strategy.interval: "5 minutes" is not a duration; write the time each step bakes like 30s, 5m or 1h',
    ],
    [
      { strategy: { type: 'canary', steps: [10], interval: '0s' } },
      'profile.strategy.interval: "0s" is zero; give the time each step bakes as a positive duration, like 30s, 5m or 1h',
    ],
    [
      { strategy: { type: 'canary', steps: [0, 10], interval: '5m' } },
      'profile.strategy.steps[0]: 0 is below 1; a step must send some traffic (1..100)',
    ],
    [
      { strategy: { type: 'canary', steps: [12.5], interval: '5m' } },
      'profile.strategy.steps[0]: 12.5 is not a whole number; weights are whole percentages 1..100',
    ],
    [
      { strategy: { type: 'shadow' } },
      'profile.strategy.type: "shadow" is not a strategy stepshift knows; use one of: canary, linear, all-at-once, codedeploy, blue-green, ab',
    ],
    [
      { router: { type: 'istio' } },
      'profile.router.type: "istio" is not a router stepshift drives; use one of: appmesh, vpc-lattice, alb, lambda',
    ],
    [
      { targets: { canary: 'orders-v2' } },
      `profile.targets.canary: "orders-v2" has no {version}; the new version's target is named by template, e.g. "orders-{version}"`,
    ],
    [
      { analysis: { alarms: ['a'], insufficientData: 'maybe' } },
      'profile.analysis.insufficientData: "maybe" is not a policy; use "ignore" or "fail" for alarms in INSUFFICIENT_DATA',
    ],
    [
      { analysis: { alarms: ['a'], failureThreshold: 0 } },
      'profile.analysis.failureThreshold: 0 is below 1; the release rolls back after this many failed checks',
    ],
    [{ analysis: { alarms: ['a', 'a'] } }, 'profile.analysis.alarms: names the same alarm twice'],
  ])('explains %j', (override, message) => {
    expect(problemsOf(() => parseProfile(ordersProfile(override as never), routerKinds))).toContain(message);
  });

  it('names missing router fields', () => {
    const problems = problemsOf(() =>
      parseProfile(ordersProfile({ router: { type: 'appmesh' } as never }), routerKinds),
    );
    expect(problems).toEqual([
      'profile.router.meshName: is missing; give the App Mesh mesh name',
      'profile.router.virtualRouterName: is missing; give the virtual router that owns the route',
      'profile.router.routeName: is missing; give the route whose weights the release shifts',
    ]);
  });

  it('accepts VPC Lattice routers by id or ARN, with or without a rule, and labels the route', () => {
    const byId = parseProfile(
      ordersProfile({
        router: {
          type: 'vpc-lattice',
          serviceIdentifier: 'svc-0123456789abcdef0',
          listenerIdentifier: 'listener-0123456789abcdef0',
          ruleIdentifier: 'rule-0123456789abcdef0',
        },
      }),
      routerKinds,
    );
    expect(routeLabel(routerKinds, byId.router)).toBe(
      'vpc-lattice:svc-0123456789abcdef0/listener-0123456789abcdef0/rule-0123456789abcdef0',
    );
    const byArn = parseProfile(
      ordersProfile({
        router: {
          type: 'vpc-lattice',
          serviceIdentifier: 'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0',
          listenerIdentifier:
            'arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0',
        },
      }),
      routerKinds,
    );
    expect(routeLabel(routerKinds, byArn.router)).toBe(
      'vpc-lattice:svc-0123456789abcdef0/listener-0123456789abcdef0/default',
    );
  });

  it('explains what is wrong with a VPC Lattice router', () => {
    const problems = problemsOf(() =>
      parseProfile(
        ordersProfile({
          router: {
            type: 'vpc-lattice',
            serviceIdentifier: 'orders',
            ruleIdentifier: 'listener-0123456789abcdef0',
          } as never,
        }),
        routerKinds,
      ),
    );
    expect(problems).toEqual([
      'profile.router.serviceIdentifier: "orders" is not a VPC Lattice svc id or ARN; give the VPC Lattice service (its id or ARN), like "svc-0123456789abcdef0"',
      "profile.router.listenerIdentifier: is missing; give the service's listener (its id or ARN)",
      'profile.router.ruleIdentifier: "listener-0123456789abcdef0" is not a VPC Lattice rule id or ARN; give the listener rule whose forward action the release shifts (its id or ARN); leave it out to shift the listener\'s default action, like "rule-0123456789abcdef0"',
    ]);
  });

  it('accepts ALB routers, with or without a rule, and labels the route', () => {
    const listenerArn =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
    const ruleArn =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff';
    const withRule = parseProfile(
      ordersProfile({ router: { type: 'alb', listenerArn, ruleArn } }),
      routerKinds,
    );
    expect(routeLabel(routerKinds, withRule.router)).toBe(
      'alb:app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff',
    );
    const listenerOnly = parseProfile(ordersProfile({ router: { type: 'alb', listenerArn } }), routerKinds);
    expect(routeLabel(routerKinds, listenerOnly.router)).toBe(
      'alb:app/shop/0123456789abcdef/fedcba9876543210/default',
    );
  });

  it('explains what is wrong with an ALB router', () => {
    expect(
      problemsOf(() =>
        parseProfile(ordersProfile({ router: { type: 'alb', listenerArn: 'my-listener' } }), routerKinds),
      ),
    ).toEqual([
      'profile.router.listenerArn: "my-listener" is not an Application Load Balancer listener ARN; copy it from the console or DescribeListeners, like "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"',
    ]);
    const otherListener = problemsOf(() =>
      parseProfile(
        ordersProfile({
          router: {
            type: 'alb',
            listenerArn:
              'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210',
            ruleArn:
              'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/0000000000000000/00112233445566ff',
          },
        }),
        routerKinds,
      ),
    );
    expect(otherListener).toEqual([
      "profile.router.ruleArn: belongs to listener app/shop/0123456789abcdef/0000000000000000, not to listenerArn's app/shop/0123456789abcdef/fedcba9876543210; give a rule of that listener",
    ]);
  });

  it('names unknown fields', () => {
    expect(problemsOf(() => parseProfile({ ...ordersProfile(), strategyy: {} }, routerKinds))).toEqual([
      'profile: has unknown field "strategyy"; a release profile takes only service, router, targets, strategy, analysis, source, hooks, readinessTimeout, onFailure, allowOverrides',
    ]);
  });

  it('refuses a profile that is not an object', () => {
    expect(problemsOf(() => parseProfile('orders', routerKinds))[0]).toMatch(
      /^profile: is "orders"; a release profile is a JSON object/,
    );
  });
});

describe("a profile's source (ECR pushes that release the service)", () => {
  const withSource = (source: unknown) => ordersProfile({ source } as never);

  it('is optional, and kept when given', () => {
    expect(parseProfile(ordersProfile(), routerKinds).source).toBeUndefined();
    expect(
      parseProfile(withSource({ ecrRepository: 'shop/orders', tagPattern: '^v[0-9]+$' }), routerKinds).source,
    ).toEqual({
      ecrRepository: 'shop/orders',
      tagPattern: '^v[0-9]+$',
    });
  });

  it.each([
    [
      { ecrRepository: 'Orders', tagPattern: 'v.*' },
      'profile.source.ecrRepository: "Orders" is not an ECR repository name; use lowercase letters and digits, with ".", "_" or "-" between them and "/" between namespaces, such as "shop/orders"',
    ],
    [
      { ecrRepository: 'shop//orders', tagPattern: 'v.*' },
      'profile.source.ecrRepository: "shop//orders" is not an ECR repository name',
    ],
    [
      { ecrRepository: 'orders-', tagPattern: 'v.*' },
      'profile.source.ecrRepository: "orders-" is not an ECR repository name',
    ],
    [
      { ecrRepository: 'o', tagPattern: 'v.*' },
      'profile.source.ecrRepository: is shorter than 2 characters; ECR repository names have 2..256 characters',
    ],
    [
      { ecrRepository: 'a'.repeat(257), tagPattern: 'v.*' },
      'profile.source.ecrRepository: is longer than 256 characters',
    ],
    [
      { tagPattern: 'v.*' },
      'profile.source.ecrRepository: is missing; give the ECR repository whose image pushes release this service, such as "orders"',
    ],
    [
      { ecrRepository: 'orders' },
      'profile.source.tagPattern: is missing; give a regular expression every image tag to release must match as a whole, such as "^v[0-9]+$"',
    ],
    [
      { ecrRepository: 'orders', tagPattern: '^v[0-9+$' },
      'profile.source.tagPattern: "^v[0-9+$" is not a regular expression stepshift can evaluate (missing closing ]: `[0-9+$`; stepshift evaluates patterns with RE2 syntax, in linear time, which has no backreferences (\\1) and no lookaround ((?=, (?!, (?<=, (?<!)); write one such as "^v[0-9]+$"',
    ],
    [
      { ecrRepository: 'orders', tagPattern: '(v1' },
      'profile.source.tagPattern: "(v1" is not a regular expression stepshift can evaluate (missing closing ): `(v1`',
    ],
    [
      { ecrRepository: 'orders', tagPattern: 'v.*', branch: 'main' },
      'profile.source: has unknown field "branch"; a source takes only ecrRepository, tagPattern',
    ],
    ['orders', 'profile.source: is "orders"; a source is a JSON object with ecrRepository, tagPattern'],
  ])('explains %j', (source, message) => {
    const problems = problemsOf(() => parseProfile(withSource(source), routerKinds));
    expect(
      problems.some((p) => p.startsWith(message)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('says one thing about a repository name that is too short', () => {
    expect(
      problemsOf(() => parseProfile(withSource({ ecrRepository: 'o', tagPattern: 'v.*' }), routerKinds)),
    ).toHaveLength(1);
  });
});

describe('parseRequest', () => {
  it('accepts the console shape', () => {
    expect(parseRequest({ service: 'orders', version: 'v2' })).toEqual({ service: 'orders', version: 'v2' });
  });

  it.each([
    [{ service: 'orders' }, 'request.version: is missing; give the version to release, such as "v2"'],
    [{ version: 'v2' }, 'request.service: is missing; give the service to release, such as "orders"'],
    [
      { service: 'orders', version: 2 },
      'request.version: 2 is not text; give the version to release, such as "v2"',
    ],
    [
      { service: 'orders', version: 'v2/../x' },
      'request.version: "v2/../x" cannot name a target; use letters, digits, ".", "_" and "-", starting with a letter or digit',
    ],
    [
      { service: 'orders', version: 'v2', releaseId: 'has space' },
      'request.releaseId: "has space" is not a release id; use 1..64 letters, digits, "-" or "_"',
    ],
    [
      {
        service: 'orders',
        version: 'v2',
        overrides: { strategy: { type: 'canary', steps: [150], interval: '1m' } },
      },
      'request.overrides.strategy.steps[0]: 150 is above 100; weights are percentages 1..100',
    ],
  ])('explains %j', (input, message) => {
    expect(problemsOf(() => parseRequest(input))).toContain(message);
  });

  it.each([
    [
      { service: 'orders', version: '#{SourceVariables.ImageTag}' },
      'request.version: "#{SourceVariables.ImageTag}" looks like a CodePipeline variable that was not substituted; CodePipeline replaces #{namespace.name} in a Literal Input (from a namespace an earlier action or the pipeline defines), never inside a FilePath input file: give the value itself',
    ],
    [
      { service: '#{variables.service}', version: 'v2' },
      'request.service: "#{variables.service}" looks like a CodePipeline variable that was not substituted;',
    ],
    [
      { service: 'orders', version: 'v2', releaseId: '#{codepipeline.PipelineExecutionId}' },
      'request.releaseId: "#{codepipeline.PipelineExecutionId}" looks like a CodePipeline variable that was not substituted;',
    ],
  ])('says %j still holds a CodePipeline variable, in one sentence', (input, message) => {
    const problems = problemsOf(() => parseRequest(input));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(message), problems[0]).toBe(true);
  });
});

describe('applyOverrides and canaryTarget', () => {
  it('replaces whole blocks and fills the template', () => {
    const profile = parseProfile(ordersProfile(), routerKinds);
    const request = parseRequest({
      service: 'orders',
      version: 'v3',
      overrides: { strategy: { type: 'all-at-once', bake: '1m' } },
    });
    expect(applyOverrides(profile, request).strategy).toEqual({ type: 'all-at-once', bake: 60 });
    expect(applyOverrides(profile, request).analysis).toBe(profile.analysis);
    expect(canaryTarget(profile, 'v3')).toBe('orders-v3');
  });
});

describe('InvalidRequestError', () => {
  it('keeps its message well under Step Functions cause limit, naming what it left out', () => {
    const problems = Array.from(
      { length: 500 },
      (_, i) => `profile.analysis.alarms[${i}]: ${'x'.repeat(40)}`,
    );
    const error = new InvalidRequestError(problems);
    expect(error.message.length).toBeLessThan(8_100);
    expect(error.message).toMatch(/; and \d+ more problem\(s\)$/);
    expect(error.problems).toHaveLength(500);
  });
});
