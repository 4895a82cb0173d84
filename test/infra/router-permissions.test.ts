import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '#functions/index.ts';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { ordersProfile } from '../support/profiles.ts';
import {
  actionsOf,
  attachNag,
  reportedViolations,
  resourcesOf,
  statementsOfRole,
  unbundledApp,
} from './support.ts';

const LATTICE_RULE =
  'arn:aws:vpc-lattice:eu-west-1:444455556666:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0/rule/rule-0123456789abcdef0';
const ALB_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
const ALB_RULE =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff';

// One service per router type, in one stack: the grants of each are scoped to its own route, and
// cdk-nag (attached as app.ts attaches it) finds nothing unacknowledged. Not bundled: template only.
describe('IAM for VPC Lattice and ALB profiles', () => {
  let template: Template;
  let stack: Stack;
  let orchestrator: ReleaseOrchestrator;
  let violations: string[];

  beforeAll(() => {
    const app = unbundledApp();
    stack = new Stack(app, 'Routers');
    orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile(),
        ordersProfile({
          service: 'payments',
          router: {
            type: 'vpc-lattice',
            serviceIdentifier: 'svc-0123456789abcdef0',
            listenerIdentifier: 'listener-0123456789abcdef0',
            ruleIdentifier: LATTICE_RULE,
          },
          targets: { canary: 'payments-{version}' },
        }),
        ordersProfile({
          service: 'search',
          router: {
            type: 'vpc-lattice',
            serviceIdentifier: 'svc-00000000000000000',
            listenerIdentifier: 'listener-00000000000000000',
          },
          targets: { canary: 'search-{version}' },
        }),
        ordersProfile({
          service: 'carts',
          router: { type: 'alb', listenerArn: ALB_LISTENER, ruleArn: ALB_RULE },
          targets: { canary: 'carts-{version}' },
        }),
        ordersProfile({
          service: 'web',
          router: { type: 'alb', listenerArn: ALB_LISTENER },
          targets: { canary: 'web-{version}' },
        }),
      ],
    });
    attachNag(app);
    violations = reportedViolations(app);
    template = Template.fromStack(stack);
  }, 60_000);

  /** A task function's role, or the guard's. */
  const roleOf = (fn: FunctionName | 'Guard') =>
    stack.getLogicalId(
      (fn === 'Guard' ? orchestrator.guardFunction : orchestrator.functions[fn]).role!.node
        .defaultChild as never,
    );
  const granted = (fn: FunctionName | 'Guard', action: string) => {
    const role = roleOf(fn);
    return statementsOfRole(template, role)
      .filter((s) => actionsOf(s).includes(action))
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
  };

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(violations).toEqual([]);
  });

  it('writes Lattice weights on the named rule, or the named listener, only', () => {
    for (const fn of ['Shift', 'Promote', 'Rollback'] as const) {
      expect(granted(fn, 'vpc-lattice:UpdateRule')).toEqual([JSON.stringify(LATTICE_RULE)]);
      const listener = granted(fn, 'vpc-lattice:UpdateListener');
      expect(listener).toHaveLength(1);
      expect(listener[0]).toContain(':service/svc-00000000000000000/listener/listener-00000000000000000"');
    }
    expect(granted('Prepare', 'vpc-lattice:UpdateRule')).toEqual([]);
    expect(granted('Analyze', 'vpc-lattice:UpdateListener')).toEqual([]);
    expect(granted('Analyze', 'vpc-lattice:GetRule')).toEqual([JSON.stringify(LATTICE_RULE)]);
  });

  /** The statements of `fn` that hold `action`, with their resources and conditions. */
  const statementsWith = (fn: FunctionName | 'Guard', action: string) => {
    return statementsOfRole(template, roleOf(fn))
      .filter((s) => actionsOf(s).includes(action))
      .map((s) => ({ resources: resourcesOf(s), condition: (s as { Condition?: unknown }).Condition }));
  };
  // payments releases through LATTICE_RULE's listener, carts through ALB_RULE's: their side routes.
  const paymentsSides = ['stepshift-payments-cohort', 'stepshift-payments-test'];
  const cartsSides = ['stepshift-carts-cohort', 'stepshift-carts-test'];
  const onCreate = (names: string[], extra: Record<string, string> = {}) => ({
    StringEquals: { 'aws:RequestTag/stepshift:side-route': names, ...extra },
    'ForAllValues:StringEquals': { 'aws:TagKeys': ['stepshift:side-route'] },
  });

  it("lets Shift create and tag Lattice side rules on the rule profile's listener; the endings delete only rules with stepshift's tag", () => {
    const listener =
      'arn:aws:vpc-lattice:eu-west-1:444455556666:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0';
    for (const fn of ['Prepare', 'Shift', 'Promote', 'Analyze', 'Finish', 'Rollback', 'Guard'] as const) {
      // The Service Authorization Reference authorizes CreateRule, TagResource and DeleteRule on the rule.
      expect(statementsWith(fn, 'vpc-lattice:CreateRule'), fn).toEqual(
        fn === 'Shift' ? [{ resources: [`${listener}/rule/*`], condition: onCreate(paymentsSides) }] : [],
      );
      expect(statementsWith(fn, 'vpc-lattice:TagResource'), fn).toEqual(
        fn === 'Shift'
          ? [
              {
                resources: [`${listener}/rule/*`],
                condition: onCreate(paymentsSides, { 'vpc-lattice:CreateAction': 'CreateRule' }),
              },
            ]
          : [],
      );
      expect(statementsWith(fn, 'vpc-lattice:DeleteRule'), fn).toEqual(
        ['Finish', 'Rollback', 'Guard'].includes(fn)
          ? [
              {
                resources: [`${listener}/rule/*`],
                condition: { StringEquals: { 'aws:ResourceTag/stepshift:side-route': paymentsSides } },
              },
            ]
          : [],
      );
      // ListRules supports no resource-level permissions; the listener-default profile (search) adds nothing.
      expect(granted(fn, 'vpc-lattice:ListRules'), fn).toEqual(
        ['Promote', 'Analyze'].includes(fn) ? [] : [JSON.stringify('*')],
      );
    }
  });

  it("lets Shift create ALB side rules only with stepshift's tag; the endings delete only rules with it, never the release rule", () => {
    const rules = `${ALB_LISTENER.replace(':listener/', ':listener-rule/')}/*`;
    for (const fn of ['Prepare', 'Shift', 'Promote', 'Analyze', 'Finish', 'Rollback', 'Guard'] as const) {
      // The listener-default profile (web) adds nothing: Prepare refuses side routes there.
      expect(statementsWith(fn, 'elasticloadbalancing:CreateRule'), fn).toEqual(
        fn === 'Shift' ? [{ resources: [ALB_LISTENER], condition: onCreate(cartsSides) }] : [],
      );
      expect(statementsWith(fn, 'elasticloadbalancing:AddTags'), fn).toEqual(
        fn === 'Shift'
          ? [
              {
                resources: [rules],
                condition: onCreate(cartsSides, { 'elasticloadbalancing:CreateAction': 'CreateRule' }),
              },
            ]
          : [],
      );
      expect(statementsWith(fn, 'elasticloadbalancing:DeleteRule'), fn).toEqual(
        ['Finish', 'Rollback', 'Guard'].includes(fn)
          ? [
              {
                resources: [rules],
                condition: { StringEquals: { 'aws:ResourceTag/stepshift:side-route': cartsSides } },
              },
            ]
          : [],
      );
      expect([...new Set(granted(fn, 'elasticloadbalancing:DescribeTags'))], fn).toEqual(
        ['Promote', 'Analyze'].includes(fn) ? [] : [JSON.stringify('*')],
      );
    }
  });

  it("checks Lattice targets' health on target groups only, in the rule's account and region", () => {
    const groups = granted('Prepare', 'vpc-lattice:ListTargets');
    expect(groups).toContain(JSON.stringify('arn:aws:vpc-lattice:eu-west-1:444455556666:targetgroup/*'));
    expect(granted('Shift', 'vpc-lattice:ListTargets')).toEqual([]);
  });

  it('writes ALB weights on the named rule, or the named listener, only; describes on "*"', () => {
    for (const fn of ['Shift', 'Promote', 'Rollback'] as const) {
      expect(granted(fn, 'elasticloadbalancing:ModifyRule')).toEqual([JSON.stringify(ALB_RULE)]);
      expect(granted(fn, 'elasticloadbalancing:ModifyListener')).toEqual([JSON.stringify(ALB_LISTENER)]);
      // Shift and Rollback are granted it again for their side rules (Finish has no other grant of it).
      expect([...new Set(granted(fn, 'elasticloadbalancing:DescribeRules'))]).toEqual([JSON.stringify('*')]);
    }
    expect(granted('Prepare', 'elasticloadbalancing:DescribeTargetHealth')).toEqual([JSON.stringify('*')]);
    expect(granted('Analyze', 'elasticloadbalancing:ModifyRule')).toEqual([]);
    expect(granted('Bake', 'elasticloadbalancing:DescribeRules')).toEqual([]);
  });
});

// A custom CodeDeploy configuration is read at Prepare: granted on that configuration alone.
describe('IAM for CodeDeploy configurations', () => {
  const build = (strategies: unknown[]) => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Configs');
    const orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: strategies.map((strategy, i) =>
        ordersProfile({
          service: `svc${i}`,
          strategy: strategy as never,
          targets: { canary: `svc${i}-{version}` },
        }),
      ),
    });
    attachNag(app);
    const violations = reportedViolations(app);
    const template = Template.fromStack(stack);
    const granted = (fn: FunctionName) => {
      const role = stack.getLogicalId(orchestrator.functions[fn].role!.node.defaultChild as never);
      return statementsOfRole(template, role)
        .filter((s) => actionsOf(s).includes('codedeploy:GetDeploymentConfig'))
        .flatMap(resourcesOf)
        .map((r) => JSON.stringify(r));
    };
    return { violations, granted };
  };

  it('grants Prepare GetDeploymentConfig on each named custom configuration only, cdk-nag clean', () => {
    const { violations, granted } = build([
      { type: 'codedeploy', config: 'orders-canary' },
      { type: 'codedeploy', config: 'orders-canary' },
      { type: 'codedeploy', config: 'payments-linear' },
      { type: 'codedeploy', config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' },
    ]);
    expect(violations).toEqual([]);
    const resources = granted('Prepare');
    expect(resources).toHaveLength(2);
    expect(resources[0]).toContain(':deploymentconfig:orders-canary');
    expect(resources[0]).toContain('"arn:",{"Ref":"AWS::Partition"},":codedeploy:",{"Ref":"AWS::Region"}');
    expect(resources[1]).toContain(':deploymentconfig:payments-linear');
    for (const fn of ['Shift', 'Analyze', 'Promote', 'Rollback'] as const) expect(granted(fn)).toEqual([]);
  }, 60_000);

  it('grants nothing when the profiles name only predefined configurations or other strategies', () => {
    const { granted } = build([
      { type: 'codedeploy', config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' },
      { type: 'linear', stepPercent: 20, interval: '1m' },
    ]);
    expect(granted('Prepare')).toEqual([]);
  }, 60_000);
});
