import { createHash } from 'node:crypto';
import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '../../sim/account.ts';
import { editedGroups, editsSchema, isWeight } from '../../target-groups/sim/edits.ts';

/**
 * The scenario's `world.alb`: each route is a listener rule (or a listener's default actions) in the
 * shape DescribeRules or DescribeListeners returns it; target groups are declared by name, with their
 * registered targets' health. `edits` are a person's changes by hand (the console).
 */

/** An ELB target group ARN for a name, in the rehearsal's account and region, with a stable id. */
export function albTargetGroupArn(name: string): string {
  const id = createHash('sha256').update(`alb/${name}`, 'utf8').digest('hex').slice(0, 16);
  return `arn:aws:elasticloadbalancing:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:targetgroup/${name}/${id}`;
}

const ALB_MAX_GROUPS = 5;

const ALB_TARGET_FIELDS = ['id', 'port', 'state', 'reason'] as const;
const ALB_STATES = [
  'initial',
  'healthy',
  'unhealthy',
  'unhealthy.draining',
  'unused',
  'draining',
  'unavailable',
] as const;
const albTargetSchema = z.strictObject(
  {
    id: requiredString('the target (an instance id, an IP address or a Lambda ARN)', 2048),
    port: z.number().int().min(1).max(65535).optional(),
    state: z.enum(ALB_STATES, {
      error: (iss) => `${show(iss.input)} is not a target health state; use one of: ${ALB_STATES.join(', ')}`,
    }),
    reason: z.string().optional(),
  },
  { error: objectError('a target', ALB_TARGET_FIELDS) },
);

const ALB_GROUP_FIELDS = ['name', 'targets'] as const;
const albGroupSchema = z.strictObject(
  {
    name: requiredString('the target group name, such as "orders-v1"', 32),
    targets: z.array(albTargetSchema).default([]),
  },
  { error: objectError('a target group', ALB_GROUP_FIELDS) },
);

const ALB_ROUTE_FIELDS = [
  'listenerArn',
  'ruleArn',
  'priority',
  'conditions',
  'actions',
  'transforms',
  'edits',
] as const;
const albRouteSchema = z.strictObject(
  {
    listenerArn: requiredString('the listener ARN', 2048),
    ruleArn: z.optional(requiredString('the rule ARN', 2048)),
    priority: z.string().optional(),
    // Kept as written, as DescribeRules returns them.
    conditions: z.array(z.record(z.string(), z.unknown())).default([]),
    actions: z.array(z.record(z.string(), z.unknown()), {
      error:
        'give the actions as DescribeRules returns them, e.g. [{"Type": "forward", "ForwardConfig": {...}}]',
    }),
    // Host header and URL rewrites (RuleTransform), kept as written, as DescribeRules returns them.
    transforms: z.array(z.record(z.string(), z.unknown())).default([]),
    edits: editsSchema,
  },
  { error: objectError('an ALB route', ALB_ROUTE_FIELDS) },
);

const ALB_FIELDS = ['routes', 'targetGroups'] as const;
export const albWorldSchema = z
  .strictObject(
    { routes: z.array(albRouteSchema).default([]), targetGroups: z.array(albGroupSchema).default([]) },
    { error: objectError('the alb block', ALB_FIELDS) },
  )
  .superRefine((world, ctx) => {
    // As for Lattice: one forward action of 1..5 declared target groups, weights ELB takes.
    const names = world.targetGroups.map((g) => g.name);
    const known = (arn: unknown) => names.some((n) => arn === n || arn === albTargetGroupArn(n));
    world.routes.forEach((route, i) => {
      const index = route.actions.findIndex((a) => a.Type === 'forward');
      const count = route.actions.filter((a) => a.Type === 'forward').length;
      if (count !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'actions'],
          message: `has ${count} forward actions; stepshift shifts the weights of exactly one`,
        });
        return;
      }
      const forward = route.actions[index] as {
        TargetGroupArn?: unknown;
        ForwardConfig?: { TargetGroups?: unknown };
      };
      const groups =
        forward.ForwardConfig?.TargetGroups ??
        (forward.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn }] : []);
      const at = ['routes', i, 'actions', index];
      if (!Array.isArray(groups) || groups.length < 1 || groups.length > ALB_MAX_GROUPS) {
        ctx.addIssue({
          code: 'custom',
          path: at,
          message: `ELB would not hold this forward action: give 1..${ALB_MAX_GROUPS} target groups in ForwardConfig.TargetGroups`,
        });
        return;
      }
      groups.forEach((g: { TargetGroupArn?: unknown; Weight?: unknown }, j) => {
        if (!known(g.TargetGroupArn)) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'ForwardConfig', 'TargetGroups', j, 'TargetGroupArn'],
            message: `${show(g.TargetGroupArn)} is not a declared target group; declare it in world.alb.targetGroups (one of: ${names.join(', ') || 'none yet'})`,
          });
        }
        if (g.Weight !== undefined && !isWeight(g.Weight)) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'ForwardConfig', 'TargetGroups', j, 'Weight'],
            message: `${show(g.Weight)} is not a weight ELB takes; give a whole number 0..999`,
          });
        }
      });
      editedGroups(route.edits, names, ['routes', i, 'edits'], 'world.alb.targetGroups', ctx);
    });
  })
  .default({ routes: [], targetGroups: [] });

export type AlbWorld = z.output<typeof albWorldSchema>;
export type AlbWorldRoute = AlbWorld['routes'][number];
