import type { RouterConfig } from '#core/shapes.ts';
import { albSimulator } from './alb/sim/simulator.ts';
import { appMeshSimulator } from './appmesh/sim/simulator.ts';
import { lambdaSimulator } from './lambda/sim/simulator.ts';
import { configOf, ROUTER_TYPES, type RouterConfigOf, type RouterType, routerTypeOf } from './registry.ts';
import type { PersonAction, RouterSimulator, RouteState } from './sim/router-simulator.ts';
import type { SimulatedService } from './sim/service.ts';
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
  lambda: lambdaSimulator,
} as const satisfies {
  // Each simulator reads the route its own router block (as the profile parses it) names.
  readonly [T in RouterType]: {
    weightsOf(service: never, config: RouterConfigOf<T>): Record<string, number>;
  };
};

export type RouterSimulators = typeof ROUTER_SIMULATORS;
/** The simulated service of a router of this type. */
export type RouterServiceOf<T extends RouterType> = ReturnType<RouterSimulators[T]['create']>;

/** Each router's block of the scenario's world, by its key ("appmesh", "lattice", "alb"), in the registry's order. */
export const ROUTER_WORLD_SCHEMAS = {
  [appMeshSimulator.worldKey]: appMeshSimulator.worldSchema,
  [latticeSimulator.worldKey]: latticeSimulator.worldSchema,
  [albSimulator.worldKey]: albSimulator.worldSchema,
  [lambdaSimulator.worldKey]: lambdaSimulator.worldSchema,
} as const;

/** Each router's simulated service in one rehearsal, by router type. */
export type RouterServices = { readonly [T in RouterType]: RouterServiceOf<T> };

type AnySimulator = RouterSimulator<unknown, unknown, SimulatedService>;

/** The simulator of this router type, as the rehearsal drives any of them. */
function simulatorOf(type: RouterType): AnySimulator {
  return ROUTER_SIMULATORS[type] as unknown as AnySimulator;
}

/** Every router's service over its block of the world; `now` tells virtual seconds. */
export function createRouterServices(
  world: Readonly<Record<string, unknown>>,
  now: () => number,
): RouterServices {
  return Object.fromEntries(
    ROUTER_TYPES.map((type) => {
      const simulator = simulatorOf(type);
      return [type, simulator.create(world[simulator.worldKey], now)];
    }),
  ) as unknown as RouterServices;
}

/** The weights of the route a profile's (parsed) router block names, target -> weight, as its service holds them now. */
export function routeWeightsOf(services: RouterServices, router: RouterConfig): Record<string, number> {
  const type = routerTypeOf(router);
  return simulatorOf(type).weightsOf(services[type], configOf(type, router));
}

/** A route as a rehearsal ends with it, on whichever router. */
export interface FinalRoute extends RouteState {
  readonly router: RouterType;
}

/** Every route of every router's service as it is now, router by router in the registry's order. */
export function finalRoutesOf(services: RouterServices): FinalRoute[] {
  return ROUTER_TYPES.flatMap((type) =>
    simulatorOf(type)
      .routes(services[type])
      .map((route) => ({ router: type, ...route })),
  );
}

/** A person's action on a router (a scenario's operator action), with the router it acts on. */
export interface RouterPersonAction {
  readonly name: string;
  readonly type: RouterType;
  /** The world's key for the router's block. */
  readonly worldKey: string;
  readonly action: PersonAction<unknown, SimulatedService>;
}

/** Every router's person actions, in the registry's order. */
export const ROUTER_PERSON_ACTIONS: readonly RouterPersonAction[] = ROUTER_TYPES.flatMap((type) => {
  const simulator = simulatorOf(type);
  return Object.entries(simulator.personActions ?? {}).map(([name, action]) => ({
    name,
    type,
    worldKey: simulator.worldKey,
    action,
  }));
});
