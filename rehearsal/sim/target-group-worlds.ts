import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, requiredString, show } from '#core/validation.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';

/**
 * The scenario's `world.lattice` and `world.alb`: App Mesh's successors as a rehearsal scripts them.
 * Each route is a listener rule (or a listener's default action) in the shape the service's Get or
 * Describe call returns it; target groups are declared by name, with their registered targets' health.
 * `edits` are a person's changes by hand (the console), applied at their virtual time: the same
 * weights on every router, so a scenario's twins script the same edit.
 */

/** VPC Lattice target group ids: "tg-" and 17 lowercase letters or digits. */
export function latticeTargetGroupId(name: string): string {
  return `tg-${createHash('sha256').update(`lattice/${name}`, 'utf8').digest('hex').slice(0, 17)}`;
}

/** An ELB target group ARN for a name, in the rehearsal's account and region, with a stable id. */
export function albTargetGroupArn(name: string): string {
  const id = createHash('sha256').update(`alb/${name}`, 'utf8').digest('hex').slice(0, 16);
  return `arn:aws:elasticloadbalancing:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:targetgroup/${name}/${id}`;
}

const LATTICE_MAX_GROUPS = 10;
const ALB_MAX_GROUPS = 5;

const editedAt = z
  .string({ error: (iss) => `${show(iss.input)} is not a duration; write when the person acts like "8m"` })
  .transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(text)} is not a duration; write when the person acts like "8m"`,
      });
      return z.NEVER;
    }
    return seconds;
  });

/** Weights by target group name: what the forward action holds after a person's edit. */
const weightsSchema = z.record(
  z.string(),
  z
    .number({ error: (iss) => `${show(iss.input)} is not a weight; give a whole number 0..999` })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; weights are whole numbers 0..999` })
    .min(0, { error: 'is below 0; weights are whole numbers 0..999' })
    .max(999, { error: 'is above 999; weights are whole numbers 0..999' }),
  { error: 'give the weights by target group name, e.g. {"orders-v1": 100}' },
);

const EDIT_FIELDS = ['at', 'weights'] as const;
const editSchema = z.strictObject(
  { at: editedAt, weights: weightsSchema },
  { error: objectError('an edit', EDIT_FIELDS) },
);

const LATTICE_TARGET_FIELDS = ['id', 'port', 'status'] as const;
const LATTICE_STATUSES = ['DRAINING', 'UNAVAILABLE', 'HEALTHY', 'UNHEALTHY', 'INITIAL', 'UNUSED'] as const;
const latticeTargetSchema = z.strictObject(
  {
    id: requiredString('the target (an instance id, an IP address, a Lambda or ALB ARN)', 2048),
    port: z.number().int().min(1).max(65535).optional(),
    status: z.enum(LATTICE_STATUSES, {
      error: (iss) => `${show(iss.input)} is not a target status; use one of: ${LATTICE_STATUSES.join(', ')}`,
    }),
  },
  { error: objectError('a target', LATTICE_TARGET_FIELDS) },
);

const LATTICE_GROUP_FIELDS = ['name', 'targets'] as const;
const latticeGroupSchema = z.strictObject(
  {
    name: requiredString('the target group name, such as "orders-v1"', 128),
    targets: z.array(latticeTargetSchema).default([]),
  },
  { error: objectError('a target group', LATTICE_GROUP_FIELDS) },
);

const LATTICE_ROUTE_FIELDS = [
  'serviceIdentifier',
  'listenerIdentifier',
  'ruleIdentifier',
  'match',
  'priority',
  'action',
  'edits',
] as const;
const latticeRouteSchema = z.strictObject(
  {
    serviceIdentifier: requiredString('the service id, such as "svc-0123456789abcdef0"'),
    listenerIdentifier: requiredString('the listener id, such as "listener-0123456789abcdef0"'),
    ruleIdentifier: requiredString('the rule id, such as "rule-0123456789abcdef0"').optional(),
    // Kept as written, as GetRule returns them.
    match: z.record(z.string(), z.unknown()).optional(),
    priority: z.number().int().min(1).max(100).optional(),
    action: z.record(z.string(), z.unknown(), {
      error: 'give the action as GetRule returns it, e.g. {"forward": {"targetGroups": [...]}}',
    }),
    edits: z.array(editSchema).default([]),
  },
  { error: objectError('a VPC Lattice route', LATTICE_ROUTE_FIELDS) },
);

const LATTICE_FIELDS = ['routes', 'targetGroups'] as const;
export const latticeWorldSchema = z
  .strictObject(
    {
      routes: z.array(latticeRouteSchema).default([]),
      targetGroups: z.array(latticeGroupSchema).default([]),
    },
    { error: objectError('the lattice block', LATTICE_FIELDS) },
  )
  .superRefine((world, ctx) => {
    // A route Lattice would never hold makes a rehearsal that proves nothing: check its forward action
    // as UpdateRule checks one, and that every group it or an edit names is declared.
    const names = world.targetGroups.map((g) => g.name);
    const known = (identifier: unknown) =>
      names.some((n) => identifier === n || String(identifier).split('/').pop() === latticeTargetGroupId(n));
    world.routes.forEach((route, i) => {
      const groups = (route.action.forward as { targetGroups?: unknown } | undefined)?.targetGroups;
      if (!Array.isArray(groups) || groups.length < 1 || groups.length > LATTICE_MAX_GROUPS) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'action'],
          message: `Lattice would not hold this action: give {"forward": {"targetGroups": [...]}} with 1..${LATTICE_MAX_GROUPS} target groups`,
        });
        return;
      }
      groups.forEach((g: { targetGroupIdentifier?: unknown; weight?: unknown }, j) => {
        if (!known(g.targetGroupIdentifier)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'action', 'forward', 'targetGroups', j, 'targetGroupIdentifier'],
            message: `${show(g.targetGroupIdentifier)} is not a declared target group; declare it in world.lattice.targetGroups (one of: ${names.join(', ') || 'none yet'})`,
          });
        }
        if (g.weight !== undefined && !isWeight(g.weight)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'action', 'forward', 'targetGroups', j, 'weight'],
            message: `${show(g.weight)} is not a weight Lattice takes; give a whole number 0..999`,
          });
        }
      });
      editedGroups(route.edits, names, ['routes', i, 'edits'], 'world.lattice.targetGroups', ctx);
    });
  })
  .default({ routes: [], targetGroups: [] });

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
    ruleArn: requiredString('the rule ARN', 2048).optional(),
    priority: z.string().optional(),
    // Kept as written, as DescribeRules returns them.
    conditions: z.array(z.record(z.string(), z.unknown())).default([]),
    actions: z.array(z.record(z.string(), z.unknown()), {
      error:
        'give the actions as DescribeRules returns them, e.g. [{"Type": "forward", "ForwardConfig": {...}}]',
    }),
    // Host header and URL rewrites (RuleTransform), kept as written, as DescribeRules returns them.
    transforms: z.array(z.record(z.string(), z.unknown())).default([]),
    edits: z.array(editSchema).default([]),
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

function isWeight(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 999;
}

/** An edit may set weights only of declared target groups. */
function editedGroups(
  edits: readonly WeightEdit[],
  names: readonly string[],
  path: (string | number)[],
  where: string,
  ctx: z.RefinementCtx,
): void {
  edits.forEach((edit, k) => {
    for (const name of Object.keys(edit.weights)) {
      if (!names.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, k, 'weights', name],
          message: `is not a declared target group; declare it in ${where}`,
        });
      }
    }
  });
}

export type LatticeWorld = z.output<typeof latticeWorldSchema>;
export type AlbWorld = z.output<typeof albWorldSchema>;
export type LatticeWorldRoute = LatticeWorld['routes'][number];
export type AlbWorldRoute = AlbWorld['routes'][number];
export type WeightEdit = z.output<typeof editSchema>;
