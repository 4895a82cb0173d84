import { albSimulator } from './alb/sim/simulator.ts';
import { appMeshSimulator } from './appmesh/sim/simulator.ts';
import type { RouterType } from './registry.ts';
import { latticeSimulator } from './vpc-lattice/sim/simulator.ts';

/**
 * Every router's simulated service, by the profile's router.type, as the rehearsal drives it: the
 * world block it reads, the service over it, how a route's weights and final state are read. Keyed
 * like routers/registry.ts, so the compiler names the line a new router still lacks.
 */
export const ROUTER_SIMULATORS = {
  appmesh: appMeshSimulator,
  'vpc-lattice': latticeSimulator,
  alb: albSimulator,
} as const satisfies Record<RouterType, unknown>;

export type RouterSimulators = typeof ROUTER_SIMULATORS;
/** The simulated service of a router of this type. */
export type RouterServiceOf<T extends RouterType> = ReturnType<RouterSimulators[T]['create']>;

/** Each router's block of the scenario's world, by its key ("appmesh", "lattice", "alb"), in the registry's order. */
export const ROUTER_WORLD_SCHEMAS = {
  [appMeshSimulator.worldKey]: appMeshSimulator.worldSchema,
  [latticeSimulator.worldKey]: latticeSimulator.worldSchema,
  [albSimulator.worldKey]: albSimulator.worldSchema,
} as const;
