import type { ReleaseProfile } from '#core/profile/profile.ts';
import { sideRouteNames } from '#core/side-route.ts';
import { SIDE_ROUTE_TAG } from './side-rules.ts';

/** The side route names of these profiles' services: the values their side rules' tag may hold. */
export function sideRouteNamesOf(profiles: readonly ReleaseProfile[]): string[] {
  return [...new Set(profiles.flatMap((p) => Object.values(sideRouteNames(p.service))))].sort();
}

/**
 * A create that must tag the new rule stepshift:side-route=<one of `names`> and set no other tag
 * (aws:RequestTag, aws:TagKeys; both listed for ELB's and VPC Lattice's CreateRule in the Service
 * Authorization Reference). aws:TagKeys is multivalued, hence ForAllValues.
 */
export function taggedOnCreate(names: readonly string[]) {
  return {
    StringEquals: { [`aws:RequestTag/${SIDE_ROUTE_TAG}`]: [...names] },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [SIDE_ROUTE_TAG] },
  };
}

/**
 * A delete of a rule that carries stepshift:side-route=<one of `names`> (aws:ResourceTag, listed for
 * ELB's and VPC Lattice's DeleteRule): a rule without the tag, the release rule among them, is refused.
 */
export function taggedRule(names: readonly string[]) {
  return { StringEquals: { [`aws:ResourceTag/${SIDE_ROUTE_TAG}`]: [...names] } };
}
