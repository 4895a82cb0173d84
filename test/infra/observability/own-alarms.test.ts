import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { OwnAlarms } from '#infra/observability/own-alarms.ts';
import { templateOf, unbundledApp } from '../support.ts';

/**
 * OwnAlarms alone in a stack: no functions, so no assets to stage, and a template in a tenth of a second.
 * cdk-nag looks at the alarms, rules and queue in test/infra/observability.test.ts, with the whole construct.
 */
function ownAlarms(bus: 'custom' | 'default' = 'custom') {
  const app = unbundledApp();
  const stack = new Stack(app, 'Alarmed', { env: { account: '111122223333', region: 'eu-west-1' } });
  const eventBus =
    bus === 'default'
      ? events.EventBus.fromEventBusName(stack, 'Bus', 'default')
      : new events.EventBus(stack, 'Bus', { eventBusName: 'stepshift' });
  const alarms = new OwnAlarms(stack, 'OwnAlarms', {
    eventBus,
    stateMachine: sfn.StateMachine.fromStateMachineName(stack, 'Releases', 'releases'),
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:eu-west-1:111122223333:dlq'),
  });
  return { app, alarms, template: templateOf(stack) };
}

/** The logical id of the one rule whose pattern matches. */
function ruleId(template: Template, pattern: Record<string, unknown>): string {
  const found = Object.keys(
    template.findResources('AWS::Events::Rule', { Properties: { EventPattern: pattern } }),
  );
  expect(found).toHaveLength(1);
  return found[0] as string;
}

const rollbackFailedPattern = { 'detail-type': ['Release Failed'], detail: { error: ['RollbackFailed'] } };
const failedOutsideVerdictPattern = { 'detail-type': ['Release Rolled Back', 'Release Failed'] };

/** How a custom bus's rule is named in the metric: the second part of its Ref, "<bus>|<rule>". */
const customBusRuleName = (logicalId: string) => ({
  'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: logicalId }] }],
});

describe("stepshift's alarms on itself count rules that have a target", () => {
  it('send what each counting rule matches to one queue, only from those rules, so each rule runs', () => {
    const { template, alarms } = ownAlarms();
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(1);
    const [queueId] = Object.keys(queues) as [string];
    expect(queues[queueId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(Stack.of(alarms).resolve(alarms.countedEvents.queueArn)).toEqual({
      'Fn::GetAtt': [queueId, 'Arn'],
    });

    const rules = [ruleId(template, rollbackFailedPattern), ruleId(template, failedOutsideVerdictPattern)];
    for (const rule of rules) {
      const targets = template.findResources('AWS::Events::Rule')[rule]?.Properties.Targets as Record<
        string,
        unknown
      >[];
      // A resource-based policy lets EventBridge send, so no role (EventBridge user guide, "Using
      // resource-based policies for Amazon EventBridge": do not specify RoleArn for SQS targets).
      expect(targets).toEqual([{ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, Id: 'Target0' }]);
    }

    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const statements = policy?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const sends = statements.filter((s) => s.Effect === 'Allow');
    expect(sends).toHaveLength(2);
    for (const [i, rule] of rules.entries()) {
      expect(sends[i]).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        // What aws-cdk-lib's grantSendMessages grants: SendMessage, and the reads that go with it.
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [rule, 'Arn'] } } },
      });
    }
    // Every other sender, and any request without TLS, is refused.
    expect(statements.filter((s) => s.Effect === 'Deny')).toEqual([
      expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('alarm each on the matches of its own rule, by bus and rule name on a custom bus', () => {
    const { template } = ownAlarms();
    const rollbackFailed = ruleId(template, rollbackFailedPattern);
    const failed = ruleId(template, failedOutsideVerdictPattern);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [
        { Name: 'EventBusName', Value: { Ref: Match.stringLikeRegexp('^Bus') } },
        { Name: 'RuleName', Value: customBusRuleName(rollbackFailed) },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'failed',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/Events',
              MetricName: 'TriggeredRules',
              Dimensions: [
                { Name: 'EventBusName', Value: { Ref: Match.stringLikeRegexp('^Bus') } },
                { Name: 'RuleName', Value: customBusRuleName(failed) },
              ],
            },
          }),
        }),
      ]),
    });
  });

  it('name the queue where the events they counted wait, in their descriptions', () => {
    const { template } = ownAlarms();
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue')) as [string];
    const counting = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => !JSON.stringify(alarm.Properties).includes('AWS/SQS'),
    );
    expect(counting).toHaveLength(2);
    for (const alarm of counting) {
      expect(JSON.stringify(alarm.Properties.AlarmDescription)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
      );
    }
  });

  it('alarm by rule name alone on the default bus, whose rules are named by their Ref', () => {
    const { template } = ownAlarms('default');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: ruleId(template, rollbackFailedPattern) } }],
    });
  });
});
