import type { HeaderMatch as LatticeHeaderMatch, RuleMatch } from '@aws-sdk/client-vpc-lattice';
import type { HeaderMatch, SideRoute } from '#core/shapes.ts';
import { headerNameProblem, headerValueProblem, placementProblem } from '../target-groups/side-rules.ts';
import { LATTICE_SIDE_RULES } from './kind.ts';

const MAX_HEADERS = LATTICE_SIDE_RULES.maxMatches;

/** The release rule as GetRule returns it: what a side rule copies and goes ahead of. */
export interface LatticeRuleShape {
  readonly isDefault?: boolean | undefined;
  readonly priority?: number | undefined;
  readonly match?: RuleMatch | undefined;
}

/** Why Lattice cannot match this header as the profile asks, or undefined when it can. */
function headerProblem(header: HeaderMatch, side: SideRoute): string | undefined {
  const kinds = Object.keys(header.match).filter(
    (k) => header.match[k as keyof HeaderMatch['match']] !== undefined,
  );
  const kind = kinds[0] ?? 'none';
  if (header.invert) {
    return `${side.name} would match requests whose header "${header.name}" does not match; VPC Lattice header matches cannot be inverted, so give a match of exact or prefix`;
  }
  if (kind !== 'exact' && kind !== 'prefix') {
    return `${side.name} matches header "${header.name}" by ${kind}, which VPC Lattice cannot express (it matches exact, prefix or contains); give an exact or prefix match`;
  }
  return (
    headerNameProblem(LATTICE_SIDE_RULES, header) ??
    headerValueProblem(LATTICE_SIDE_RULES, header, side, String(header.match[kind]))
  );
}

/**
 * Why VPC Lattice cannot hold this side rule ahead of the release's route. A listener's default action
 * is what is left when no rule matches: it has no priority, so a rule can only ever be ahead of it, and
 * a side rule beside it would match everything with the header, not what the route matches. Stepshift
 * refuses that rather than guess, as it refuses a rule at priority 1, above which there is no room.
 */
export function latticeSideRuleProblem(
  routeId: string,
  rule: LatticeRuleShape | undefined,
  side: SideRoute,
): string | undefined {
  const placement = placementProblem(
    LATTICE_SIDE_RULES,
    routeId,
    rule && { isDefault: rule.isDefault, priority: rule.priority },
    side,
  );
  if (placement || !rule) return placement;
  for (const header of side.headers) {
    const problem = headerProblem(header, side);
    if (problem) return problem;
  }
  const held = rule.match?.httpMatch?.headerMatches?.length ?? 0;
  if (held + side.headers.length > MAX_HEADERS) {
    return `${routeId} matches ${held} headers and ${side.name} adds ${side.headers.length}; VPC Lattice matches at most ${MAX_HEADERS} per rule`;
  }
  return undefined;
}

/**
 * Who may call the service is not a rule's concern in VPC Lattice: rules hold only a match and a forward
 * or fixed-response action, and auth policies attach to the service network and the service (VPC
 * Lattice User Guide, "Control access to VPC Lattice services using auth policies"), evaluated for every
 * request whichever rule matches it. A side rule is therefore guarded exactly as the release rule is,
 * and there is nothing of the kind to copy, unlike ALB's sign-in actions (routers/alb/side-route.ts).
 *
 * The side rule's match, priority and action: the rule's own match plus the side route's headers
 * (case-sensitive, as App Mesh matches them), one priority ahead, forwarding everything to `groupId`.
 * @throws Error when latticeSideRuleProblem would name a problem (Prepare refused such a release).
 */
export function latticeSideRule(
  routeId: string,
  rule: LatticeRuleShape | undefined,
  side: SideRoute,
  groupId: string,
): {
  match: RuleMatch;
  priority: number;
  action: { forward: { targetGroups: { targetGroupIdentifier: string; weight: number }[] } };
} {
  const problem = latticeSideRuleProblem(routeId, rule, side);
  if (problem) throw new Error(problem);
  const httpMatch = structuredClone(rule?.match?.httpMatch ?? {});
  const added = side.headers.map(
    (h): LatticeHeaderMatch => ({
      name: h.name,
      match: h.match.exact !== undefined ? { exact: h.match.exact } : { prefix: h.match.prefix as string },
      caseSensitive: true,
    }),
  );
  httpMatch.headerMatches = [...(httpMatch.headerMatches ?? []), ...added];
  return {
    match: { httpMatch },
    priority: (rule?.priority as number) - 1,
    action: { forward: { targetGroups: [{ targetGroupIdentifier: groupId, weight: 100 }] } },
  };
}
