import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every acknowledgement the construct gives cdk-nag for a wildcard in a grant goes through here: a
 * fixed resource shape, checked against the finding before it is acknowledged, and fixed sentences.
 * Each grant's owner declares its shapes and reasons (a router's in its iam.ts, the construct's own in
 * infra/permissions/wildcards.ts); profiles fill in names (held to AWS's rules in core/aws-names.ts),
 * never the shape or the words: a finding that does not have its shape fails the synth rather than
 * being acknowledged.
 */

/** A resource pattern a wildcard may have, with the words a reviewer is told is granted. */
export interface WildcardShape {
  readonly pattern: RegExp;
  readonly granted: string;
}

const PARTITION = '(?:<AWS::Partition>|aws[a-z-]*)';
const REGION = '(?:<AWS::Region>|[a-z]{2}(?:-[a-z]+)+-\\d)';
const ACCOUNT = '(?:<AWS::AccountId>|\\d{12})';

/** The pattern of an ARN of `service` whose resource part matches `resource`, as cdk-nag spells it. */
export const arnPattern = (service: string, resource: string) =>
  new RegExp(`^arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}$`);

/** "*": for the actions that support no resource-level permissions. */
export const NO_RESOURCE_LEVEL_PERMISSIONS: WildcardShape = {
  pattern: /^\*$/,
  granted: '"*", for actions that support no resource-level permissions',
};

/** A wildcard in a resource the construct grants: its shape, the finding cdk-nag reports, and why. */
export interface Wildcard {
  readonly shape: WildcardShape;
  /** The resource as cdk-nag's IAM5 rule spells it: pseudo parameters as <AWS::Name>. */
  readonly finding: string;
  /** Why it is granted, in words a reviewer would accept. */
  readonly why: string;
}

/** The acknowledgement a reviewer reads for these wildcards of one finding. */
export function acknowledgementOf(wildcards: readonly Wildcard[]): { id: string; reason: string } {
  const [first] = wildcards;
  if (!first) throw new Error('no wildcard to acknowledge');
  for (const w of wildcards) {
    if (w.finding !== first.finding || !w.shape.pattern.test(w.finding)) {
      throw new Error(
        `ReleaseOrchestrator: refusing to acknowledge the wildcard resource ${JSON.stringify(w.finding)}: it is not ${w.shape.granted}`,
      );
    }
  }
  const shapes = [...new Set(wildcards.map((w) => w.shape.granted))];
  const reasons = [...new Set(wildcards.map((w) => w.why))];
  return {
    id: `AwsSolutions-IAM5[Resource::${first.finding}]`,
    reason: `Granted on ${shapes.join('; ')}. ${reasons.join(' ')}`,
  };
}

/** Acknowledges each finding once on `scope` (a function's role), with every reason given for it. */
export function acknowledgeWildcards(scope: IConstruct, wildcards: readonly Wildcard[]): void {
  const byFinding = new Map<string, Wildcard[]>();
  for (const w of wildcards) byFinding.set(w.finding, [...(byFinding.get(w.finding) ?? []), w]);
  for (const group of byFinding.values()) Validations.of(scope).acknowledge(acknowledgementOf(group));
}
