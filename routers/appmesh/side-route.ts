import type { HttpRouteHeader, RouteSpec } from '@aws-sdk/client-app-mesh';
import type { SideRoute } from '#core/shapes.ts';

import { APP_MESH_LIMITS } from './kind.ts';

const MAX_HEADERS = APP_MESH_LIMITS.maxHeaders;
const HEADER_KINDS = ['httpRoute', 'http2Route', 'grpcRoute'] as const;
type HeaderKind = (typeof HEADER_KINDS)[number];

/** The one route kind of a spec that matches on headers (gRPC: metadata), or why there is none. */
function headerKindOf(routeId: string, spec: RouteSpec | undefined): HeaderKind | string {
  const kinds = HEADER_KINDS.filter((k) => spec?.[k] !== undefined && spec[k] !== null);
  if (kinds.length === 1) return kinds[0] as HeaderKind;
  return spec?.tcpRoute
    ? `route ${routeId} is a tcpRoute, which matches no headers; a side route needs an httpRoute, http2Route or grpcRoute`
    : `route ${routeId} has no single httpRoute, http2Route or grpcRoute to put a side route beside`;
}

/**
 * Why App Mesh cannot hold this side route ahead of the route: no header match, no priority to go
 * ahead of (App Mesh orders routes by priority, 0 first), or too many headers.
 */
export function sideRouteSpecProblem(
  routeId: string,
  spec: RouteSpec | undefined,
  side: SideRoute,
): string | undefined {
  const kind = headerKindOf(routeId, spec);
  if (!HEADER_KINDS.includes(kind as HeaderKind)) return kind;
  const priority = spec?.priority;
  if (priority === undefined || priority === null) {
    return `route ${routeId} has no priority, so no route can be placed ahead of it; give it a priority of 1..1000 and stepshift puts its ${side.name} route one ahead`;
  }
  if (priority <= 0) {
    return `route ${routeId} has priority 0, the highest App Mesh has, so there is no room for ${side.name} ahead of it; give the route a priority of 1..1000`;
  }
  const match = spec?.[kind as HeaderKind]?.match as
    | { headers?: unknown[]; metadata?: unknown[] }
    | undefined;
  const held = (kind === 'grpcRoute' ? match?.metadata : match?.headers)?.length ?? 0;
  if (held + side.headers.length > MAX_HEADERS) {
    return `route ${routeId} matches ${held} headers and ${side.name} adds ${side.headers.length}; App Mesh matches at most ${MAX_HEADERS} per route`;
  }
  return undefined;
}

/**
 * The side route's spec: the route's own kind, match (plus the side route's headers), retry policy and
 * timeout, one priority ahead of it, sending everything it matches to the side route's target.
 * @throws Error when sideRouteSpecProblem would name a problem (Prepare refused such a release).
 */
export function sideRouteSpec(routeId: string, spec: RouteSpec | undefined, side: SideRoute): RouteSpec {
  const problem = sideRouteSpecProblem(routeId, spec, side);
  if (problem) throw new Error(problem);
  const kind = headerKindOf(routeId, spec) as HeaderKind;
  const own = structuredClone(spec?.[kind]) as NonNullable<RouteSpec['httpRoute']>;
  const headers = side.headers as HttpRouteHeader[];
  const match = own.match as { headers?: HttpRouteHeader[]; metadata?: HttpRouteHeader[] };
  if (kind === 'grpcRoute') match.metadata = [...(match.metadata ?? []), ...headers];
  else match.headers = [...(match.headers ?? []), ...headers];
  const { name, weight, port } = side.target;
  own.action = {
    weightedTargets: [
      port === undefined ? { virtualNode: name, weight } : { virtualNode: name, weight, port },
    ],
  };
  return { priority: (spec?.priority as number) - 1, [kind]: own } as RouteSpec;
}
