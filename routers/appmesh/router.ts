import {
  AppMeshClient,
  CreateRouteCommand,
  DeleteRouteCommand,
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  ListVirtualNodesCommand,
  type RouteData,
  type RouteSpec,
  UpdateRouteCommand,
  type WeightedTarget,
} from '@aws-sdk/client-app-mesh';
import { awsErrorName, errorMessage, unavailableAs } from '#adapters/aws/aws-errors.ts';
import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import {
  InvalidTargetsError,
  RouteDriftedError,
  RouterUnavailableError,
  UnsupportedRouteError,
} from '#core/errors.ts';
import type { RouteReading, Router } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { describeTargets, sameWeights } from '#core/targets.ts';
import { clientTokenFor } from '../client-token.ts';
import { routeCalls, unlessAbsent } from '../route-calls.ts';
import { APP_MESH_LIMITS, type AppMeshRouterConfig, appMeshKind } from './kind.ts';
import { sideRouteSpec, sideRouteSpecProblem } from './side-route.ts';

const ROUTE_KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'] as const;
type RouteKind = (typeof ROUTE_KINDS)[number];

const { maxTargets: MAX_TARGETS, maxWeight: MAX_WEIGHT, maxWeightSum: MAX_WEIGHT_SUM } = APP_MESH_LIMITS;

/**
 * Every way these targets break App Mesh's rules for weightedTargets, so the write is refused here
 * with a readable message instead of by a BadRequestException.
 */
function targetLimitProblems(targets: readonly Target[]): string[] {
  const problems: string[] = [];
  if (targets.length < 1 || targets.length > MAX_TARGETS) {
    problems.push(`a route holds 1 to ${MAX_TARGETS} weighted targets, not ${targets.length}`);
  }
  for (const t of targets) {
    if (typeof t.name !== 'string' || t.name.length === 0) problems.push('a target has no virtual node name');
    if (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > MAX_WEIGHT) {
      problems.push(`${t.name} has weight ${t.weight}; weights are whole numbers 0..${MAX_WEIGHT}`);
    }
    if (t.port !== undefined && (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535)) {
      problems.push(`${t.name} has port ${t.port}; ports are whole numbers 1..65535`);
    }
  }
  const sum = targets.reduce((total, t) => total + t.weight, 0);
  if (sum > MAX_WEIGHT_SUM)
    problems.push(`the weights add up to ${sum}; App Mesh allows at most ${MAX_WEIGHT_SUM}`);
  return problems;
}

/** A Router over one App Mesh route: reads and rewrites only its weighted targets. */
export function createAppMeshRouter(client: AppMeshClient, config: AppMeshRouterConfig): Router {
  const { meshName, virtualRouterName, routeName } = config;
  const routeId = appMeshKind.routeLabel(config);
  const owner = config.meshOwner === undefined ? {} : { meshOwner: config.meshOwner };
  const routeKey = { meshName, virtualRouterName, routeName, ...owner };
  /** What DescribeRoute returned for each reading handed out, so a write can start from it. */
  const described = new WeakMap<RouteReading, RouteData>();

  const call = routeCalls({
    routeId,
    notFound: ['NotFoundException'],
    missing: `App Mesh has no route "${routeName}" on virtual router "${virtualRouterName}" in mesh "${meshName}"${
      config.meshOwner === undefined ? '' : ` owned by ${config.meshOwner}`
    }`,
  });

  /** The side route of this name, or undefined when the router has none. */
  async function describeSide(name: string): Promise<RouteData | undefined> {
    try {
      const out = await client.send(
        new DescribeRouteCommand({ meshName, virtualRouterName, routeName: name, ...owner }),
      );
      return out.route;
    } catch (error) {
      unlessAbsent('DescribeRoute', error, ['NotFoundException']);
      return undefined;
    }
  }

  async function describe(): Promise<RouteData> {
    const out = await call('DescribeRoute', () => client.send(new DescribeRouteCommand(routeKey)));
    if (!out.route) throw new UnsupportedRouteError(`DescribeRoute for ${routeId} returned no route`);
    return out.route;
  }

  return {
    routeId,
    maxTargets: MAX_TARGETS,

    async read() {
      const route = await describe();
      const reading = readingOf(routeId, route);
      described.set(reading, route);
      return reading;
    },

    async write(targets, idempotencyKey, basedOn) {
      const problems = targetLimitProblems(targets);
      if (problems.length)
        throw new InvalidTargetsError(`Refusing to write ${routeId}: ${problems.join('; ')}`);

      // The route as the release checked it, when it came from this router: no second DescribeRoute.
      // App Mesh has no conditional write either way, so the window between that read and this write
      // is the one a concurrent edit can slip through.
      let route = basedOn && described.get(basedOn);
      if (!route) {
        route = await describe();
        const found = readingOf(routeId, route).targets;
        if (basedOn && !sameWeights(found, basedOn.targets)) {
          throw new RouteDriftedError(
            `${routeId} changed between the release's check and its write: expected ${describeTargets(basedOn.targets)}, found ${describeTargets(found)}`,
          );
        }
      }
      const kind = routeKindOf(routeId, route.spec);
      // UpdateRoute replaces the whole spec: send back every field the release does not own (match,
      // priority, retryPolicy, timeout) exactly as read, in a copy so the reading itself stays intact.
      const spec = structuredClone(route.spec) as RouteSpec;
      const routeOfKind = spec[kind]!;
      routeOfKind.action = { ...routeOfKind.action, weightedTargets: targets.map(toWeightedTarget) };

      await call('UpdateRoute', () =>
        client.send(
          new UpdateRouteCommand({ ...routeKey, spec, clientToken: clientTokenFor(idempotencyKey) }),
        ),
      );
      return readingOf(routeId, await describe());
    },

    async sideRouteProblem(side) {
      const problem = sideRouteSpecProblem(routeId, (await describe()).spec, side);
      if (problem) return problem;
      if (await describeSide(side.name)) {
        return `a route named "${side.name}" is already on virtual router "${virtualRouterName}", left by a release that did not end cleanly; delete it (aws appmesh delete-route --mesh-name ${meshName} --virtual-router-name ${virtualRouterName} --route-name ${side.name}) and start the release again`;
      }
      return undefined;
    },

    async openSideRoute(side, idempotencyKey) {
      const spec = sideRouteSpec(routeId, (await describe()).spec, side);
      try {
        await client.send(
          new CreateRouteCommand({
            meshName,
            virtualRouterName,
            routeName: side.name,
            spec,
            clientToken: clientTokenFor(idempotencyKey),
            ...owner,
          }),
        );
      } catch (error) {
        if (awsErrorName(error) !== 'ConflictException')
          throw unavailableAs('CreateRoute', error, RouterUnavailableError);
        // A retry whose first attempt created the route: it is there with the spec this release sends.
        const found = await describeSide(side.name);
        if (found && canonical(found.spec) === canonical(spec)) return;
        throw new RouteDriftedError(
          `CreateRoute ${side.name}: a route of that name is on virtual router "${virtualRouterName}" with another spec (${errorMessage(error)}); stepshift leaves it and does not release through it`,
        );
      }
    },

    async closeSideRoute(name) {
      try {
        await client.send(new DeleteRouteCommand({ meshName, virtualRouterName, routeName: name, ...owner }));
        return true;
      } catch (error) {
        unlessAbsent('DeleteRoute', error, ['NotFoundException']);
        return false;
      }
    },

    async targetExists(name) {
      try {
        await client.send(new DescribeVirtualNodeCommand({ meshName, virtualNodeName: name, ...owner }));
        return true;
      } catch (error) {
        unlessAbsent('DescribeVirtualNode', error, ['NotFoundException']);
        return false;
      }
    },

    async targetNames() {
      // ListVirtualNodes pages by nextToken, up to 100 nodes a page (App Mesh API reference).
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await call('ListVirtualNodes', () =>
          client.send(
            new ListVirtualNodesCommand({ meshName, ...owner, ...(nextToken ? { nextToken } : {}) }),
          ),
        );
        for (const node of page.virtualNodes ?? [])
          if (node.virtualNodeName) names.push(node.virtualNodeName);
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      return names;
    },
  };
}

function routeKindOf(routeId: string, spec: RouteSpec | undefined): RouteKind {
  const kinds = ROUTE_KINDS.filter((k) => spec?.[k] !== undefined && spec[k] !== null);
  if (kinds.length !== 1) {
    throw new UnsupportedRouteError(
      `Route ${routeId} has ${kinds.length === 0 ? 'none' : kinds.join(' and ')} of ${ROUTE_KINDS.join(', ')}; stepshift drives routes with exactly one`,
    );
  }
  return kinds[0]!;
}

function readingOf(routeId: string, route: RouteData): RouteReading {
  const kind = routeKindOf(routeId, route.spec);
  const weighted = route.spec?.[kind]?.action?.weightedTargets;
  if (!Array.isArray(weighted))
    throw new UnsupportedRouteError(`Route ${routeId} has no ${kind}.action.weightedTargets`);
  const version = route.metadata?.version;
  if (version === undefined || version === null)
    throw new UnsupportedRouteError(`Route ${routeId} has no metadata.version`);
  return {
    routeId,
    ...(route.metadata?.arn ? { arn: route.metadata.arn } : {}),
    targets: weighted.map((w) => toTarget(routeId, w)),
    revision: String(version),
  };
}

function toTarget(routeId: string, w: WeightedTarget): Target {
  if (typeof w.virtualNode !== 'string' || typeof w.weight !== 'number') {
    throw new UnsupportedRouteError(
      `Route ${routeId} has a weighted target without a virtual node or weight`,
    );
  }
  return w.port === undefined || w.port === null
    ? { name: w.virtualNode, weight: w.weight }
    : { name: w.virtualNode, weight: w.weight, port: w.port };
}

function toWeightedTarget(t: Target): WeightedTarget {
  return t.port === undefined
    ? { virtualNode: t.name, weight: t.weight }
    : { virtualNode: t.name, weight: t.weight, port: t.port };
}

/** JSON with sorted keys: two specs compare equal whatever order App Mesh returns their members in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** The App Mesh router over the functions' SDK clients; routers/adapters.ts imports this module on first use. */
export function appMeshRouterOver(aws: AwsClientSource, config: AppMeshRouterConfig): Router {
  return createAppMeshRouter(aws.client(AppMeshClient), config);
}
