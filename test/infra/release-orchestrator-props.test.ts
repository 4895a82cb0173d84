import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import type { ProfileInput } from '#core/profile/profile.ts';

import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { ordersProfile } from '../support/profiles.ts';
import {
  actionsOf,
  attachNag,
  reportedViolations,
  resourcesOf,
  statementsOfRole,
  templateOf,
  unbundledApp,
} from './support.ts';

// Construction and template only: the functions are not bundled here (release-orchestrator.test.ts
// bundles them once).
function orchestrate(
  profiles: ProfileInput[],
  extra: Partial<ConstructorParameters<typeof ReleaseOrchestrator>[2]> = {},
) {
  const stack = new Stack(unbundledApp(), 'Test');
  const orchestrator = new ReleaseOrchestrator(stack, 'Releases', { profiles, ...extra });
  return { stack, orchestrator };
}

describe('ReleaseOrchestrator props', () => {
  it('fails the synth on a bad profile with the sentences Prepare would answer, naming the profile', () => {
    const bad = ordersProfile({
      strategy: { type: 'canary', steps: [10, 50, 120], interval: '5m' },
      targets: { canary: 'orders' },
    });
    expect(() => orchestrate([ordersProfile({ service: 'payments' }), bad])).toThrow(
      'ReleaseOrchestrator: profiles[1] (service "orders") is not a valid release profile: ' +
        'profile.targets.canary: "orders" has no {version}; the new version\'s target is named by template, e.g. "orders-{version}"; ' +
        'profile.strategy.steps[2]: 120 is above 100; weights are percentages 1..100',
    );
  });

  it('fails the synth on a profile Prepare could not store as canonical JSON', () => {
    const hooks = [
      {
        name: 'smoke',
        phase: 'preRollout' as const,
        type: 'webhook' as const,
        url: 'https://h.example/\ud800',
      },
    ];
    expect(() => orchestrate([ordersProfile({ hooks })])).toThrow(
      'ReleaseOrchestrator: profiles[0] (service "orders") is not a valid release profile: profile: cannot be stored as canonical JSON (Lone surrogate is not allowed)',
    );
  });

  it('refuses two profiles for the same service', () => {
    expect(() =>
      orchestrate([ordersProfile(), ordersProfile({ targets: { canary: 'orders-v{version}' } })]),
    ).toThrow(
      'ReleaseOrchestrator: profiles[0] and profiles[1] are both for service "orders"; a service has one release profile',
    );
  });

  it('refuses an empty list of profiles', () => {
    expect(() => orchestrate([])).toThrow('profiles is empty');
  });

  it('adds no ECR rule when no profile names a source', () => {
    const { stack } = orchestrate([ordersProfile()]);
    const template = templateOf(stack);
    // Release Requested, the guard's rule on ended executions, the alarm rule, and the two whose matches
    // stepshift's own alarms count; no ECR rule.
    template.resourceCountIs('AWS::Events::Rule', 5);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['stepshift'], 'detail-type': ['Release Requested'] },
    });
  });

  it('grants each service its own route and, for a shared mesh, uses the mesh owner account', () => {
    const { stack, orchestrator } = orchestrate([
      ordersProfile(),
      ordersProfile({
        service: 'payments',
        router: {
          type: 'appmesh',
          meshName: 'bank',
          virtualRouterName: 'payments-router',
          routeName: 'payments-route',
          meshOwner: '111122223333',
        },
        targets: { canary: 'payments-{version}' },
      }),
    ]);
    const template = templateOf(stack);
    const shiftRole = stack.getLogicalId(orchestrator.functions.Shift.role!.node.defaultChild as never);
    const routes = statementsOfRole(template, shiftRole)
      .filter(
        (s) => actionsOf(s).includes('appmesh:UpdateRoute') && actionsOf(s).includes('appmesh:DescribeRoute'),
      )
      .flatMap(resourcesOf);
    expect(routes).toHaveLength(2);
    expect(JSON.stringify(routes[1])).toContain(
      ':111122223333:mesh/bank/virtualRouter/payments-router/route/payments-route',
    );
    // Each service's side routes, under its own router and, for a shared mesh, the owner's account.
    const sides = statementsOfRole(template, shiftRole)
      .filter(
        (s) => actionsOf(s).includes('appmesh:CreateRoute') && actionsOf(s).includes('appmesh:DescribeRoute'),
      )
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
    expect(sides).toHaveLength(4);
    expect(
      sides.filter((r) =>
        r.includes(':111122223333:mesh/bank/virtualRouter/payments-router/route/stepshift-payments-'),
      ),
    ).toHaveLength(2);
  });

  it('takes the log retention, the log level and the table deletion protection from props', () => {
    const { stack } = orchestrate([ordersProfile()], {
      logRetention: logs.RetentionDays.ONE_WEEK,
      logLevel: 'DEBUG',
      tableDeletionProtection: false,
    });
    const template = templateOf(stack);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    template.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'DEBUG' }),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
  });

  // The file's first cdk-nag run loads its rule packs: over 20 s on a loaded 2-core machine.
  it('leaves no cdk-nag finding in a stack with an explicit account and region', () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Pinned', { env: { account: '111122223333', region: 'eu-west-1' } });
    new ReleaseOrchestrator(stack, 'Releases', { profiles: [ordersProfile()] });
    attachNag(app);
    expect(reportedViolations(app)).toEqual([]);
  }, 60_000);

  it("lets Prepare read the new version's ECS service by the template's prefix, cdk-nag clean", () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Ecs');
    const orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile({
          targets: {
            canary: 'orders-{version}',
            ecsService: { cluster: 'shop', service: 'orders-{version}' },
          },
        }),
      ],
    });
    attachNag(app);
    const template = Template.fromStack(stack);
    const role = stack.getLogicalId(orchestrator.functions.Prepare.role!.node.defaultChild as never);
    const granted = statementsOfRole(template, role).filter((s) =>
      actionsOf(s).includes('ecs:DescribeServices'),
    );
    expect(JSON.stringify(granted.flatMap(resourcesOf))).toContain(':service/shop/orders-*');
    const shift = stack.getLogicalId(orchestrator.functions.Shift.role!.node.defaultChild as never);
    expect(statementsOfRole(template, shift).flatMap(actionsOf)).not.toContain('ecs:DescribeServices');
    expect(reportedViolations(app)).toEqual([]);
  });

  it('lets only the functions that run a Lambda hook invoke it, and its qualifiers, cdk-nag clean', () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Hooks');
    const orchestrator = new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile({
          hooks: [
            { name: 'smoke', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
            { name: 'tell', phase: 'rollback', type: 'lambda', functionName: 'orders-tell' },
            // A signed webhook: its secret's grant goes through cdk-nag in the same synth.
            {
              name: 'load',
              phase: 'rollout',
              type: 'webhook',
              url: 'https://hooks.example.com/load',
              secret: { secretId: 'stepshift/orders-load' },
            },
          ],
        } as never),
      ],
    });
    attachNag(app);
    const template = Template.fromStack(stack);
    const invoked = (name: 'Shift' | 'Analyze' | 'Finish' | 'Rollback' | 'Prepare') =>
      JSON.stringify(
        statementsOfRole(
          template,
          stack.getLogicalId(orchestrator.functions[name].role!.node.defaultChild as never),
        )
          .filter((st) => actionsOf(st).includes('lambda:InvokeFunction'))
          .flatMap(resourcesOf),
      );
    expect(invoked('Shift')).toContain(':function:orders-smoke');
    expect(invoked('Shift')).not.toContain('orders-tell');
    expect(invoked('Rollback')).toContain(':function:orders-tell');
    expect(invoked('Analyze')).toBe('[]');
    expect(invoked('Prepare')).toBe('[]');
    const analyze = stack.getLogicalId(orchestrator.functions.Analyze.role!.node.defaultChild as never);
    expect(JSON.stringify(statementsOfRole(template, analyze))).toContain(
      ':secret:stepshift/orders-load-??????',
    );
    expect(reportedViolations(app)).toEqual([]);
  });

  it('adds no alarm function or rule when no profile names an alarm', () => {
    const { stack, orchestrator } = orchestrate([
      ordersProfile({ analysis: { alarms: [], failureThreshold: 1, insufficientData: 'ignore' } }),
    ]);
    const template = templateOf(stack);
    expect(orchestrator.alarmFunction).toBeUndefined();
    // Release Requested, the guard's, and the two stepshift's own alarms count.
    template.resourceCountIs('AWS::Events::Rule', 4);
    expect(JSON.stringify(template.findResources('AWS::Events::Rule'))).not.toContain('aws.cloudwatch');
  });

  it('matches the alarms of every profile, once each, in ALARM only', () => {
    const { stack } = orchestrate([
      ordersProfile({ analysis: { alarms: ['orders-5xx', 'shared-latency'] } }),
      ordersProfile({
        service: 'payments',
        router: {
          type: 'appmesh',
          meshName: 'bank',
          virtualRouterName: 'payments-router',
          routeName: 'payments-route',
        },
        targets: { canary: 'payments-{version}' },
        analysis: { alarms: ['shared-latency', 'payments-5xx'] },
      }),
    ]);
    templateOf(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: {
          alarmName: ['orders-5xx', 'shared-latency', 'payments-5xx'],
          state: { value: ['ALARM'] },
        },
      },
    });
  });

  it('grants observing releases: listing executions and reading their histories, nothing else', () => {
    const { stack, orchestrator } = orchestrate([ordersProfile()], { stateMachineName: 'releases' });
    const observer = new iam.Role(stack, 'Observer', { assumedBy: new iam.AccountRootPrincipal() });
    orchestrator.grantObserve(observer);
    const template = templateOf(stack);
    const machine = { Ref: stack.getLogicalId(orchestrator.stateMachine.node.defaultChild as never) };
    const statements = statementsOfRole(template, stack.getLogicalId(observer.node.defaultChild as never));
    expect(statements.map((s) => ({ actions: actionsOf(s), resources: resourcesOf(s) }))).toEqual([
      { actions: ['states:ListExecutions'], resources: [machine] },
      {
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [expect.objectContaining({ 'Fn::Join': expect.anything() })],
      },
    ]);
    expect(JSON.stringify(statements[1])).toContain(':execution:');
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb|StartExecution|SendTask|StopExecution/);
  });

  it('grants starting and following releases, putting requests, and task responses, each scoped', () => {
    const { stack, orchestrator } = orchestrate([ordersProfile()], { stateMachineName: 'releases' });
    const starter = new iam.Role(stack, 'Starter', { assumedBy: new iam.AccountRootPrincipal() });
    const requester = new iam.Role(stack, 'Requester', { assumedBy: new iam.AccountRootPrincipal() });
    const responder = new iam.Role(stack, 'Responder', { assumedBy: new iam.AccountRootPrincipal() });
    const operator = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    orchestrator.grantStartRelease(starter);
    orchestrator.grantPutReleaseRequest(requester);
    orchestrator.grantTaskResponse(responder);
    orchestrator.grantOperate(operator);
    const template = templateOf(stack);
    const machine = { Ref: stack.getLogicalId(orchestrator.stateMachine.node.defaultChild as never) };
    const statements = (role: iam.Role) =>
      statementsOfRole(template, stack.getLogicalId(role.node.defaultChild as never)).map((s) => ({
        actions: actionsOf(s),
        resources: resourcesOf(s),
        ...((s as { Condition?: unknown }).Condition
          ? { condition: (s as { Condition?: unknown }).Condition }
          : {}),
      }));

    expect(statements(starter)).toEqual([
      { actions: ['states:StartExecution'], resources: [machine] },
      {
        actions: ['states:DescribeExecution'],
        resources: [expect.objectContaining({ 'Fn::Join': expect.anything() })],
      },
    ]);
    expect(JSON.stringify(statements(starter)[1]!.resources)).toContain(':execution:');
    // "Release Requested" and nothing else: the lifecycle events share the source, not the detail-type.
    expect(statements(requester)).toEqual([
      {
        actions: ['events:PutEvents'],
        resources: [
          { 'Fn::GetAtt': [stack.getLogicalId(orchestrator.eventBus.node.defaultChild as never), 'Arn'] },
        ],
        condition: {
          'ForAllValues:StringEquals': {
            'events:source': ['stepshift'],
            'events:detail-type': ['Release Requested'],
          },
          Null: { 'events:source': 'false', 'events:detail-type': 'false' },
        },
      },
    ]);
    expect(statements(responder)).toEqual([
      {
        actions: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
        resources: [machine],
      },
    ]);
    // stepshift abort|promote|pause|resume: the release's controls in the table, and its bake. Only
    // control# items: no lock, snapshot or ledger item can be read or rewritten through this grant.
    const table = stack.getLogicalId(orchestrator.table.node.defaultChild as never);
    expect(statements(operator)).toEqual([
      {
        actions: ['dynamodb:UpdateItem'],
        resources: [{ 'Fn::GetAtt': [table, 'Arn'] }],
        condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['control#*'] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      },
      {
        actions: ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
        resources: [machine],
      },
    ]);
  });

  it('logs every execution event without its data unless executionLogging says otherwise', () => {
    const logging = (extra: Parameters<typeof orchestrate>[1]) =>
      Template.fromStack(orchestrate([ordersProfile()], extra).stack).findResources(
        'AWS::StepFunctions::StateMachine',
      );
    const [byDefault] = Object.values(logging({}));
    expect(byDefault!.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
    });
    const [debugging] = Object.values(
      logging({ executionLogging: { level: sfn.LogLevel.ERROR, includeExecutionData: true } }),
    );
    expect(debugging!.Properties.LoggingConfiguration).toMatchObject({
      Level: 'ERROR',
      IncludeExecutionData: true,
    });
  });
});
