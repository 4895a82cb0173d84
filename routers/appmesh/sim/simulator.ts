import type { RouterSimulator } from '../../sim/router-simulator.ts';
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
    appMesh.model.routes().map(({ meshName, virtualRouterName, routeName, meshOwner, spec, version }) => ({
      route: `${meshName}/${virtualRouterName}/${routeName}`,
      targets: targetsInSpec(spec),
      fields: { ...(meshOwner === undefined ? {} : { meshOwner }), spec },
      updates: version - 1,
    })),
} as const satisfies RouterSimulator<RouteKey, AppMeshWorld, SimulatedAppMesh>;
