import * as z from 'zod/mini';
import type { NameRule } from '#core/aws-names.ts';
import { requiredString, show, strictObject } from '#core/validation.ts';
import { defineRouterKind } from '../define-kind.ts';
import { targetGroupTemplateProblem } from '../target-groups/names.ts';
import type { SideRuleLimits } from '../target-groups/side-rules.ts';

const ALB_LISTENER_ARN =
  /^arn:[a-z0-9-]+:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}$/;
const ALB_RULE_ARN =
  /^arn:[a-z0-9-]+:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener-rule\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/;

/** An Application Load Balancer listener rule, or the listener's default actions, whose forward action a release shifts. */
export const albRouterSchema = strictObject('an ALB router', {
  type: z.literal('alb'),
  listenerArn: requiredString("the Application Load Balancer listener's ARN", 2048).check(
    z.regex(ALB_LISTENER_ARN, {
      error: (iss) =>
        `${show(iss.input)} is not an Application Load Balancer listener ARN; copy it from the console or DescribeListeners, like "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef"`,
    }),
  ),
  ruleArn: z.optional(
    requiredString(
      "the listener rule's ARN; leave it out to shift the listener's default action",
      2048,
    ).check(
      z.regex(ALB_RULE_ARN, {
        error: (iss) =>
          `${show(iss.input)} is not an Application Load Balancer listener rule ARN; copy it from the console or DescribeRules, like "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/0123456789abcdef/0123456789abcdef"`,
      }),
    ),
  ),
}).check(
  z.superRefine((router, ctx) => {
    // A rule of another listener would be shifted under this listener's name and lock.
    if (router.ruleArn === undefined) return;
    const listener = router.listenerArn.split(':listener/')[1];
    const ruleListener = router.ruleArn.split(':listener-rule/')[1]?.split('/').slice(0, 4).join('/');
    if (listener !== undefined && ruleListener !== undefined && listener !== ruleListener) {
      ctx.addIssue({
        code: 'custom',
        path: ['ruleArn'],
        message: `belongs to listener ${ruleListener}, not to listenerArn's ${listener}; give a rule of that listener`,
      });
    }
  }),
);

export type AlbRouterConfig = z.infer<typeof albRouterSchema>;

/** ELB (CreateTargetGroup): at most 32 alphanumeric characters or hyphens, not beginning or ending with one. */
export const ALB_TARGET_GROUP_NAME: NameRule = {
  noun: 'an ELB target group name',
  max: 32,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: 'letters, digits and "-" (not first or last)',
};

/**
 * ELB's limits on a listener rule (API reference: CreateRule, RuleCondition, HttpHeaderConditionConfig,
 * ForwardActionConfig): priorities 1..50000, lower first; at most 5 condition values ("match
 * evaluations"); header names up to 40 characters, values up to 128, where "*" and "?" are wildcards;
 * up to 5 target groups a forward action.
 */
export const ALB_SIDE_RULES: SideRuleLimits = {
  service: 'ALB',
  ruleField: 'ruleArn',
  defaultRoute: "a listener's default actions, which have no priority and no conditions",
  maxPriority: 50_000,
  maxMatches: 5,
  maxName: 40,
  maxValue: 128,
};
export const ALB_MAX_TARGET_GROUPS = 5;

/** The id at the end of an ARN, which is what logs need to tell routes apart. */
const lastPart = (identifier: string) => identifier.split('/').pop() as string;

export const albKind = defineRouterKind({
  type: 'alb',
  title: 'ALB',
  configSchema: albRouterSchema,
  routeLabel: (router) => {
    const listener = router.listenerArn.split(':listener/')[1];
    return `alb:${listener}/${router.ruleArn === undefined ? 'default' : lastPart(router.ruleArn)}`;
  },
  targetTemplateProblem: (template) => targetGroupTemplateProblem(template, ALB_TARGET_GROUP_NAME),
  sideRoutes: true,
});
