import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, handlerFactories } from '#functions/index.ts';
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

// Two Lambda alias profiles, one naming the CodeDeploy deployment group that may deploy its alias.
describe("IAM for a Lambda profile's CodeDeploy deployment group", () => {
  let template: Template;
  let stack: Stack;
  let orchestrator: ReleaseOrchestrator;
  let violations: string[];

  beforeAll(() => {
    const app = unbundledApp();
    stack = new Stack(app, 'LambdaCodeDeploy');
    orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile({
          service: 'orders-api',
          router: {
            type: 'lambda',
            functionName: 'orders-api',
            alias: 'live',
            codeDeploy: { application: 'orders', deploymentGroup: 'orders-live' },
          },
          targets: { canary: '{version}' },
        }),
        ordersProfile({
          service: 'carts-api',
          router: { type: 'lambda', functionName: 'carts-api', alias: 'live' },
          targets: { canary: '{version}' },
        }),
      ],
    });
    attachNag(app);
    violations = reportedViolations(app);
    template = Template.fromStack(stack);
  }, 60_000);

  const granted = (fn: FunctionName) => {
    const role = stack.getLogicalId(orchestrator.functions[fn].role!.node.defaultChild as never);
    return statementsOfRole(template, role)
      .filter((s) => actionsOf(s).includes('codedeploy:ListDeployments'))
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
  };

  it('leaves no cdk-nag finding unacknowledged', () => {
    expect(violations).toEqual([]);
  });

  it("grants Prepare ListDeployments on the named group only, in the stack's account and region", () => {
    const resources = granted('Prepare');
    expect(resources).toHaveLength(1);
    expect(resources[0]).toContain(
      '"arn:",{"Ref":"AWS::Partition"},":codedeploy:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":deploymentgroup:orders/orders-live"',
    );
    const others = (Object.keys(handlerFactories) as FunctionName[]).filter((f) => f !== 'Prepare');
    for (const fn of others) expect(granted(fn), fn).toEqual([]);
  });
});
