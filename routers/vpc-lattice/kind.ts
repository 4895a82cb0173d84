import * as z from 'zod/mini';
import type { NameRule } from '#core/aws-names.ts';
import { requiredString, show, strictObject } from '#core/validation.ts';
import { defineRouterKind } from '../define-kind.ts';
import { targetGroupTemplateProblem } from '../target-groups/names.ts';
import type { SideRuleLimits } from '../target-groups/side-rules.ts';

/**
 * A VPC Lattice identifier: the resource's id ("svc-" and 17 lowercase letters or digits, as the API
 * reference's patterns say) or its ARN, whose last part is that id.
 */
function latticeIdentifier(what: string, prefix: string, example: string) {
  const id = new RegExp(`^${prefix}-[0-9a-z]{17}$`);
  const arn =
    /^arn:[a-z0-9-]+:vpc-lattice:[a-z0-9-]+:[0-9]{12}:service\/svc-[0-9a-z]{17}(\/listener\/listener-[0-9a-z]{17}(\/rule\/rule-[0-9a-z]{17})?)?$/;
  return requiredString(what, 2048).check(
    z.refine((text) => id.test(text) || (arn.test(text) && id.test(text.split('/').pop() ?? '')), {
      error: (iss) =>
        `${show(iss.input)} is not a VPC Lattice ${prefix} id or ARN; give ${what}, like "${example}"`,
    }),
  );
}

/** A VPC Lattice listener rule, or the listener's default action, whose forward action a release shifts. */
export const latticeRouterSchema = strictObject('a VPC Lattice router', {
  type: z.literal('vpc-lattice'),
  serviceIdentifier: latticeIdentifier(
    'the VPC Lattice service (its id or ARN)',
    'svc',
    'svc-0123456789abcdef0',
  ),
  listenerIdentifier: latticeIdentifier(
    "the service's listener (its id or ARN)",
    'listener',
    'listener-0123456789abcdef0',
  ),
  ruleIdentifier: z.optional(
    latticeIdentifier(
      "the listener rule whose forward action the release shifts (its id or ARN); leave it out to shift the listener's default action",
      'rule',
      'rule-0123456789abcdef0',
    ),
  ),
});

export type LatticeRouterConfig = z.infer<typeof latticeRouterSchema>;

/** VPC Lattice (CreateTargetGroup): 3..128 of a-z, 0-9 and "-", not first or last, never two in a row. */
export const LATTICE_TARGET_GROUP_NAME: NameRule = {
  noun: 'a VPC Lattice target group name',
  min: 3,
  max: 128,
  pattern: /^[a-z0-9](?:-?[a-z0-9])*$/,
  allowed: 'lowercase letters, digits and single "-" between them',
};

/**
 * VPC Lattice's limits on a listener rule (API reference: CreateRule, HttpMatch, HeaderMatch,
 * ForwardAction): priorities 1..100, lower first; at most 5 header matches; header names up to 40
 * characters, values up to 128; 1..10 target groups a forward action.
 */
export const LATTICE_SIDE_RULES: SideRuleLimits = {
  service: 'VPC Lattice',
  ruleField: 'ruleIdentifier',
  defaultRoute: "a listener's default action, which has no priority and no match",
  maxPriority: 100,
  maxMatches: 5,
  maxName: 40,
  maxValue: 128,
};
export const LATTICE_MAX_TARGET_GROUPS = 10;

/** The id at the end of an id or an ARN, which is what logs need to tell routes apart. */
const lastPart = (identifier: string) => identifier.split('/').pop() as string;

export const latticeKind = defineRouterKind({
  type: 'vpc-lattice',
  title: 'VPC Lattice',
  configSchema: latticeRouterSchema,
  routeLabel: (router) =>
    `vpc-lattice:${lastPart(router.serviceIdentifier)}/${lastPart(router.listenerIdentifier)}/${router.ruleIdentifier === undefined ? 'default' : lastPart(router.ruleIdentifier)}`,
  targetTemplateProblem: (template) => targetGroupTemplateProblem(template, LATTICE_TARGET_GROUP_NAME),
  sideRoutes: true,
});
