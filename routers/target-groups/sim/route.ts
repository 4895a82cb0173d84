import type { Json } from '../../sim/service.ts';

/** The id at the end of an id or an ARN: Lattice takes either wherever it takes an identifier. */
export const idOf = (identifier: unknown) =>
  String(identifier ?? '')
    .split('/')
    .pop() ?? '';

/** A rule's Transforms as DescribeRules gives them: absent when it has none. */
export const transformsOf = (transforms: readonly Json[]) =>
  transforms.length ? { Transforms: structuredClone(transforms) as Json[] } : {};

/** A route as the rehearsal ends with it: the rule's (or listener's) fields as the service holds them. */
export interface FinalTargetGroupRoute {
  /** The rule, or the listener when the route is a listener's default action. */
  readonly key: string;
  readonly fields: Json;
  readonly updates: number;
}
