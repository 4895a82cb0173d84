import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every acknowledgement the construct gives cdk-nag for a wildcard in a grant comes from here: a fixed
 * resource shape, checked against the finding before it is acknowledged, and fixed sentences. Profiles
 * fill in names (held to AWS's rules in core/aws-names.ts), never the shape or the words: a finding that
 * does not have its shape fails the synth rather than being acknowledged.
 */

const PARTITION = '(?:<AWS::Partition>|aws[a-z-]*)';
const REGION = '(?:<AWS::Region>|[a-z]{2}(?:-[a-z]+)+-\\d)';
const ACCOUNT = '(?:<AWS::AccountId>|\\d{12})';
const arn = (service: string, resource: string) =>
  new RegExp(`^arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${resource}$`);

/** The shapes, each with the resource pattern a reviewer is told is granted. */
const WILDCARD_SHAPES = {
  'no resource-level permissions': {
    pattern: /^\*$/,
    granted: '"*", for actions that support no resource-level permissions',
  },
  'version virtual nodes': {
    pattern: arn('appmesh', 'mesh/[A-Za-z0-9._-]+/virtualNode/[A-Za-z0-9._-]{3,}\\*'),
    granted:
      'arn:<partition>:appmesh:<region>:<account>:mesh/<meshName>/virtualNode/<targets.canary before {version}, 3 or more characters>*',
  },
  'version ECS services': {
    pattern: arn('ecs', 'service/[A-Za-z0-9_-]+/[A-Za-z0-9_-]{3,}\\*'),
    granted:
      'arn:<partition>:ecs:<region>:<account>:service/<ecsService.cluster>/<ecsService.service before {version}, 3 or more characters>*',
  },
  'hook function versions': {
    pattern: arn('lambda', 'function:[A-Za-z0-9_-]{1,64}:\\*'),
    granted:
      'arn:<partition>:lambda:<region>:<account>:function:<the hook function name>:*, the versions and aliases of one function',
  },
  'lattice target groups': {
    pattern: arn('vpc-lattice', 'targetgroup/\\*'),
    granted: 'arn:<partition>:vpc-lattice:<region>:<account>:targetgroup/*',
  },
  'lattice listener rules': {
    pattern: arn('vpc-lattice', 'service/svc-[0-9a-z]{17}/listener/listener-[0-9a-z]{17}/rule/\\*'),
    granted:
      'arn:<partition>:vpc-lattice:<region>:<account>:service/<service id>/listener/<listener id>/rule/*, the rules of one listener a profile names',
  },
  'alb listener rules': {
    pattern: arn(
      'elasticloadbalancing',
      'listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/\\*',
    ),
    granted:
      'arn:<partition>:elasticloadbalancing:<region>:<account>:listener-rule/app/<load balancer>/<id>/<listener id>/*, the rules of one listener a profile names',
  },
} as const;

export type WildcardShape = keyof typeof WILDCARD_SHAPES;

/** Why each wildcard is granted, in words a reviewer would accept. */
const WILDCARD_REASONS = {
  xray: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service Authorization Reference for AWS X-Ray), so Lambda grants them on "*".',
  alarms:
    'cloudwatch:DescribeAlarms and cloudwatch:DescribeAlarmHistory return composite alarms only when the permission is scoped to "*" (CloudWatch API reference for both actions). Profiles name metric and composite alarms alike and requests may override them, so scoping to alarm ARNs would make a composite alarm read as missing and fail the release. Both actions only read alarm state and history.',
  metrics:
    'cloudwatch:GetMetricData supports no resource-level permissions (Service Authorization Reference for Amazon CloudWatch), so it is granted on "*". Analyze reads the metric checks of profiles and of requests that override them; the action only reads metric data.',
  versionNodes:
    "The new version's virtual node is named by the profile's targets.canary template, and the version is only known when a release starts, so the node is granted by the template's prefix, which keeps at least 3 characters and no wildcard: the grant stays on this service's nodes in this one mesh.",
  ecsServices:
    "The new version's ECS service is named by the profile's targets.ecsService template, and the version is only known when a release starts, so ecs:DescribeServices is granted on the template's prefix (at least 3 characters, no wildcard) in the one named cluster. It only reads.",
  hookVersions:
    'A hook that names a function unqualified may be run through the version or alias the function owner points at; the grant covers that one named function and its qualifiers only.',
  latticeTargetGroups:
    "VPC Lattice target group ARNs end in the group's id, which AWS assigns when the group is created; stepshift names target groups by the profile's targets.canary template, and the version is only known when a release starts. vpc-lattice:ListTargets only reads the registered targets' health, to check the new version is deployed before any traffic moves.",
  latticeListTargetGroups:
    'vpc-lattice:ListTargetGroups supports no resource-level permissions (Service Authorization Reference for Amazon VPC Lattice): it maps the target group names the profile uses to the ids the forward action holds. It only lists.',
  latticeListRules:
    "vpc-lattice:ListRules supports no resource-level permissions (Service Authorization Reference for Amazon VPC Lattice): stepshift lists the rules of the profile's listener to find its side rule by name. It only lists.",
  latticeSideRules:
    "VPC Lattice rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so CreateRule, its tag (TagResource, only as part of CreateRule) and DeleteRule are granted on the rules of the profile's listener, each conditioned on the tag stepshift:side-route holding one of the side route names of the services released through that listener: DeleteRule cannot remove a rule that does not carry it.",
  elbDescribe:
    'elasticloadbalancing:DescribeRules, DescribeListeners, DescribeTargetGroups, DescribeTargetHealth and DescribeTags support no resource-level permissions (Service Authorization Reference for Elastic Load Balancing V2), so they are granted on "*". They only read; the writes (ModifyRule, ModifyListener) are granted on the profile\'s rule or listener alone.',
  albSideRules:
    "ELB rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so elasticloadbalancing:AddTags (only as part of CreateRule) and DeleteRule are granted on the rules of the profile's listener, each conditioned on the tag stepshift:side-route holding one of the side route names of the services released through that listener: DeleteRule cannot remove the release rule or any other rule that does not carry it.",
} as const;

export type WildcardReason = keyof typeof WILDCARD_REASONS;

/** A wildcard in a resource the construct grants: its shape, the finding cdk-nag reports, and why. */
export interface Wildcard {
  readonly shape: WildcardShape;
  /** The resource as cdk-nag's IAM5 rule spells it: pseudo parameters as <AWS::Name>. */
  readonly finding: string;
  readonly why: WildcardReason;
}

/** The acknowledgement a reviewer reads for these wildcards of one finding. */
export function acknowledgementOf(wildcards: readonly Wildcard[]): { id: string; reason: string } {
  const [first] = wildcards;
  if (!first) throw new Error('no wildcard to acknowledge');
  for (const w of wildcards) {
    const shape = WILDCARD_SHAPES[w.shape];
    if (w.finding !== first.finding || !shape.pattern.test(w.finding)) {
      throw new Error(
        `ReleaseOrchestrator: refusing to acknowledge the wildcard resource ${JSON.stringify(w.finding)}: it is not ${shape.granted}`,
      );
    }
  }
  const shapes = [...new Set(wildcards.map((w) => WILDCARD_SHAPES[w.shape].granted))];
  const reasons = [...new Set(wildcards.map((w) => WILDCARD_REASONS[w.why]))];
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
