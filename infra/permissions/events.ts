import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { LIFECYCLE_DETAIL_TYPES, LIFECYCLE_SOURCE } from '#core/lifecycle.ts';
import { RELEASE_REQUESTED } from '#core/triggers/eventbridge-envelope.ts';

/**
 * Who may put which events on stepshift's bus. "Release Requested" and the lifecycle events share the
 * source "stepshift" (rules and scripts in use match it); they differ by detail-type, so every grant
 * holds both condition keys of PutEvents. Both are multivalued, one value per entry of the call
 * (Service Authorization Reference for EventBridge: ArrayOfString), hence ForAllValues for what a
 * caller may put, ForAnyValue for what it may not, and a Null check so that ForAllValues cannot pass
 * on an empty set.
 */
const LIFECYCLE_TYPES = Object.values(LIFECYCLE_DETAIL_TYPES);

function onlyEvents(source: string, detailTypes: readonly string[]): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringEquals': { 'events:source': [source], 'events:detail-type': [...detailTypes] },
    Null: { 'events:source': 'false', 'events:detail-type': 'false' },
  };
}

/** The functions put lifecycle events (Release Started, Traffic Shifted, ...) and nothing else. */
export function lifecycleEventsStatement(bus: events.IEventBus): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AnnounceLifecycleEvents',
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: onlyEvents(LIFECYCLE_SOURCE, LIFECYCLE_TYPES),
  });
}

/** A requester puts "Release Requested" events and nothing else. */
export function grantReleaseRequests(bus: events.IEventBus, grantee: iam.IGrantable): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['events:PutEvents'],
    resourceArns: [bus.eventBusArn],
    conditions: onlyEvents(RELEASE_REQUESTED.source, [RELEASE_REQUESTED.detailType]),
  });
}

/**
 * The bus's own policy denies PutEvents to every principal but the functions' roles when any entry of
 * the call has stepshift's source and any is not a "Release Requested": an explicit Deny in a resource
 * policy overrides any Allow of the caller's identity policies, in the same account too (IAM User Guide,
 * "Policy evaluation logic"), so a role allowed PutEvents on "*" cannot announce "Release Promoted"
 * either. A mixed call (a request and an entry of another source with another detail-type) is refused
 * as well: IAM cannot pair the two keys entry by entry.
 *
 * Added to a bus in this stack's account; a bus of another account keeps its owner's policy.
 */
export function denyForgedLifecycleEvents(
  scope: Construct,
  bus: events.IEventBus,
  roles: readonly iam.IRole[],
): events.CfnEventBusPolicy | undefined {
  if (Token.compareStrings(bus.env.account, Stack.of(scope).account) === TokenComparison.DIFFERENT) {
    return undefined;
  }
  const statement = new iam.PolicyStatement({
    sid: 'OnlyStepshiftAnnouncesReleases',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: {
      'ForAnyValue:StringEquals': { 'events:source': [LIFECYCLE_SOURCE] },
      'ForAnyValue:StringNotEquals': { 'events:detail-type': [RELEASE_REQUESTED.detailType] },
      ArnNotEquals: { 'aws:PrincipalArn': roles.map((r) => r.roleArn) },
    },
  });
  return new events.CfnEventBusPolicy(scope, 'OnlyStepshiftAnnouncesReleases', {
    eventBusName: bus.eventBusName,
    statementId: 'OnlyStepshiftAnnouncesReleases',
    statement: statement.toStatementJson(),
  });
}
