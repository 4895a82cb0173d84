import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import { type ArnPair, arns, lastPart, unique, withSuffix } from '#infra/permissions/arns.ts';
import type { RouteAccess } from '#infra/permissions/route-access.ts';
import type { Wildcard } from '#infra/permissions/wildcards.ts';
import { sideRouteNamesOf, taggedOnCreate, taggedRule } from '../target-groups/iam.ts';
import type { LatticeRouterConfig } from './kind.ts';

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
    shape: 'no resource-level permissions',
    finding: '*',
    why: 'latticeListTargetGroups',
  };
  const listRules = (sid: string) => (sides.length ? [anyResource(sid, ['vpc-lattice:ListRules'])] : []);
  const listRulesWildcards: Wildcard[] = sides.length
    ? [{ shape: 'no resource-level permissions', finding: '*', why: 'latticeListRules' }]
    : [];
  const sideRuleWildcards: Wildcard[] = sides.map(({ listener }) => ({
    shape: 'lattice listener rules',
    finding: `${listener.finding}/rule/*`,
    why: 'latticeSideRules',
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
      shape: 'lattice target groups',
      finding: g.finding,
      why: 'latticeTargetGroups',
    })),
    findSideWildcards: listRulesWildcards,
    openWildcards: [...listRulesWildcards, ...sideRuleWildcards],
    closeWildcards: [...listRulesWildcards, ...sideRuleWildcards],
  };
}
