import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import type { ProfileInput } from '#core/profile/profile.ts';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { ordersProfile } from '../support/profiles.ts';
import { attachNag, reportedViolations, templateOf, unbundledApp } from './support.ts';

type Props = ConstructorParameters<typeof ReleaseOrchestrator>[2];

function orchestrate(profiles: ProfileInput[], extra: Partial<Props> = {}) {
  const app = unbundledApp();
  const stack = new Stack(app, 'Test');
  const orchestrator = new ReleaseOrchestrator(stack, 'Releases', { profiles, ...extra });
  return { app, stack, orchestrator, template: templateOf(stack) };
}

const scenarioProfile = (file: string): ProfileInput =>
  (
    JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')) as {
      profile: ProfileInput;
    }
  ).profile;

/** The dashboard's body with every CloudFormation token read as "TOKEN", parsed. */
function dashboardBody(template: Template, name: string): DashboardBody {
  const [dashboard] = Object.values(
    template.findResources('AWS::CloudWatch::Dashboard', { Properties: { DashboardName: name } }),
  );
  if (dashboard === undefined) throw new Error(`no dashboard ${name}`);
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')) as DashboardBody;
}

interface DashboardBody {
  readonly widgets: { type: string; properties: Record<string, unknown> }[];
  readonly variables?: Record<string, unknown>[];
}

const titled = (body: DashboardBody, title: string) => {
  const widget = body.widgets.find((w) => w.properties.title === title);
  if (widget === undefined)
    throw new Error(`no widget "${title}" in ${body.widgets.map((w) => w.properties.title)}`);
  return widget.properties;
};

describe('the per-service dashboard', () => {
  it("draws each service's gating alarms, its metric checks for canary and stable, outcomes and the dead-letter queue", () => {
    const judged = { ...scenarioProfile('judge-latency-shifted-2.json'), service: 'payments' };
    const { template } = orchestrate([
      ordersProfile({ analysis: { alarms: ['orders-5xx', 'orders-health'] } }),
      judged,
    ]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);

    const orders = dashboardBody(template, 'stepshift-orders');
    // By ARN, in the stack's account and region: the profile names alarms, which may be composite.
    expect(titled(orders, 'Gating alarms').alarms).toEqual([
      'arn:TOKEN:cloudwatch:TOKEN:TOKEN:alarm:orders-5xx',
      'arn:TOKEN:cloudwatch:TOKEN:TOKEN:alarm:orders-health',
    ]);
    const outcomes = titled(orders, 'Release outcomes (all services of this orchestrator)');
    expect((outcomes.metrics as unknown[][]).map((m) => m[1])).toEqual([
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsAborted',
      'ExecutionsTimedOut',
    ]);
    const queue = titled(orders, 'Dead-letter queue: events the triggers and the guard could not handle');
    expect((queue.metrics as unknown[][])[0]?.slice(0, 2)).toEqual([
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
    ]);
    expect(orders.variables ?? []).toEqual([]);

    // A comparison: the same query once per side, each side's target a variable chosen from the metric's values.
    const payments = dashboardBody(template, 'stepshift-payments');
    const latency = titled(payments, 'p99 latency: canary against stable');
    expect(latency.metrics).toEqual([
      [
        'Shop/Orders',
        'Latency',
        'VirtualNode',
        'STEPSHIFT_CANARY_TARGET',
        { label: 'p99 latency (canary)', period: 60, stat: 'p99' },
      ],
      [
        'Shop/Orders',
        'Latency',
        'VirtualNode',
        'STEPSHIFT_STABLE_TARGET',
        { label: 'p99 latency (stable)', period: 60, stat: 'p99' },
      ],
    ]);
    expect(payments.variables).toEqual([
      expect.objectContaining({
        id: 'canary',
        type: 'pattern',
        pattern: 'STEPSHIFT_CANARY_TARGET',
        inputType: 'select',
        search: '{Shop/Orders,VirtualNode} MetricName="Latency"',
        populateFrom: 'VirtualNode',
      }),
      expect.objectContaining({ id: 'stable', pattern: 'STEPSHIFT_STABLE_TARGET', inputType: 'select' }),
    ]);
    expect(payments.widgets.some((w) => w.properties.title === 'Gating alarms')).toBe(false);
  });

  it("draws a bound check's metric math with its queries and its bound, and a Metrics Insights query as written", () => {
    const errorRate = scenarioProfile('metrics-error-rate-rollback.json');
    const insights = ordersProfile({
      service: 'search',
      analysis: {
        alarms: [],
        metrics: [
          {
            name: 'p90',
            queries: [
              {
                Id: 'q',
                Expression: 'SELECT AVG(Latency) FROM "Shop/Search" WHERE Version = \'{version}\'',
                Period: 60,
              },
            ],
            returnId: 'q',
            max: 250,
          },
        ],
      },
    });
    const { template } = orchestrate([errorRate, insights]);
    const rate = titled(dashboardBody(template, 'stepshift-orders'), 'error-rate: canary');
    expect(rate.metrics).toEqual([
      [{ label: 'error-rate (canary)', expression: 'canary_0_errors / canary_0_requests', period: 60 }],
      [
        'Shop/Orders',
        'HTTP5xx',
        'VirtualNode',
        'STEPSHIFT_CANARY_TARGET',
        { id: 'canary_0_errors', visible: false, period: 60, stat: 'Sum' },
      ],
      [
        'Shop/Orders',
        'Requests',
        'VirtualNode',
        'STEPSHIFT_CANARY_TARGET',
        { id: 'canary_0_requests', visible: false, period: 60, stat: 'Sum' },
      ],
    ]);
    expect(rate.annotations).toEqual({ horizontal: [{ value: 0.01, label: 'max 0.01', yAxis: 'left' }] });

    const search = dashboardBody(template, 'stepshift-search');
    expect(titled(search, 'p90: canary').metrics).toEqual([
      [
        {
          label: 'p90 (canary)',
          expression: 'SELECT AVG(Latency) FROM "Shop/Search" WHERE Version = \'STEPSHIFT_VERSION\'',
          period: 60,
        },
      ],
    ]);
    // Nothing names the version as a plain dimension value: a text box.
    expect(search.variables).toEqual([
      expect.objectContaining({ id: 'version', pattern: 'STEPSHIFT_VERSION', inputType: 'input' }),
    ]);
  });

  it('is named after the service with the prefix given, and left out with dashboards: false', () => {
    const named = orchestrate([ordersProfile({ service: 'shop.orders' })], {
      dashboardNamePrefix: 'team-a-',
    });
    named.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'team-a-shop_orders',
    });
    orchestrate([ordersProfile()], { dashboards: false }).template.resourceCountIs(
      'AWS::CloudWatch::Dashboard',
      0,
    );
    expect(() => orchestrate([ordersProfile()], { dashboardNamePrefix: 'team a/' })).toThrow(
      'ReleaseOrchestrator: dashboardNamePrefix "team a/" is not the start of a dashboard name; use up to 127 letters, digits, "-" and "_"',
    );
  });
});

describe("stepshift's alarms on itself", () => {
  it('alarm on a failed rollback, a release failing outside a verdict, and the dead-letter queue', () => {
    const { template, orchestrator } = orchestrate([ordersProfile()]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['stepshift'],
        'detail-type': ['Release Failed'],
        detail: { error: ['RollbackFailed'] },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [
        { Name: 'EventBusName', Value: Match.anyValue() },
        { Name: 'RuleName', Value: { 'Fn::Select': [1, { 'Fn::Split': ['|', Match.anyValue()] }] } },
      ],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['stepshift'],
        'detail-type': ['Release Rolled Back', 'Release Failed'],
        detail: {
          error: [
            {
              'anything-but': [
                'ReleaseRolledBack',
                'HookFailed',
                'PromotionRejected',
                'ApprovalExpired',
                'ReleaseAborted',
                'RouteDrifted',
                'ExecutionStopped',
                'RollbackFailed',
              ],
            },
          ],
        },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0)' }),
        Match.objectLike({
          Id: 'timedOut',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }),
        }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
    });
    expect(orchestrator.ownAlarms?.alarms).toHaveLength(3);
    // No topic: nothing to notify.
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AlarmActions');
  });

  it('are left out with ownAlarms: false', () => {
    const { template, orchestrator } = orchestrate([ordersProfile()], { ownAlarms: false });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(orchestrator.ownAlarms).toBeUndefined();
  });
});

describe('notifications', () => {
  const targetOf = (template: Template, detailType: string) => {
    // The own alarms' rules match on the detail too and send to their queue: not notifications.
    const rules = Object.values(
      template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { source: ['stepshift'], 'detail-type': [detailType] } },
      }),
    ).filter(
      (rule) => rule.Properties.Targets !== undefined && rule.Properties.EventPattern.detail === undefined,
    );
    expect(rules).toHaveLength(1);
    return rules[0]?.Properties.Targets[0];
  };

  it('write each lifecycle event as a sentence from its detail, to a topic encrypted with its own key', () => {
    const { template, orchestrator } = orchestrate([ordersProfile()], { notifications: {} });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // EventBridge publishes through a role of the stack: the topic's policy names no events.amazonaws.com,
    // which would let any account's rules publish to it.
    expect(JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'))).not.toContain(
      'events.amazonaws.com',
    );
    const rolledBack = targetOf(template, 'Release Rolled Back');
    expect(rolledBack.RoleArn).toEqual({
      'Fn::GetAtt': [expect.stringContaining('NotificationsPublishRole'), 'Arn'],
    });
    expect(rolledBack.InputTransformer).toEqual({
      InputPathsMap: {
        'detail-service': '$.detail.service',
        'detail-version': '$.detail.version',
        'detail-reason': '$.detail.reason',
      },
      InputTemplate: '"<detail-service> <detail-version> rolled back: <detail-reason>"',
    });
    expect(targetOf(template, 'Release Failed').InputTransformer.InputTemplate).toBe(
      '"<detail-service> <detail-version> failed (<detail-error>): <detail-reason>"',
    );
    // Every step and the promotion told twice are left to the logs unless asked for.
    for (const quiet of ['Traffic Shifted', 'Release Finished']) {
      expect(
        Object.keys(
          template.findResources('AWS::Events::Rule', {
            Properties: { EventPattern: { 'detail-type': [quiet] } },
          }),
        ),
      ).toEqual([]);
    }
    // stepshift's own alarms tell the same topic.
    const actions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmActions,
    );
    expect(actions).toHaveLength(3);
    for (const action of actions)
      expect(action).toEqual([{ Ref: expect.stringContaining('NotificationsTopic') }]);
    expect(orchestrator.notificationTopic).toBeDefined();
  });

  it('write the custom notification chat applications post, for the events asked for, to the topic given', () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Chat');
    const topic = new sns.Topic(stack, 'TeamTopic');
    new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [ordersProfile()],
      notifications: { topic, format: 'chat', events: ['Traffic Shifted', 'Release Rolled Back'] },
    });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const shifted = targetOf(template, 'Traffic Shifted');
    expect(shifted.Arn).toEqual({ Ref: expect.stringContaining('TeamTopic') });
    expect(JSON.parse(shifted.InputTransformer.InputTemplate)).toEqual({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        title: '<detail-service> <detail-version>: step <detail-step> of <detail-steps>',
        description:
          '<detail-weights-0--target> <detail-weights-0--weight>% · <detail-weights-1--target> <detail-weights-1--weight>%',
      },
    });
    expect(shifted.InputTransformer.InputPathsMap['detail-weights-0--weight']).toBe(
      '$.detail.weights[0].weight',
    );
    expect(
      Object.keys(
        template.findResources('AWS::Events::Rule', {
          Properties: { EventPattern: { 'detail-type': ['Release Promoted'] } },
        }),
      ),
    ).toEqual([]);
  });

  it('are none without the prop', () => {
    const { template, orchestrator } = orchestrate([ordersProfile()]);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(orchestrator.notificationTopic).toBeUndefined();
  });
});

describe('cdk-nag', () => {
  it('finds nothing in the dashboards, alarms, topic, key and rules', () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Observed');
    new ReleaseOrchestrator(stack, 'Releases', {
      profiles: [
        ordersProfile(),
        { ...scenarioProfile('judge-latency-shifted-2.json'), service: 'payments' },
      ],
      notifications: { format: 'chat' },
    });
    attachNag(app);
    expect(reportedViolations(app)).toEqual([]);
    // Synthesizing stages the functions' assets: seconds more on a loaded machine.
  }, 240_000);
});
