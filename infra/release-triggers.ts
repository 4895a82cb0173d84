import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import {
  ECR_IMAGE_ACTION,
  LAMBDA_PUBLISH_VERSION,
  RELEASE_REQUESTED,
} from '#core/triggers/eventbridge-envelope.ts';

/** Where the EventBridge rules' events go when their target cannot take them, for a person. */
export function triggerDeadLetterQueue(scope: Construct): sqs.Queue {
  const deadLetterQueue = new sqs.Queue(scope, 'TriggerDeadLetterQueue', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue of the EventBridge rules that start releases; a dead-letter queue of its own would only move the same events one queue further.',
  });
  return deadLetterQueue;
}

export interface ReleaseTriggerOptions {
  readonly eventBus: events.IEventBus;
  readonly stateMachine: sfn.IStateMachine;
  readonly deadLetterQueue: sqs.IQueue;
  readonly profiles: readonly ReleaseProfile[];
}

/**
 * The rules that start releases: a "Release Requested" event on the stepshift bus, and an image
 * pushed to a repository a profile names (ECR publishes image actions on the account's default bus only).
 */
export function releaseTriggers(scope: Construct, options: ReleaseTriggerOptions): void {
  const startRelease = () =>
    new targets.SfnStateMachine(options.stateMachine, {
      deadLetterQueue: options.deadLetterQueue,
      // A release that starts an hour late surprises no one; later than that, a person decides.
      retryAttempts: 8,
      maxEventAge: Duration.hours(1),
    });

  new events.Rule(scope, 'ReleaseRequestedRule', {
    description: 'Starts a release for each "Release Requested" event on the stepshift bus.',
    eventBus: options.eventBus,
    eventPattern: { source: [RELEASE_REQUESTED.source], detailType: [RELEASE_REQUESTED.detailType] },
    targets: [startRelease()],
  });

  const repositories = [
    ...new Set(
      options.profiles.flatMap((p) =>
        p.source && 'ecrRepository' in p.source ? [p.source.ecrRepository] : [],
      ),
    ),
  ];
  if (repositories.length > 0) {
    new events.Rule(scope, 'ImagePushedRule', {
      description: 'Starts a release when an image is pushed to a repository a release profile names.',
      eventPattern: {
        source: [ECR_IMAGE_ACTION.source],
        detailType: [ECR_IMAGE_ACTION.detailType],
        detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': repositories },
      },
      targets: [startRelease()],
    });
  }

  const functions = [
    ...new Set(
      options.profiles.flatMap((p) =>
        p.source && 'lambdaFunction' in p.source ? [p.source.lambdaFunction] : [],
      ),
    ),
  ];
  if (functions.length > 0) {
    // CloudTrail delivers Lambda's management events to the default bus as "AWS API Call via CloudTrail".
    // The request names the function by name or ARN, so the rule takes either spelling of the functions
    // profiles name (an ARN ends ":function:<name>"); core picks the profile by the name.
    new events.Rule(scope, 'VersionPublishedRule', {
      description: 'Starts a release when a version of a function a release profile names is published.',
      eventPattern: {
        source: [LAMBDA_PUBLISH_VERSION.source],
        detailType: [LAMBDA_PUBLISH_VERSION.detailType],
        detail: {
          eventSource: [LAMBDA_PUBLISH_VERSION.eventSource],
          eventName: [{ prefix: LAMBDA_PUBLISH_VERSION.eventName }],
          errorCode: [{ exists: false }],
          requestParameters: {
            functionName: [...functions, ...functions.map((name) => ({ suffix: `:function:${name}` }))],
          },
        },
      },
      targets: [startRelease()],
    });
  }
}

/**
 * The rule that hands an alarm going into ALARM to the alarm function, for the alarms profiles name.
 * The function is invoked asynchronously: EventBridge's retries on the target, Lambda's two retries
 * of the invocation, then the dead-letter queue either way.
 */
export function alarmTrigger(
  scope: Construct,
  alarm: lambda.IFunction,
  alarms: readonly string[],
  deadLetterQueue: sqs.IQueue,
): void {
  // A late delivery is worth little: the next analysis reads the alarm anyway.
  const maxEventAge = Duration.minutes(15);
  alarm.configureAsyncInvoke({
    retryAttempts: 2,
    maxEventAge,
    onFailure: new destinations.SqsDestination(deadLetterQueue),
  });
  new events.Rule(scope, 'AlarmRule', {
    description: 'Ends the bake of a release whose profile names an alarm that went into ALARM.',
    eventPattern: {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      detail: { alarmName: [...alarms], state: { value: ['ALARM'] } },
    },
    targets: [new targets.LambdaFunction(alarm, { deadLetterQueue, retryAttempts: 2, maxEventAge })],
  });
}
