import { SIMULATED_ACCOUNT } from '../../sim/account.ts';
import { canonicalJson, uidFor } from '../../sim/ids.ts';
import { type Json, ServiceError } from '../../sim/service.ts';
import { validateUpdateRouteInput } from './validation.ts';
import type { AppMeshWorld } from './world.ts';

/** Which route: App Mesh's route key. */
export interface RouteKey {
  readonly meshName: string;
  readonly virtualRouterName: string;
  readonly routeName: string;
  readonly meshOwner?: string | undefined;
}

interface Route {
  readonly meshName: string;
  readonly virtualRouterName: string;
  readonly routeName: string;
  readonly meshOwner: string | undefined;
  readonly uid: string;
  spec: Json;
  version: number;
  lastUpdatedAt: number;
  /** clientToken -> the canonical JSON of the spec it applied and the answer it got, for replays. */
  readonly tokens: Map<string, { spec: string; result: Json }>;
}

type Spec = Record<string, { action?: { weightedTargets?: { virtualNode: string; weight: number }[] } }>;

/** The weighted targets of a RouteSpec, in order; lenient, as a timeline must never throw. */
export function targetsInSpec(spec: unknown): { name: string; weight: number }[] {
  const kind = Object.values((spec ?? {}) as Spec).find((k) => k?.action?.weightedTargets);
  return (kind?.action?.weightedTargets ?? []).map((t) => ({ name: t.virtualNode, weight: t.weight }));
}

/** The weighted targets of a RouteSpec as target -> percent. */
export function weightsInSpec(spec: unknown): Record<string, number> {
  return Object.fromEntries(targetsInSpec(spec).map((t) => [t.name, t.weight]));
}

const ownerOf = (input: Json) => (typeof input.meshOwner === 'string' ? input.meshOwner : undefined);

const sameRoute = (r: RouteKey, key: RouteKey) =>
  r.meshName === key.meshName &&
  r.virtualRouterName === key.virtualRouterName &&
  r.routeName === key.routeName &&
  r.meshOwner === key.meshOwner;

/**
 * App Mesh's routes and virtual nodes as the world scripts them, and the API's rules for them:
 * UpdateRoute and CreateRoute checked as App Mesh checks a RouteSpec (validation.ts), the version
 * raised by every write, a clientToken's replay answered with the first write's result.
 */
export class AppMeshModel {
  readonly #routes: Route[];
  readonly #nodes: AppMeshWorld['virtualNodes'];
  /** CreateRoute's clientTokens: the route they created and the answer, for replays. */
  readonly #createTokens = new Map<string, { key: string; spec: string; result: Json }>();

  constructor(world: AppMeshWorld) {
    this.#nodes = world.virtualNodes;
    this.#routes = world.routes.map((r) => ({
      meshName: r.meshName,
      virtualRouterName: r.virtualRouterName,
      routeName: r.routeName,
      meshOwner: r.meshOwner,
      uid: uidFor(`route/${r.meshOwner ?? ''}/${r.meshName}/${r.virtualRouterName}/${r.routeName}`),
      spec: structuredClone(r.spec),
      version: 1,
      lastUpdatedAt: 0,
      tokens: new Map(),
    }));
  }

  /** The weights a route holds now, read from its live spec without copying it; empty for one the world lacks. */
  weightsOf(key: RouteKey): Record<string, number> {
    const route = this.#routes.find((r) => sameRoute(r, key));
    return route ? weightsInSpec(route.spec) : {};
  }

  /** Every route with its spec and version, the world's in its order, then those created. */
  routes(): (RouteKey & { spec: Json; version: number })[] {
    return this.#routes.map((r) => ({
      meshName: r.meshName,
      virtualRouterName: r.virtualRouterName,
      routeName: r.routeName,
      ...(r.meshOwner === undefined ? {} : { meshOwner: r.meshOwner }),
      spec: structuredClone(r.spec),
      version: r.version,
    }));
  }

  /**
   * A person changing the route by hand (the console or the CLI calling UpdateRoute): the whole spec
   * is replaced and the version rises, as UpdateRoute does. It is no call of the release: not logged,
   * no latency, no injected fault. Returns the route as it is now.
   * @throws Error with App Mesh's reasons when App Mesh would refuse the spec, or when no such route exists.
   */
  editRoute(key: RouteKey, spec: Json, at: number): RouteKey & { spec: Json; version: number } {
    const problems = validateUpdateRouteInput({ ...key, spec });
    if (problems.length > 0)
      throw new Error(`App Mesh would refuse this UpdateRoute: ${problems.join('; ')}`);
    let route: Route;
    try {
      route = this.#find({ ...key });
    } catch (error) {
      throw new Error((error as Error).message);
    }
    route.spec = structuredClone(spec);
    route.version += 1;
    route.lastUpdatedAt = at;
    return this.routes().find((r) => sameRoute({ meshOwner: undefined, ...r }, route)) as RouteKey & {
      spec: Json;
      version: number;
    };
  }

  describeRoute(input: Json, region: string, epoch: (s: number) => number): Json {
    return this.#routeData(this.#find(input), region, epoch);
  }

  updateRoute(input: Json, region: string, at: number, epoch: (s: number) => number): Json {
    refuseInvalid(input);
    const route = this.#find(input);
    const spec = input.spec as Json;
    const canonical = canonicalJson(spec);
    const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
    const applied = token === undefined ? undefined : route.tokens.get(token);
    if (applied !== undefined) {
      // A replay is answered with the first write's result and changes nothing, even if the route
      // has been written since; that is why a clientToken must never be reused for another write.
      if (applied.spec === canonical) return structuredClone(applied.result);
      throw new ServiceError(
        'ConflictException',
        409,
        `clientToken "${token}" was already used to update this route with a different spec; use a new client token for a new spec`,
      );
    }
    route.spec = structuredClone(spec);
    route.version += 1;
    route.lastUpdatedAt = at;
    const result = this.#routeData(route, region, epoch);
    if (token !== undefined) route.tokens.set(token, { spec: canonical, result: structuredClone(result) });
    return result;
  }

  /**
   * CreateRoute, validated as UpdateRoute is (the same RouteSpec rules). A clientToken seen before with
   * the same route and spec is answered with the first call's result and creates nothing; a name the
   * virtual router already has is a ConflictException.
   */
  createRoute(input: Json, region: string, at: number, epoch: (s: number) => number): Json {
    refuseInvalid(input);
    const owner = ownerOf(input);
    const key = `${owner ?? ''}/${String(input.meshName)}/${String(input.virtualRouterName)}/${String(input.routeName)}`;
    const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
    const canonical = canonicalJson(input.spec as Json);
    const replayed = token === undefined ? undefined : this.#createTokens.get(token);
    if (replayed !== undefined && replayed.key === key && replayed.spec === canonical) {
      return structuredClone(replayed.result);
    }
    const router = this.#routes.some(
      (r) =>
        r.meshName === input.meshName &&
        r.virtualRouterName === input.virtualRouterName &&
        r.meshOwner === owner,
    );
    if (!router) {
      throw new ServiceError(
        'NotFoundException',
        404,
        `Virtual router "${String(input.virtualRouterName)}" in mesh "${String(input.meshName)}" does not exist`,
      );
    }
    if (this.#routes.some((r) => sameRoute(r, { ...(input as unknown as RouteKey), meshOwner: owner }))) {
      throw new ServiceError(
        'ConflictException',
        409,
        `Route "${String(input.routeName)}" already exists on virtual router "${String(input.virtualRouterName)}"`,
      );
    }
    const route: Route = {
      meshName: String(input.meshName),
      virtualRouterName: String(input.virtualRouterName),
      routeName: String(input.routeName),
      meshOwner: owner,
      uid: uidFor(`route/${key}/${at}`),
      spec: structuredClone(input.spec as Json),
      version: 1,
      lastUpdatedAt: at,
      tokens: new Map(),
    };
    this.#routes.push(route);
    const result = this.#routeData(route, region, epoch);
    if (token !== undefined)
      this.#createTokens.set(token, { key, spec: canonical, result: structuredClone(result) });
    return result;
  }

  /** DeleteRoute: the route is gone at once, answered with its last state and status DELETED. */
  deleteRoute(input: Json, region: string, epoch: (s: number) => number): Json {
    const route = this.#find(input);
    this.#routes.splice(this.#routes.indexOf(route), 1);
    return { ...this.#routeData(route, region, epoch), status: { status: 'DELETED' } };
  }

  /** ListVirtualNodes: every node of the mesh (of this owner), on one page. */
  listVirtualNodes(input: Json, region: string, epoch: (s: number) => number): Json {
    const owner = ownerOf(input);
    const nodes = this.#nodes.filter((n) => n.meshName === input.meshName && n.meshOwner === owner);
    return {
      virtualNodes: nodes.map((node) => {
        const account = node.meshOwner ?? SIMULATED_ACCOUNT;
        return {
          meshName: node.meshName,
          virtualNodeName: node.virtualNodeName,
          arn: `arn:aws:appmesh:${region}:${account}:mesh/${node.meshName}/virtualNode/${node.virtualNodeName}`,
          meshOwner: account,
          resourceOwner: account,
          version: 1,
          createdAt: epoch(0),
          lastUpdatedAt: epoch(0),
        };
      }),
    };
  }

  describeVirtualNode(input: Json, region: string, epoch: (s: number) => number): Json {
    const owner = ownerOf(input);
    const node = this.#nodes.find(
      (n) =>
        n.meshName === input.meshName && n.virtualNodeName === input.virtualNodeName && n.meshOwner === owner,
    );
    if (!node) {
      throw new ServiceError(
        'NotFoundException',
        404,
        `Virtual node "${String(input.virtualNodeName)}" in mesh "${String(input.meshName)}"${
          owner === undefined ? '' : ` owned by ${owner}`
        } does not exist`,
      );
    }
    const account = node.meshOwner ?? SIMULATED_ACCOUNT;
    return {
      meshName: node.meshName,
      virtualNodeName: node.virtualNodeName,
      spec: {},
      metadata: {
        arn: `arn:aws:appmesh:${region}:${account}:mesh/${node.meshName}/virtualNode/${node.virtualNodeName}`,
        version: 1,
        uid: uidFor(`node/${node.meshOwner ?? ''}/${node.meshName}/${node.virtualNodeName}`),
        createdAt: epoch(0),
        lastUpdatedAt: epoch(0),
        meshOwner: account,
        resourceOwner: account,
      },
      status: { status: 'ACTIVE' },
    };
  }

  #find(input: Json): Route {
    const owner = ownerOf(input);
    const route = this.#routes.find(
      (r) =>
        r.meshName === input.meshName &&
        r.virtualRouterName === input.virtualRouterName &&
        r.routeName === input.routeName &&
        r.meshOwner === owner,
    );
    if (!route) {
      throw new ServiceError(
        'NotFoundException',
        404,
        `Route "${String(input.routeName)}" of virtual router "${String(input.virtualRouterName)}" in mesh "${String(input.meshName)}"${
          owner === undefined ? '' : ` owned by ${owner}`
        } does not exist`,
      );
    }
    return route;
  }

  #routeData(route: Route, region: string, epoch: (s: number) => number): Json {
    const account = route.meshOwner ?? SIMULATED_ACCOUNT;
    return {
      meshName: route.meshName,
      virtualRouterName: route.virtualRouterName,
      routeName: route.routeName,
      spec: structuredClone(route.spec),
      metadata: {
        arn: `arn:aws:appmesh:${region}:${account}:mesh/${route.meshName}/virtualRouter/${route.virtualRouterName}/route/${route.routeName}`,
        version: route.version,
        uid: route.uid,
        createdAt: epoch(0),
        lastUpdatedAt: epoch(route.lastUpdatedAt),
        meshOwner: account,
        resourceOwner: account,
      },
      status: { status: 'ACTIVE' },
    };
  }
}

/** UpdateRoute's and CreateRoute's refusal of a RouteSpec App Mesh would not take. */
function refuseInvalid(input: Json): void {
  const problems = validateUpdateRouteInput(input);
  if (problems.length > 0) {
    const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'}`;
    throw new ServiceError('BadRequestException', 400, `${count} detected: ${problems.join('; ')}`);
  }
}
