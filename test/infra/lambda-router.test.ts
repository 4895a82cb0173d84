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

const FUNCTION = 'arn:aws:lambda:eu-west-1:444455556666:function:orders-api';

// A Lambda alias profile whose published versions start its releases. Not bundled: template only.
describe('IAM and the trigger for a Lambda alias profile', () => {
  let template: Template;
  let stack: Stack;
  let orchestrator: ReleaseOrchestrator;
  let violations: string[];

  beforeAll(() => {
    const app = unbundledApp();
    stack = new Stack(app, 'LambdaRouter');
    orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile({
          service: 'orders-api',
          router: { type: 'lambda', functionName: FUNCTION, alias: 'live' },
          targets: { canary: '{version}' },
          source: { lambdaFunction: 'orders-api' },
        }),
      ],
    });
    attachNag(app);
    violations = reportedViolations(app);
    template = Template.fromStack(stack);
  }, 60_000);

  const granted = (fn: FunctionName, action: string) => {
    const role = stack.getLogicalId(orchestrator.functions[fn].role!.node.defaultChild as never);
    return statementsOfRole(template, role)
      .filter((s) => actionsOf(s).includes(action))
      .flatMap(resourcesOf);
  };

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(violations).toEqual([]);
  });

  it('grants GetAlias and UpdateAlias on the named alias, GetFunctionConfiguration on its versions, nothing wider', () => {
    for (const fn of ['Shift', 'Promote', 'Rollback'] as const) {
      expect(granted(fn, 'lambda:UpdateAlias'), fn).toEqual([`${FUNCTION}:live`]);
    }
    expect(granted('Prepare', 'lambda:UpdateAlias')).toEqual([]);
    expect(granted('Analyze', 'lambda:GetAlias')).toEqual([`${FUNCTION}:live`]);
    expect(granted('Prepare', 'lambda:GetFunctionConfiguration')).toEqual([`${FUNCTION}:*`]);
    expect(granted('Prepare', 'lambda:GetProvisionedConcurrencyConfig')).toEqual([`${FUNCTION}:live`]);
  });

  it("starts a release from the CloudTrail event of the function's PublishVersion, with the ECR rule's retries and dead-letter queue", () => {
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['aws.lambda'] } },
    });
    const [rule] = Object.values(rules) as { Properties: Record<string, unknown> }[];
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.lambda'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['lambda.amazonaws.com'],
        eventName: [{ prefix: 'PublishVersion' }],
        errorCode: [{ exists: false }],
        // Only the functions profiles name, by name or ARN: another function's versions start nothing.
        requestParameters: { functionName: ['orders-api', { suffix: ':function:orders-api' }] },
      },
    });
    const targets = (rule?.Properties.Targets ?? []) as {
      DeadLetterConfig?: unknown;
      RetryPolicy?: unknown;
    }[];
    const [target] = targets;
    expect(target?.DeadLetterConfig).toBeDefined();
    expect(target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 });
  });
});
