import { createHash } from 'node:crypto';
import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { editedGroups, editsSchema, isWeight } from '../../target-groups/sim/edits.ts';

/**
 * The scenario's `world.lattice`: each route is a listener rule (or a listener's default action) in
 * the shape GetRule or GetListener returns it; target groups are declared by name, with their
 * registered targets' health. `edits` are a person's changes by hand (the console).
 */

/** VPC Lattice target group ids: "tg-" and 17 lowercase letters or digits. */
export function latticeTargetGroupId(name: string): string {
  return `tg-${createHash('sha256').update(`lattice/${name}`, 'utf8').digest('hex').slice(0, 17)}`;
}

const LATTICE_MAX_GROUPS = 10;

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
    ruleIdentifier: z.optional(requiredString('the rule id, such as "rule-0123456789abcdef0"')),
    // Kept as written, as GetRule returns them.
    match: z.record(z.string(), z.unknown()).optional(),
    priority: z.number().int().min(1).max(100).optional(),
    action: z.record(z.string(), z.unknown(), {
      error: 'give the action as GetRule returns it, e.g. {"forward": {"targetGroups": [...]}}',
    }),
    edits: editsSchema,
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

export type LatticeWorld = z.output<typeof latticeWorldSchema>;
export type LatticeWorldRoute = LatticeWorld['routes'][number];
