import { Duration, Fn, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LIFECYCLE_DETAIL_TYPES, LIFECYCLE_SOURCE } from '#core/lifecycle.ts';
import { VERDICT_ERRORS } from '#core/outcome.ts';

export interface OwnAlarmsProps {
  readonly eventBus: events.IEventBus;
  readonly stateMachine: sfn.IStateMachine;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Alarms on stepshift itself, from metrics AWS publishes anyway (no custom metric):
 * - RollbackFailed: the guard's "Release Failed" event with error RollbackFailed, which it puts on
 *   the bus when an execution ended in the "Rollback failed" Fail state and left the route off its
 *   snapshot (core/release/guard.ts). Neither Step Functions' execution metrics (no error dimension)
 *   nor its status change event (which may carry no error; the guard asks DescribeExecution) say so.
 * - FailedOutsideVerdict: a release that rolled back or failed for a reason other than a verdict or a
 *   person (the router, the table or a function failing), or an execution that timed out.
 * - DeadLetterQueueNotEmpty: a trigger that could not start a release, or a guard run that gave up.
 * The first two count the matches of an EventBridge rule on the bus: AWS/Events TriggeredRules, "the
 * number of rules that have run and matched with any event", by EventBusName and RuleName on a custom
 * bus, by RuleName on the default one (EventBridge user guide, "Monitoring Amazon EventBridge"). The
 * guide does not say that a rule without a target runs, and its Invocations counts targets invoked; so
 * each rule sends what it matches to a queue, `countedEvents`, and is an ordinary rule that runs.
 */
export class OwnAlarms extends Construct {
  readonly rollbackFailed: cloudwatch.Alarm;
  readonly failedOutsideVerdict: cloudwatch.Alarm;
  readonly deadLetterQueueNotEmpty: cloudwatch.Alarm;
  /**
   * The events the rules counted, kept 14 days for a person to read. A queue rather than a log group:
   * EventBridge writes to a log group through a CloudWatch Logs resource policy, of which an account
   * has at most 10 per Region (CloudWatch Logs API reference, PutResourcePolicy), and aws-cdk-lib puts
   * it with a custom resource's function; a queue's policy is its own. Nothing consumes it.
   */
  readonly countedEvents: sqs.Queue;

  constructor(scope: Construct, id: string, props: OwnAlarmsProps) {
    super(scope, id);
    const onDefaultBus = props.eventBus.eventBusName === 'default';
    const matches = (rule: events.Rule) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'TriggeredRules',
        dimensionsMap: onDefaultBus
          ? { RuleName: rule.ruleName }
          : {
              EventBusName: props.eventBus.eventBusName,
              // A rule on a custom bus is referred to as "<bus>|<rule>" (Ref of AWS::Events::Rule).
              RuleName: Fn.select(1, Fn.split('|', rule.ruleName)),
            },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.countedEvents = new sqs.Queue(this, 'CountedEvents', {
      // SSE-SQS: EventBridge sends to it with no key policy to grant (a customer managed key needs one).
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.countedEvents).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'Nothing consumes this queue: it keeps the events the alarms counted for a person to read, until they expire; a dead-letter queue would only hold the same events again.',
    });
    // The target's queue policy lets each rule send only as itself (aws:SourceArn), with no role.
    const counted = new targets.SqsQueue(this.countedEvents);

    const rollbackFailedRule = new events.Rule(this, 'RollbackFailedRule', {
      description:
        'Counts releases whose rollback failed and left the route off its snapshot (the guard tries again).',
      eventBus: props.eventBus,
      eventPattern: {
        source: [LIFECYCLE_SOURCE],
        detailType: [LIFECYCLE_DETAIL_TYPES['release.failed']],
        detail: { error: ['RollbackFailed'] },
      },
      targets: [counted],
    });
    this.rollbackFailed = new cloudwatch.Alarm(this, 'RollbackFailed', {
      alarmDescription: `A release's rollback failed and left its route off the snapshot; the guard tries again. Read the Release Failed event's reason (it waits in the SQS queue ${this.countedEvents.queueName}), and the route.`,
      metric: matches(rollbackFailedRule),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const failedRule = new events.Rule(this, 'FailedOutsideVerdictRule', {
      description:
        'Counts releases that rolled back or failed because stepshift or AWS failed, not because of a verdict or a person.',
      eventBus: props.eventBus,
      eventPattern: {
        source: [LIFECYCLE_SOURCE],
        detailType: [LIFECYCLE_DETAIL_TYPES['release.rolled_back'], LIFECYCLE_DETAIL_TYPES['release.failed']],
        detail: { error: [{ 'anything-but': [...VERDICT_ERRORS, 'RollbackFailed'] }] },
      },
      targets: [counted],
    });
    const timedOut = props.stateMachine.metricTimedOut({ statistic: 'Sum', period: Duration.minutes(5) });
    this.failedOutsideVerdict = new cloudwatch.Alarm(this, 'FailedOutsideVerdict', {
      alarmDescription: `A release rolled back or failed because the router, the table or a function failed (not a verdict or a person), or an execution timed out. Its event waits in the SQS queue ${this.countedEvents.queueName}.`,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: { failed: matches(failedRule), timedOut },
        period: Duration.minutes(5),
        label: 'releases failed outside a verdict',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.deadLetterQueueNotEmpty = new cloudwatch.Alarm(this, 'DeadLetterQueueNotEmpty', {
      alarmDescription:
        "stepshift's dead-letter queue holds events: a trigger that could not start a release, or a guard run that gave up with a route's lock held. Read the messages.",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  get alarms(): cloudwatch.Alarm[] {
    return [this.rollbackFailed, this.failedOutsideVerdict, this.deadLetterQueueNotEmpty];
  }
}
