import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_DETAIL_TYPES } from '#core/lifecycle.ts';
import type { FunctionName } from '#functions/index.ts';
import { TABLE_ACCESS, TABLE_KEYS } from '#infra/permissions/table.ts';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { type IamRequest, isAllowed, type Statement } from '../support/iam-evaluation.ts';
import { ordersProfile } from '../support/profiles.ts';
import { logicalIdOf, statementsOfRole, templateOf, unbundledApp } from './support.ts';

const ALB_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
const ALB_RULES = ALB_LISTENER.replace(':listener/', ':listener-rule/');
const ALB_RULE = `${ALB_RULES}/00112233445566ff`;
const LATTICE_LISTENER =
  'arn:aws:vpc-lattice:eu-west-1:444455556666:service/svc-0123456789abcdef0/listener/listener-0123456789abcdef0';
const LATTICE_RULE = `${LATTICE_LISTENER}/rule/rule-0123456789abcdef0`;

// What each role may do, asked of the synthesized template as IAM would evaluate it.
describe('grant boundaries, evaluated', () => {
  let template: Template;
  let stack: Stack;
  let orchestrator: ReleaseOrchestrator;
  let roles: Record<string, string>;

  beforeAll(() => {
    stack = new Stack(unbundledApp(), 'Boundaries');
    orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile(),
        ordersProfile({
          service: 'carts',
          router: { type: 'alb', listenerArn: ALB_LISTENER, ruleArn: ALB_RULE },
          targets: { canary: 'carts-{version}' },
        }),
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
      ],
    });
    const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
    const requester = role('Requester');
    const operator = role('Operator');
    // A role of the account that may put any event anywhere, as CI or admin roles often may.
    const broad = role('Broad');
    broad.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: ['*'] }));
    orchestrator.grantPutReleaseRequest(requester);
    orchestrator.grantOperate(operator);
    template = templateOf(stack);
    const id = (r: iam.IRole) => stack.getLogicalId(r.node.defaultChild as never);
    const fn = (name: FunctionName) => id(orchestrator.functions[name].role!);
    roles = {
      Requester: id(requester),
      Operator: id(operator),
      Broad: id(broad),
      Shift: fn('Shift'),
      Analyze: fn('Analyze'),
      Finish: fn('Finish'),
      Guard: id(orchestrator.guardFunction.role!),
    };
  }, 60_000);

  const may = (who: string, request: Omit<IamRequest, 'principalArn'>) => {
    const busPolicy = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
      (p) => p.Properties.Statement as Statement,
    );
    return isAllowed(
      { ...request, principalArn: `arn-of:${roles[who]}` },
      statementsOfRole(template, roles[who] as string) as unknown as Statement[],
      busPolicy,
    );
  };
  const put = (who: string, ...entries: [source: string, detailType: string][]) =>
    may(who, {
      action: 'events:PutEvents',
      resource: `arn-of:${logicalIdOf(stack, orchestrator.eventBus)}`,
      context: { 'events:source': entries.map((e) => e[0]), 'events:detail-type': entries.map((e) => e[1]) },
    });
  const item = (who: string, action: string, ...keys: string[]) =>
    may(who, {
      action: `dynamodb:${action}`,
      resource: `arn-of:${logicalIdOf(stack, orchestrator.table)}`,
      context: { 'dynamodb:LeadingKeys': keys },
    });

  describe('lifecycle events cannot be forged', () => {
    it('lets a requester put "Release Requested" and nothing else', () => {
      expect(put('Requester', ['stepshift', 'Release Requested'])).toBe(true);
      expect(put('Requester', ['stepshift', 'Release Promoted'])).toBe(false);
      expect(put('Requester', ['stepshift', 'Release Requested'], ['stepshift', 'Release Rolled Back'])).toBe(
        false,
      );
      expect(put('Requester', ['com.example', 'Release Requested'])).toBe(false);
    });

    it("denies every lifecycle event to a role allowed PutEvents on '*', through the bus's own policy", () => {
      for (const detailType of Object.values(LIFECYCLE_DETAIL_TYPES)) {
        expect(put('Broad', ['stepshift', detailType]), detailType).toBe(false);
      }
      expect(put('Broad', ['stepshift', 'Release Approved']), 'any other detail-type of the source').toBe(
        false,
      );
      expect(put('Broad', ['stepshift', 'Release Requested'])).toBe(true);
      expect(put('Broad', ['com.example.shop', 'Order Placed']), "other sources are the bus owner's").toBe(
        true,
      );
    });

    it('lets the functions announce lifecycle events, and not request releases', () => {
      expect(put('Shift', ['stepshift', 'Traffic Shifted'])).toBe(true);
      expect(put('Guard', ['stepshift', 'Release Rolled Back'])).toBe(true);
      expect(put('Shift', ['stepshift', 'Release Requested'])).toBe(false);
    });
  });

  describe('each role touches only its own items of the table', () => {
    it('lets an operator update release controls, and read or write nothing else', () => {
      expect(item('Operator', 'UpdateItem', 'control#orders-v2-1')).toBe(true);
      for (const key of [
        'route#arn:aws:appmesh:eu-west-1:123:mesh/shop',
        'execution#arn:x',
        'release#orders#r1',
        'running#orders',
      ]) {
        expect(item('Operator', 'UpdateItem', key), key).toBe(false);
      }
      expect(item('Operator', 'GetItem', 'control#orders-v2-1')).toBe(false);
      expect(item('Operator', 'PutItem', 'control#orders-v2-1')).toBe(false);
      expect(item('Operator', 'DeleteItem', 'control#orders-v2-1')).toBe(false);
      expect(item('Operator', 'UpdateItem'), 'a request without a partition key').toBe(false);
    });

    it('conditions every table statement of every role on the key prefixes TABLE_ACCESS lists for it', () => {
      const fns = [...Object.keys(orchestrator.functions), 'Guard'] as (FunctionName | 'Guard')[];
      for (const name of fns) {
        const role = (name === 'Guard' ? orchestrator.guardFunction : orchestrator.functions[name]).role!;
        const granted = statementsOfRole(template, stack.getLogicalId(role.node.defaultChild as never))
          .filter((st) => JSON.stringify(st.Action).includes('dynamodb:'))
          .map((st) => ({
            actions: st.Action,
            keys: (st as unknown as Statement).Condition?.['ForAllValues:StringLike']?.[
              'dynamodb:LeadingKeys'
            ],
          }));
        const expected = TABLE_ACCESS[name].map(({ actions, keys }) => ({
          actions: actions.length === 1 ? `dynamodb:${actions[0]}` : actions.map((a) => `dynamodb:${a}`),
          keys: keys.map((k) => `${TABLE_KEYS[k]}*`),
        }));
        expect(granted, name).toEqual(expected);
      }
    });

    it('gives each function only the key prefixes its state uses', () => {
      expect(item('Analyze', 'GetItem', 'control#r1')).toBe(true);
      expect(item('Analyze', 'GetItem', 'route#arn')).toBe(false);
      expect(item('Guard', 'UpdateItem', 'route#arn')).toBe(true);
      expect(item('Guard', 'UpdateItem', 'control#r1')).toBe(false);
      expect(item('Guard', 'GetItem', 'execution#arn')).toBe(true);
      expect(item('Guard', 'PutItem', 'execution#arn')).toBe(false);
      expect(item('Finish', 'DeleteItem', 'running#orders')).toBe(true);
      expect(item('Finish', 'DeleteItem', 'release#orders#r1')).toBe(false);
      // Shift reads the lock before and after each write (its fence), and nothing else of the table.
      expect(item('Shift', 'GetItem', 'route#arn')).toBe(true);
      expect(item('Shift', 'PutItem', 'route#arn')).toBe(false);
      expect(item('Shift', 'GetItem', 'release#orders#r1')).toBe(false);
    });
  });

  describe('side rules: deleted only when they carry stepshift’s tag', () => {
    const deleteRule = (service: 'elasticloadbalancing' | 'vpc-lattice', resource: string, tag?: string) =>
      may('Finish', {
        action: `${service}:DeleteRule`,
        resource,
        context: tag === undefined ? {} : { 'aws:ResourceTag/stepshift:side-route': [tag] },
      });

    it('lets the endings delete a side rule of a service released through the listener, never the release rule', () => {
      expect(
        deleteRule('elasticloadbalancing', `${ALB_RULES}/0a0b0c0d0e0f0a0b`, 'stepshift-carts-test'),
      ).toBe(true);
      expect(deleteRule('elasticloadbalancing', ALB_RULE)).toBe(false);
      expect(
        deleteRule('elasticloadbalancing', `${ALB_RULES}/0a0b0c0d0e0f0a0b`, 'stepshift-orders-test'),
      ).toBe(false);
      expect(
        deleteRule(
          'vpc-lattice',
          `${LATTICE_LISTENER}/rule/rule-aaaaaaaaaaaaaaaaa`,
          'stepshift-payments-cohort',
        ),
      ).toBe(true);
      expect(deleteRule('vpc-lattice', LATTICE_RULE)).toBe(false);
    });
  });
});
