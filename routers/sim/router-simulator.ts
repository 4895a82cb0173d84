import type * as z from 'zod';
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
  /** How an App Mesh example is written for this router, to make its twin (examples/<worldKey>/). */
  readonly twin?: Twin;
  /** What a person may do to this router by hand, as a scenario's operator action, by the action's name. */
  readonly personActions?: Readonly<Record<string, PersonAction<Block, Service>>>;
}

/** A problem with a scenario's input: where (below what was checked) and what to do. */
export interface Issue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A person's action on a router by hand (the console), beside the operator action's "at" and "action". */
export interface PersonAction<Block, Service> {
  /** How a refusal names the action ("an edit-route action"). */
  readonly what: string;
  /** The action's own fields. */
  readonly fields: z.ZodRawShape;
  /** What the service would refuse in the action. */
  problems(action: Json): Issue[];
  /** What the action names that this world's block does not have. */
  problemsIn(block: Block, action: Json): Issue[];
  /** Does it at this virtual time; returns what the timeline tells of it. */
  act(service: Service, action: Json, at: number): Json;
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

/** An App Mesh example as its twins read it (scripts/router-twins.ts). */
export interface AppMeshExample {
  /** The example, less its world's appmesh block; its faults already in this router's terms. */
  readonly example: Json;
  /** The released route's weights, virtual node -> weight. */
  readonly weights: Readonly<Record<string, number>>;
  /** Every virtual node of the example's mesh, in its order. */
  readonly virtualNodes: readonly string[];
  /** A person's edit-route actions, each as the weights it sets, virtual node -> weight. */
  readonly edits: readonly { readonly at: unknown; readonly weights: Readonly<Record<string, number>> }[];
}

/**
 * How an App Mesh example is written for another router (scripts/router-twins.ts writes
 * examples/<folder>/ with it): which examples it has a twin of, how an App Mesh name reads on it, and
 * the twin itself. Each router's folder supplies its own (routers/<name>/sim/twin.ts); the script names
 * no router.
 */
export interface Twin {
  /** How the twin's title and description name the router. */
  readonly title: string;
  /** The folder under examples/ the twins are written to. */
  readonly folder: string;
  /** Why the router has no twin of this example (a strategy it cannot run), or undefined when it has one. */
  skip(example: Json): string | undefined;
  /** A target's name on this router for an App Mesh virtual node's ("orders-v2"). */
  target(virtualNode: string): string;
  /** A timeline event of the App Mesh example as the twin's timeline has it; undefined when it has none. */
  event(name: string): string | undefined;
  /** The twin: the example with this router's profile block and world block, every name in its terms. */
  write(source: AppMeshExample): { readonly example: Json; readonly notes: readonly string[] };
  /** App Mesh operations and errors, as this router names them. */
  readonly operations: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
}
