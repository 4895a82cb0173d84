import type { HeaderMatch, SideRoute } from '#core/shapes.ts';

/**
 * The tag a Lattice or ALB side rule carries, its value the side route's name: those rules have ids AWS
 * assigns, so IAM scopes their creation and deletion by this tag (routers/target-groups/iam.ts), and
 * ALB's router finds its rule by it (ALB rules have no names).
 */
export const SIDE_ROUTE_TAG = 'stepshift:side-route';

/**
 * What a listener rule of a target-group router allows a side rule: the priorities a rule may have
 * (1 first), how many header matches one holds, and how long a header's name and value may be.
 */
export interface SideRuleLimits {
  /** "VPC Lattice", "ALB": the service, as sentences name it. */
  readonly service: string;
  /** The profile field that names a rule: "ruleIdentifier", "ruleArn". */
  readonly ruleField: string;
  /** A listener's default route in words, with why nothing can go ahead of it. */
  readonly defaultRoute: string;
  readonly maxPriority: number;
  readonly maxMatches: number;
  readonly maxName: number;
  readonly maxValue: number;
}

/** The first priority a listener rule may have: nothing can go ahead of a rule there. */
const FIRST_PRIORITY = 1;

/**
 * Why a side rule cannot go one priority ahead of the release rule: the route is the listener's
 * default (no priority, nothing it matches to copy), the rule has no priority, or it is first already.
 */
export function placementProblem(
  limits: SideRuleLimits,
  routeId: string,
  rule: { readonly isDefault?: boolean | undefined; readonly priority: number | undefined } | undefined,
  side: SideRoute,
): string | undefined {
  const room = `a priority of 2..${limits.maxPriority}`;
  if (rule === undefined || rule.isDefault) {
    return `${routeId} is ${limits.defaultRoute} to put ${side.name} ahead of; name a listener rule (${limits.ruleField}) with ${room} for blue/green or A/B`;
  }
  if (rule.priority === undefined) {
    return `${routeId} has no priority, so no rule can be placed ahead of it; give it ${room}`;
  }
  if (rule.priority <= FIRST_PRIORITY) {
    return `${routeId} has priority ${rule.priority}, the first ${limits.service} has, so there is no room for ${side.name} ahead of it; give the rule ${room}`;
  }
  return undefined;
}

/** Why the rule cannot match a header of this name, or undefined. */
export function headerNameProblem(limits: SideRuleLimits, header: HeaderMatch): string | undefined {
  if (header.name.length <= limits.maxName) return undefined;
  return `header name "${header.name}" is ${header.name.length} characters; ${limits.service} matches header names of at most ${limits.maxName}`;
}

/** Why the rule cannot match this value (as the rule writes it), or undefined. */
export function headerValueProblem(
  limits: SideRuleLimits,
  header: HeaderMatch,
  side: SideRoute,
  value: string,
): string | undefined {
  if (value.length <= limits.maxValue) return undefined;
  return `the value ${side.name} matches in header "${header.name}" is ${value.length} characters; ${limits.service} matches values of at most ${limits.maxValue}`;
}
