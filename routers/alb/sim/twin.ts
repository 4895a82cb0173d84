import type { Json } from '../../sim/service.ts';
import { targetGroupTwin } from '../../target-groups/sim/twin.ts';

/**
 * How an App Mesh example's world is written for an Application Load Balancer (scripts/router-twins.ts
 * writes examples/alb/ with it): the profile's router block, the example's route as a listener rule
 * with its conditions and weights, a target group per virtual node, and App Mesh's operations and
 * errors in ELB's names.
 */

const ALB_LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210';
const ALB = {
  type: 'alb',
  listenerArn: ALB_LISTENER,
  ruleArn:
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/0123456789abcdef/fedcba9876543210/00112233445566ff',
};

const target = (index: number) => ({ id: `10.0.${index + 1}.10`, port: 8080 });
const editsOf = (edits: readonly Json[]): Json => (edits.length ? { edits } : {});

export const albTwin = targetGroupTwin({
  title: 'ALB',
  folder: 'alb',
  router: ALB,
  route: (weights, edits) => ({
    listenerArn: ALB.listenerArn,
    ruleArn: ALB.ruleArn,
    priority: '10',
    conditions: [
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/orders*'] } },
      { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
      { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-tenant', Values: ['eu-*'] } },
    ],
    actions: [
      {
        Type: 'forward',
        Order: 1,
        ForwardConfig: {
          TargetGroups: Object.entries(weights).map(([name, weight]) => ({
            TargetGroupArn: name,
            Weight: weight,
          })),
          TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
        },
      },
    ],
    ...editsOf(edits),
  }),
  targetGroup: (name, index, serving) => ({
    name,
    targets: [
      serving
        ? { ...target(index), state: 'healthy' }
        : { ...target(index), state: 'unused', reason: 'Target.NotInUse' },
    ],
  }),
  operations: {
    DescribeRoute: 'DescribeRules',
    UpdateRoute: 'ModifyRule',
    DescribeVirtualNode: 'DescribeTargetGroups',
  },
  errors: {
    TooManyRequestsException: 'Throttling',
    AccessDeniedException: 'AccessDenied',
    InternalServerErrorException: 'InternalFailure',
  },
});
