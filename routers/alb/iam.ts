import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import { type ArnPair, arns, literalArn, unique } from '../iam/arns.ts';
import type { RouteAccess } from '../iam/route-access.ts';
import {
  arnPattern,
  NO_RESOURCE_LEVEL_PERMISSIONS,
  type Wildcard,
  type WildcardShape,
} from '../iam/wildcards.ts';
import { sideRouteNamesOf, taggedOnCreate, taggedRule } from '../target-groups/iam.ts';
import type { AlbRouterConfig } from './kind.ts';

/** The rules of one listener a profile names, where stepshift creates and deletes its side rules. */
export const ALB_LISTENER_RULES: WildcardShape = {
  pattern: arnPattern(
    'elasticloadbalancing',
    'listener-rule/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}/\\*',
  ),
  granted:
    'arn:<partition>:elasticloadbalancing:<region>:<account>:listener-rule/app/<load balancer>/<id>/<listener id>/*, the rules of one listener a profile names',
};

const ELB_DESCRIBE_REASON =
  'elasticloadbalancing:DescribeRules, DescribeListeners, DescribeTargetGroups, DescribeTargetHealth and DescribeTags support no resource-level permissions (Service Authorization Reference for Elastic Load Balancing V2), so they are granted on "*". They only read; the writes (ModifyRule, ModifyListener) are granted on the profile\'s rule or listener alone.';

const ALB_SIDE_RULES_REASON =
  "ELB rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so elasticloadbalancing:AddTags (only as part of CreateRule) and DeleteRule are granted on the rules of the profile's listener, each conditioned on the tag stepshift:side-route holding one of the side route names of the services released through that listener: DeleteRule cannot remove the release rule or any other rule that does not carry it.";

/** A profile whose router block is this router's. */
type AlbProfile = ReleaseProfile & { readonly router: AlbRouterConfig };

const SIDE_DESCRIBES = ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTags'];

const describe = (sid: string, actions: string[]) =>
  new iam.PolicyStatement({ sid, actions, resources: ['*'] });

/** The listeners side rules may go on (a profile that names a rule), each with its rules' ARN pattern. */
function sideListeners(
  profiles: readonly AlbProfile[],
): { listener: ArnPair; rules: ArnPair; names: string[] }[] {
  // A listener's default actions have no priority to go ahead of: Prepare refuses side routes there.
  const byListener = new Map<string, AlbProfile[]>();
  for (const p of profiles.filter((p) => p.router.ruleArn !== undefined)) {
    byListener.set(p.router.listenerArn, [...(byListener.get(p.router.listenerArn) ?? []), p]);
  }
  return [...byListener].map(([listenerArn, ps]) => ({
    listener: literalArn(listenerArn),
    rules: literalArn(`${listenerArn.replace(':listener/', ':listener-rule/')}/*`),
    names: sideRouteNamesOf(ps),
  }));
}

/**
 * ALB (Service Authorization Reference for Elastic Load Balancing V2): the describes support no
 * resource-level permissions; ModifyRule and ModifyListener on the named rule or listener; CreateRule on
 * the listener, only with stepshift's tag (aws:RequestTag, aws:TagKeys), and its tagging (AddTags with
 * elasticloadbalancing:CreateAction) on the listener's rules; DeleteRule on the listener's rules, only
 * those that carry the tag (aws:ResourceTag): never the release rule.
 */
export function albAccess(profiles: readonly AlbProfile[]): RouteAccess {
  const rules = unique(profiles.flatMap((p) => (p.router.ruleArn ? [literalArn(p.router.ruleArn)] : [])));
  const listeners = unique(
    profiles.flatMap((p) => (p.router.ruleArn ? [] : [literalArn(p.router.listenerArn)])),
  );
  const sides = sideListeners(profiles);
  const describing: Wildcard = {
    shape: NO_RESOURCE_LEVEL_PERMISSIONS,
    finding: '*',
    why: ELB_DESCRIBE_REASON,
  };
  const sideRuleWildcards: Wildcard[] = sides.map(({ rules }) => ({
    shape: ALB_LISTENER_RULES,
    finding: rules.finding,
    why: ALB_SIDE_RULES_REASON,
  }));
  const sideWildcards = sides.length ? [describing, ...sideRuleWildcards] : [];
  return {
    read: [
      describe('ReadAlbRoutes', [
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeListeners',
      ]),
    ],
    write: [
      describe('ReadAlbRoutesToShift', [
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeTargetGroups',
      ]),
      ...(rules.length
        ? [
            new iam.PolicyStatement({
              sid: 'ShiftAlbRules',
              actions: ['elasticloadbalancing:ModifyRule'],
              resources: arns(rules),
            }),
          ]
        : []),
      ...(listeners.length
        ? [
            new iam.PolicyStatement({
              sid: 'ShiftAlbListeners',
              actions: ['elasticloadbalancing:ModifyListener'],
              resources: arns(listeners),
            }),
          ]
        : []),
    ],
    findTarget: [
      describe('CheckAlbTargets', [
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ]),
    ],
    // Side rules are found by their tag (DescribeRules, DescribeTags); Shift creates one on the listener,
    // tagged as it is made; the endings delete it.
    findSide: sides.length ? [describe('FindAlbSideRules', SIDE_DESCRIBES)] : [],
    openSide: sides.length
      ? [
          describe('FindAlbSideRulesToOpen', SIDE_DESCRIBES),
          ...sides.flatMap(({ listener, rules, names }, i) => [
            new iam.PolicyStatement({
              sid: `OpenAlbSideRules${i}`,
              actions: ['elasticloadbalancing:CreateRule'],
              resources: [listener.arn],
              conditions: taggedOnCreate(names),
            }),
            new iam.PolicyStatement({
              sid: `TagAlbSideRules${i}`,
              actions: ['elasticloadbalancing:AddTags'],
              resources: [rules.arn],
              conditions: {
                ...taggedOnCreate(names),
                StringEquals: {
                  ...taggedOnCreate(names).StringEquals,
                  'elasticloadbalancing:CreateAction': 'CreateRule',
                },
              },
            }),
          ]),
        ]
      : [],
    closeSide: sides.length
      ? [
          describe('FindAlbSideRulesToClose', SIDE_DESCRIBES),
          ...sides.map(
            ({ rules, names }, i) =>
              new iam.PolicyStatement({
                sid: `CloseAlbSideRules${i}`,
                actions: ['elasticloadbalancing:DeleteRule'],
                resources: [rules.arn],
                conditions: taggedRule(names),
              }),
          ),
        ]
      : [],
    readWildcards: [describing],
    writeWildcards: [describing],
    findWildcards: [describing],
    findSideWildcards: sides.length ? [describing] : [],
    openWildcards: sideWildcards,
    closeWildcards: sideWildcards,
  };
}
