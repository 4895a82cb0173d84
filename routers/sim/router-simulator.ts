import type { z } from 'zod';
import type { Json, SimulatedService } from './service.ts';

/**
 * What the rehearsal needs of one router's simulated service (routers/<name>/sim/), keyed by router
 * type in routers/simulators.ts: its block of the scenario's world, the service over it, and how the
 * report reads its routes. The rehearsal names no router: it goes through this.
 */
export interface RouterSimulator<Config, Block, Service extends SimulatedService> {
  /** The world's key for this router's block ("appmesh", "lattice", "alb"), and the block's schema. */
  readonly worldKey: string;
  readonly worldSchema: z.ZodType<Block, unknown>;
  /** The service over the world's block; `now` tells virtual seconds (a person's scripted edits land by then). */
  create(block: Block, now: () => number): Service;
  /** The weights of the route a profile's router block names, target -> weight; empty when the world has none. */
  weightsOf(service: Service, config: Config): Record<string, number>;
  /** Every route as the service holds it now: the world's, in its order, then those made since. */
  routes(service: Service): RouteState[];
}

/** A route as its service holds it. */
export interface RouteState {
  /** How the router names the route: App Mesh "mesh/virtualRouter/route", a rule's id or ARN, a listener's. */
  readonly route: string;
  /** Its weighted targets, in the route's order. */
  readonly targets: readonly { readonly name: string; readonly weight: number }[];
  /** Its fields as the service returns them, the weights among them. */
  readonly fields: Json;
  /** The writes it took since the rehearsal started. */
  readonly updates: number;
}
