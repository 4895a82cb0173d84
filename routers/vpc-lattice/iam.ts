import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import { type ArnPair, arns, lastPart, unique, withSuffix } from '../iam/arns.ts';
import type { RouteAccess } from '../iam/route-access.ts';
import {
  arnPattern,
  NO_RESOURCE_LEVEL_PERMISSIONS,
  type Wildcard,
  type WildcardShape,
} from '../iam/wildcards.ts';
import { sideRouteNamesOf, taggedOnCreate, taggedRule } from '../target-groups/iam.ts';
import type { LatticeRouterConfig } from './kind.ts';

/** Any target group: their ARNs end in ids AWS assigns. */
export const LATTICE_TARGET_GROUPS: WildcardShape = {
  pattern: arnPattern('vpc-lattice', 'targetgroup/\\*'),
  granted: 'arn:<partition>:vpc-lattice:<region>:<account>:targetgroup/*',
};

/** The rules of one listener a profile names, where stepshift creates and deletes its side rules. */
export const LATTICE_LISTENER_RULES: WildcardShape = {
  pattern: arnPattern('vpc-lattice', 'service/svc-[0-9a-z]{17}/listener/listener-[0-9a-z]{17}/rule/\\*'),
  granted:
    'arn:<partition>:vpc-lattice:<region>:<account>:service/<service id>/listener/<listener id>/rule/*, the rules of one listener a profile names',
};

const TARGET_GROUPS_REASON =
  "VPC Lattice target group ARNs end in the group's id, which AWS assigns when the group is created; stepshift names target groups by the profile's targets.canary template, and the version is only known when a release starts. vpc-lattice:ListTargets only reads the registered targets' health, to check the new version is deployed before any traffic moves.";

const LIST_TARGET_GROUPS_REASON =
  'vpc-lattice:ListTargetGroups supports no resource-level permissions (Service Authorization Reference for Amazon VPC Lattice): it maps the target group names the profile uses to the ids the forward action holds. It only lists.';

const LIST_RULES_REASON =
  "vpc-lattice:ListRules supports no resource-level permissions (Service Authorization Reference for Amazon VPC Lattice): stepshift lists the rules of the profile's listener to find its side rule by name. It only lists.";

const SIDE_RULES_REASON =
  "VPC Lattice rule ARNs end in the rule's id, which AWS assigns when CreateRule makes the rule, so CreateRule, its tag (TagResource, only as part of CreateRule) and DeleteRule are granted on the rules of the profile's listener, each conditioned on the tag stepshift:side-route holding one of the side route names of the services released through that listener: DeleteRule cannot remove a rule that does not carry it.";

/** A profile whose router block is this router's. */
type LatticeProfile = ReleaseProfile & { readonly router: LatticeRouterConfig };

/**
 * A Lattice resource's ARN from the profile's identifiers: an identifier that is an ARN names its
 * account and region, an id is this stack's. The Service Authorization Reference's formats:
 * service/<svc id>/listener/<listener id>/rule/<rule id>, and targetgroup/<target group id>.
 */
function latticeArn(router: LatticeRouterConfig, resource: string): ArnPair {
  const given = [router.ruleIdentifier, router.listenerIdentifier, router.serviceIdentifier].find((i) =>
    i?.startsWith('arn:'),
  );
  const [, partition, , region, account] = given?.split(':') ?? [];
  return {
    arn: `arn:${partition ?? Aws.PARTITION}:vpc-lattice:${region ?? Aws.REGION}:${account ?? Aws.ACCOUNT_ID}:${resource}`,
    finding: `arn:${partition ?? '<AWS::Partition>'}:vpc-lattice:${region ?? '<AWS::Region>'}:${account ?? '<AWS::AccountId>'}:${resource}`,
  };
}

const listenerOf = (router: LatticeRouterConfig): ArnPair =>
  latticeArn(
    router,
    `service/${lastPart(router.serviceIdentifier)}/listener/${lastPart(router.listenerIdentifier)}`,
  );

/** The listener, or the rule, whose forward action a Lattice profile shifts. */
function routeArn(profile: LatticeProfile): ArnPair {
  const listener = listenerOf(profile.router);
  const { ruleIdentifier } = profile.router;
  return ruleIdentifier === undefined ? listener : withSuffix(listener, `/rule/${lastPart(ruleIdentifier)}`);
}

/** The listeners side rules may go on, each with the profiles released through it. */
function sideListeners(profiles: readonly LatticeProfile[]): { listener: ArnPair; names: string[] }[] {
  // A listener's default action has no priority to go ahead of, so Prepare refuses blue/green and A/B
  // there: only a profile that names a rule gets side rules on its listener.
  const byListener = new Map<string, { listener: ArnPair; profiles: LatticeProfile[] }>();
  for (const p of profiles.filter((p) => p.router.ruleIdentifier !== undefined)) {
    const listener = listenerOf(p.router);
    const known = byListener.get(listener.finding) ?? { listener, profiles: [] };
    known.profiles.push(p);
    byListener.set(listener.finding, known);
  }
  return [...byListener.values()].map(({ listener, profiles }) => ({
    listener,
    names: sideRouteNamesOf(profiles),
  }));
}

const anyResource = (sid: string, actions: string[]) =>
  new iam.PolicyStatement({ sid, actions, resources: ['*'] });

/**
 * VPC Lattice (Service Authorization Reference): GetRule/UpdateRule on the named rule, GetListener/
 * UpdateListener on the named listener; ListTargetGroups and ListRules support no resource-level
 * permissions; CreateRule, TagResource and DeleteRule are authorized on the rule (service/<id>/listener/
 * <id>/rule/<id>), whose id AWS assigns, so they are granted on the listener's rules and conditioned on
 * stepshift's tag: CreateRule and TagResource (which CreateRule with tags also authorizes, with
 * vpc-lattice:CreateAction) only set stepshift:side-route to this listener's side route names, and
 * DeleteRule only removes a rule that carries one of them.
 */
export function latticeAccess(profiles: readonly LatticeProfile[]): RouteAccess {
  const rules = unique(profiles.filter((p) => p.router.ruleIdentifier !== undefined).map(routeArn));
  const listeners = unique(profiles.filter((p) => p.router.ruleIdentifier === undefined).map(routeArn));
  const groups = unique(profiles.map((p) => latticeArn(p.router, 'targetgroup/*')));
  const sides = sideListeners(profiles);
  const routeStatements = (sid: string, ruleActions: string[], listenerActions: string[]) => [
    ...(rules.length
      ? [new iam.PolicyStatement({ sid: `${sid}Rules`, actions: ruleActions, resources: arns(rules) })]
      : []),
    ...(listeners.length
      ? [
          new iam.PolicyStatement({
            sid: `${sid}Listeners`,
            actions: listenerActions,
            resources: arns(listeners),
          }),
        ]
      : []),
    anyResource(`${sid}TargetGroupNames`, ['vpc-lattice:ListTargetGroups']),
  ];
  const listing: Wildcard = {
    shape: NO_RESOURCE_LEVEL_PERMISSIONS,
    finding: '*',
    why: LIST_TARGET_GROUPS_REASON,
  };
  const listRules = (sid: string) => (sides.length ? [anyResource(sid, ['vpc-lattice:ListRules'])] : []);
  const listRulesWildcards: Wildcard[] = sides.length
    ? [{ shape: NO_RESOURCE_LEVEL_PERMISSIONS, finding: '*', why: LIST_RULES_REASON }]
    : [];
  const sideRuleWildcards: Wildcard[] = sides.map(({ listener }) => ({
    shape: LATTICE_LISTENER_RULES,
    finding: `${listener.finding}/rule/*`,
    why: SIDE_RULES_REASON,
  }));
  const onRules = (sid: string, actions: string[], conditions: (names: string[]) => iam.Conditions) =>
    sides.map(
      ({ listener, names }, i) =>
        new iam.PolicyStatement({
          sid: `${sid}${i}`,
          actions,
          resources: [withSuffix(listener, '/rule/*').arn],
          conditions: conditions(names),
        }),
    );
  return {
    read: routeStatements('ReadLattice', ['vpc-lattice:GetRule'], ['vpc-lattice:GetListener']),
    write: routeStatements(
      'ShiftLattice',
      ['vpc-lattice:GetRule', 'vpc-lattice:UpdateRule'],
      ['vpc-lattice:GetListener', 'vpc-lattice:UpdateListener'],
    ),
    findTarget: [
      new iam.PolicyStatement({
        sid: 'CheckLatticeTargets',
        actions: ['vpc-lattice:ListTargets'],
        resources: arns(groups),
      }),
    ],
    // Prepare looks for a side rule a release left behind; Shift creates one (a retry whose CreateRule
    // conflicted lists the rules to find it); the endings list the rules to find its id and delete it.
    findSide: listRules('FindLatticeSideRules'),
    openSide: [
      ...listRules('FindLatticeSideRulesToOpen'),
      ...onRules('OpenLatticeSideRules', ['vpc-lattice:CreateRule'], taggedOnCreate),
      ...onRules('TagLatticeSideRules', ['vpc-lattice:TagResource'], (names) => {
        const tagged = taggedOnCreate(names);
        return {
          ...tagged,
          StringEquals: { ...tagged.StringEquals, 'vpc-lattice:CreateAction': 'CreateRule' },
        };
      }),
    ],
    closeSide: [
      ...listRules('FindLatticeSideRulesToClose'),
      ...onRules('CloseLatticeSideRules', ['vpc-lattice:DeleteRule'], taggedRule),
    ],
    readWildcards: [listing],
    writeWildcards: [listing],
    findWildcards: groups.map((g) => ({
      shape: LATTICE_TARGET_GROUPS,
      finding: g.finding,
      why: TARGET_GROUPS_REASON,
    })),
    findSideWildcards: listRulesWildcards,
    openWildcards: [...listRulesWildcards, ...sideRuleWildcards],
    closeWildcards: [...listRulesWildcards, ...sideRuleWildcards],
  };
}
