import { Aws, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LIFECYCLE_DETAIL_TYPES, LIFECYCLE_SOURCE, type LifecycleDetailType } from '#core/lifecycle.ts';

/**
 * How each message is written: `text`, one sentence (e-mail, SMS, a Lambda function, a webhook); `chat`,
 * the custom notification Amazon Q Developer in chat applications (formerly AWS Chatbot) posts to
 * Slack, Microsoft Teams or Chime: { version, source: "custom", content: { textType, title,
 * description } } (its admin guide, "Custom notifications"); it posts no other text from a topic.
 */
export type NotificationFormat = 'text' | 'chat';

export interface NotificationsOptions {
  /**
   * The topic the messages go to. Given, the rules' role is granted sns:Publish on it; its policy for
   * cloudwatch.amazonaws.com (stepshift's alarms) and its key's policy, if it has a key, are its owner's.
   * @default - a new topic, encrypted with a key of its own, which only accepts TLS
   */
  readonly topic?: sns.ITopic;

  /** @default 'text' */
  readonly format?: NotificationFormat;

  /**
   * Which lifecycle events are told.
   * @default - every lifecycle event but "Traffic Shifted" and "Release Finished" (each step, and the
   *   promotion told twice, are more than a channel wants)
   */
  readonly events?: readonly LifecycleDetailType[];
}

const field = (path: string) => events.EventField.fromPath(`$.detail.${path}`);
const who = () => `${field('service')} ${field('version')}`;

/** Each detail-type's message: a title, and what follows it, from fields its detail always carries (core/lifecycle.ts). */
const MESSAGES: Readonly<Record<LifecycleDetailType, () => { title: string; description: string }>> = {
  'Release Started': () => ({
    title: `${who()}: release started`,
    description: `${field('stable')} -> ${field('canary')} (trigger: ${field('trigger')})`,
  }),
  'Traffic Shifted': () => ({
    title: `${who()}: step ${field('step')} of ${field('steps')}`,
    description: `${field('weights[0].target')} ${field('weights[0].weight')}% · ${field('weights[1].target')} ${field('weights[1].weight')}%`,
  }),
  'Release Promoted': () => ({ title: `${who()} promoted`, description: 'all traffic on the new version' }),
  'Release Finished': () => ({ title: `${who()} finished`, description: `${field('outcome')}` }),
  'Release Rolled Back': () => ({ title: `${who()} rolled back`, description: `${field('reason')}` }),
  'Release Failed': () => ({
    title: `${who()} failed (${field('error')})`,
    description: `${field('reason')}`,
  }),
  'Release Rejected': () => ({
    title: `${field('service')}: release request refused`,
    description: `${field('problems')}`,
  }),
  'Release Lock Taken Over': () => ({
    title: `${who()}: took the route over`,
    description: `from release ${field('from.releaseId')}, whose execution no longer runs`,
  }),
  'Release Held': () => ({ title: `${who()} held (${field('why')})`, description: `${field('reason')}` }),
  'Release Resumed': () => ({ title: `${who()} resumed`, description: `after ${field('after')}` }),
  'Release Stepping Back': () => ({
    title: `${who()} stepping back to ${field('weight')}%`,
    description: `${field('reason')}`,
  }),
  'Release Not Ready': () => ({ title: `${who()} did not start`, description: `${field('reason')}` }),
};

const QUIET: readonly LifecycleDetailType[] = ['Traffic Shifted', 'Release Finished'];

/** The message for a detail-type, as the rule's input transformer writes it. */
export function messageFor(
  detailType: LifecycleDetailType,
  format: NotificationFormat,
): events.RuleTargetInput {
  const { title, description } = MESSAGES[detailType]();
  if (format === 'text') return events.RuleTargetInput.fromText(`${title}: ${description}`);
  return events.RuleTargetInput.fromObject({
    version: '1.0',
    source: 'custom',
    content: { textType: 'client-markdown', title, description },
  });
}

export interface NotificationsProps extends NotificationsOptions {
  readonly eventBus: events.IEventBus;
}

/**
 * Lifecycle events to an SNS topic, one rule per detail-type, each with an input transformer that
 * writes the sentence from the event's detail: no function between the bus and the topic.
 */
export class Notifications extends Construct {
  readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const format = props.format ?? 'text';
    const detailTypes =
      props.events ?? Object.values(LIFECYCLE_DETAIL_TYPES).filter((t) => !QUIET.includes(t));
    // The rules publish with a role of this stack rather than through a topic policy statement for
    // events.amazonaws.com, which would let any account's rules publish to the topic.
    const role = new iam.Role(this, 'PublishRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets the stepshift notification rules publish to the notification topic.',
    });
    if (props.topic) {
      this.topic = props.topic;
    } else {
      this.topic = encryptedTopic(this);
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to an SNS topic encrypted with a KMS key takes kms:GenerateDataKey* and kms:Decrypt on that key (SNS developer guide, "Data encryption"); the grant names the topic\'s own key only.',
      });
    }
    for (const detailType of new Set(detailTypes)) {
      new events.Rule(this, `${detailType.replaceAll(' ', '')}Rule`, {
        description: `Tells the notification topic about each "${detailType}" event.`,
        eventBus: props.eventBus,
        eventPattern: { source: [LIFECYCLE_SOURCE], detailType: [detailType] },
        targets: [
          new targets.SnsTopic(this.topic, {
            message: messageFor(detailType, format),
            authorizeUsingRole: true,
            role,
          }),
        ],
      });
    }
  }
}

/**
 * A topic encrypted with a key of its own (SNS's AWS managed key has a policy no service may use, so
 * EventBridge and CloudWatch could not publish), rotated yearly, and refusing plain HTTP.
 */
function encryptedTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'TopicKey', {
    description: 'Encrypts the stepshift notification topic',
    enableKeyRotation: true,
  });
  // Publishing to an encrypted topic takes kms:GenerateDataKey* and kms:Decrypt on its key (SNS developer
  // guide, "Enable compatibility between event sources from AWS services and encrypted topics"):
  // EventBridge's grant comes with its target (grantPublish); CloudWatch's alarms need this one.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  const topic = new sns.Topic(scope, 'Topic', { masterKey: key, enforceSSL: true });
  // CloudWatch alarms publish with the service principal, which the topic's policy must allow.
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  return topic;
}
