import type { AppMeshExample, Twin } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';

/** What a router over target groups (VPC Lattice, ALB) writes of an App Mesh example's twin. */
export interface TargetGroupTwinSpec {
  readonly title: string;
  /** The folder under examples/ ("lattice", "alb"), which is also the world's key for its block. */
  readonly folder: string;
  /** The profile's router block. */
  readonly router: Json;
  /** The example route's match, as this router writes it, with these weights and a person's edits. */
  route(weights: Readonly<Record<string, number>>, edits: readonly Json[]): Json;
  /** One target group per virtual node: the one serving traffic healthy, the others not yet in use. */
  targetGroup(name: string, index: number, serving: boolean): Json;
  readonly operations: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
}

/**
 * The twin of an App Mesh example on a router over target groups: a target group per virtual node, of
 * the same name, the route with the example's weights; a person's edit-route (an App Mesh RouteSpec)
 * is scripted as the route's `edits` (the same weights at the same time), which leaves no
 * "operator.edit-route" line on the timeline. Every example has such a twin: blue/green and A/B build
 * their side route as a listener rule one priority ahead.
 */
export function targetGroupTwin(spec: TargetGroupTwinSpec): Twin {
  return {
    title: spec.title,
    folder: spec.folder,
    operations: spec.operations,
    errors: spec.errors,
    skip: () => undefined,
    target: (virtualNode) => virtualNode,
    event: (name) => (name === 'operator.edit-route' ? undefined : name),
    write: ({ example, weights, virtualNodes, edits }: AppMeshExample) => {
      const world = example.world as Json;
      const operator = world.operator as Json[] | undefined;
      const targetGroups = virtualNodes.map((name, i) => spec.targetGroup(name, i, (weights[name] ?? 0) > 0));
      return {
        example: {
          ...example,
          profile: { ...(example.profile as Json), router: spec.router },
          world: {
            [spec.folder]: { routes: [spec.route(weights, edits)], targetGroups },
            ...world,
            ...(operator ? { operator: operator.filter((a) => a.action !== 'edit-route') } : {}),
          },
        },
        notes: edits.length
          ? [
              'The person\'s edit is scripted as the route\'s "edits" (edit-route takes an App Mesh RouteSpec).',
            ]
          : [],
      };
    },
  };
}
