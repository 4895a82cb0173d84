import type { RouterSimulator } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';
import { editRoute } from './edit-route.ts';
import type { RouteKey } from './model.ts';
import { targetsInSpec } from './model.ts';
import { SimulatedAppMesh } from './service.ts';
import { type AppMeshWorld, appMeshWorldSchema } from './world.ts';

/** App Mesh in a rehearsal: world.appmesh, its routes read by their key. */
export const appMeshSimulator = {
  worldKey: 'appmesh',
  worldSchema: appMeshWorldSchema,
  create: (world, now) => new SimulatedAppMesh(world, now),
  weightsOf: (appMesh, router) => appMesh.model.weightsOf(router),
  routes: (appMesh) =>
    // The fields are the route's key, its RouteSpec as DescribeRoute returns it, and its version.
    appMesh.model.routes().map((route) => ({
      route: `${route.meshName}/${route.virtualRouterName}/${route.routeName}`,
      targets: targetsInSpec(route.spec),
      fields: route as unknown as Json,
      updates: route.version - 1,
    })),
  personActions: { 'edit-route': editRoute },
} as const satisfies RouterSimulator<RouteKey, AppMeshWorld, SimulatedAppMesh>;

/** An App Mesh route among a rehearsal's final routes: its key, its RouteSpec and its version. */
export type FinalAppMeshRoute = RouteKey & { readonly spec: Json; readonly version: number };

/** The App Mesh routes among a rehearsal's final routes (the report's finalRoutes), as DescribeRoute keys them. */
export function appMeshRoutesIn(
  routes: readonly { readonly router: string; readonly fields: Json }[],
): FinalAppMeshRoute[] {
  return routes.filter((r) => r.router === 'appmesh').map((r) => r.fields as unknown as FinalAppMeshRoute);
}
