import type { Action, RuleCondition, RuleTransform } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { HeaderMatch, SideRoute } from '#core/shapes.ts';
import { headerNameProblem, headerValueProblem, placementProblem } from '../target-groups/side-rules.ts';
import { ALB_SIDE_RULES } from './kind.ts';

const MAX_VALUES = ALB_SIDE_RULES.maxMatches;

/** The release rule as DescribeRules returns it: what a side rule copies and goes ahead of. */
export interface AlbRuleShape {
  readonly isDefault?: boolean | undefined;
  readonly priority?: string | undefined;
  readonly conditions?: RuleCondition[] | undefined;
  /** Its actions: the sign-in actions a side rule must run too, and the forward it replaces. */
  readonly actions?: Action[] | undefined;
  /** Host header and URL rewrites, applied before the request reaches a target. */
  readonly transforms?: RuleTransform[] | undefined;
}

/**
 * The actions that sign a person in before the forward (Action: "authenticate-oidc",
 * "authenticate-cognito" or "jwt-validation"). ALB evaluates a listener's rules by priority and runs
 * only the first that matches, so a side rule ahead of the release rule must sign people in as the
 * release rule does, or anyone who sends its header reaches the new version without signing in.
 */
const SIGN_IN = new Set(['authenticate-oidc', 'authenticate-cognito', 'jwt-validation']);

const signInOf = (actions: readonly Action[] | undefined): Action[] =>
  (actions ?? []).filter((a) => SIGN_IN.has(a.Type ?? '')).sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0));

/** The http-header value pattern for a header match, or why ALB cannot express it. */
function headerValue(header: HeaderMatch, side: SideRoute): { value: string } | { problem: string } {
  const { exact, prefix, suffix } = header.match;
  if (header.invert) {
    return {
      problem: `${side.name} would match requests whose header "${header.name}" does not match; ALB http-header conditions cannot be inverted, so give an exact, prefix or suffix match`,
    };
  }
  const text = exact ?? prefix ?? suffix;
  if (text === undefined) {
    const kind = header.match.regex !== undefined ? 'regex' : 'range';
    return {
      problem: `${side.name} matches header "${header.name}" by ${kind}, which ALB cannot express (it matches values with * and ? wildcards); give an exact, prefix or suffix match`,
    };
  }
  if (/[*?]/.test(text)) {
    return {
      problem: `the value ${side.name} matches in header "${header.name}" holds * or ?, which ALB reads as wildcards; give a value without them`,
    };
  }
  const value = exact !== undefined ? exact : prefix !== undefined ? `${prefix}*` : `*${suffix}`;
  const problem = headerValueProblem(ALB_SIDE_RULES, header, side, value);
  return problem ? { problem } : { value };
}

/** How many values (match evaluations) a condition holds, as ELB counts them against the rule's 5. */
function valuesIn(condition: RuleCondition): number {
  const configs = [
    condition.HostHeaderConfig?.Values,
    condition.PathPatternConfig?.Values,
    condition.HttpHeaderConfig?.Values,
    condition.HttpRequestMethodConfig?.Values,
    condition.SourceIpConfig?.Values,
    condition.QueryStringConfig?.Values,
  ];
  const given = configs.find((v) => v !== undefined) ?? condition.Values ?? [];
  return given.length;
}

/**
 * Why ALB cannot hold this side rule ahead of the release's route. A listener's default actions (or
 * its default rule) have no priority and no conditions: a rule ahead of them would catch every request
 * with the header, not what the route matches, so stepshift refuses rather than guess; as it refuses
 * priority 1, above which there is no room.
 */
export function albSideRuleProblem(
  routeId: string,
  rule: AlbRuleShape | undefined,
  side: SideRoute,
): string | undefined {
  const priority = Number(rule?.priority);
  const placement = placementProblem(
    ALB_SIDE_RULES,
    routeId,
    rule && { isDefault: rule.isDefault, priority: Number.isInteger(priority) ? priority : undefined },
    side,
  );
  if (placement || !rule) return placement;
  // CreateRule requires an OIDC action's ClientSecret, which DescribeRules never returns; the
  // UseExistingClientSecret that ModifyRule takes keeps a rule's own secret, and a new rule has none
  // (ELB API reference, AuthenticateOidcActionConfig).
  if (signInOf(rule.actions).some((a) => a.Type === 'authenticate-oidc')) {
    return `${routeId} signs people in with authenticate-oidc, whose client secret ALB never returns and a new rule needs, so stepshift cannot put the same sign-in on ${side.name}; without it, anyone who sends its header would reach the new version without signing in. Release this rule with canary, linear or all-at-once, or sign in with authenticate-cognito or jwt-validation, which a side rule can repeat`;
  }
  for (const header of side.headers) {
    const long = headerNameProblem(ALB_SIDE_RULES, header);
    if (long) return long;
    const value = headerValue(header, side);
    if ('problem' in value) return value.problem;
  }
  const held = (rule.conditions ?? []).reduce((n, c) => n + valuesIn(c), 0);
  if (held + side.headers.length > MAX_VALUES) {
    return `${routeId} holds ${held} condition values and ${side.name} adds ${side.headers.length}; ALB matches at most ${MAX_VALUES} per rule`;
  }
  return undefined;
}

/**
 * The side rule: the rule's conditions plus one http-header condition a header, one priority ahead,
 * signing people in as the rule does (its authenticate-cognito and jwt-validation actions, in order,
 * with their Order values), rewriting as it does (its Transforms, which CreateRule takes as
 * DescribeRules gives them), and forwarding everything to `groupArn`. ALB compares header values without regard to case, where
 * App Mesh's exact match is case-sensitive: a test header's value should not rely on case.
 * @throws Error when albSideRuleProblem would name a problem (Prepare refused such a release).
 */
export function albSideRule(
  routeId: string,
  rule: AlbRuleShape | undefined,
  side: SideRoute,
  groupArn: string,
): { Priority: number; Conditions: RuleCondition[]; Actions: Action[]; Transforms?: RuleTransform[] } {
  const problem = albSideRuleProblem(routeId, rule, side);
  if (problem) throw new Error(problem);
  // DescribeRules returns a condition's values twice (Values and the Config) for the older fields;
  // CreateRule takes one, so the Config's alone is sent.
  const conditions = structuredClone(rule?.conditions ?? []).map((c) => {
    const { Values, ...rest } = c;
    return Object.keys(rest).some((k) => k.endsWith('Config')) ? rest : c;
  });
  const headers = side.headers.map(
    (h): RuleCondition => ({
      Field: 'http-header',
      HttpHeaderConfig: {
        HttpHeaderName: h.name,
        Values: [(headerValue(h, side) as { value: string }).value],
      },
    }),
  );
  const signIn = structuredClone(signInOf(rule?.actions));
  // Every action of a rule with several has an Order; the forward runs last.
  const forwardOrder =
    (rule?.actions ?? []).find((a) => a.Type === 'forward')?.Order ??
    (signIn.length ? Math.max(...signIn.map((a) => a.Order ?? 0)) + 1 : undefined);
  const transforms = structuredClone(rule?.transforms ?? []);
  return {
    Priority: Number(rule?.priority) - 1,
    Conditions: [...conditions, ...headers],
    Actions: [
      ...signIn,
      {
        Type: 'forward',
        ...(signIn.length && forwardOrder !== undefined ? { Order: forwardOrder } : {}),
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: groupArn, Weight: 1 }] },
      },
    ],
    ...(transforms.length ? { Transforms: transforms } : {}),
  };
}
