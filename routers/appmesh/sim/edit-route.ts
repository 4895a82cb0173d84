import * as z from 'zod';
import { show } from '#core/validation.ts';
import type { PersonAction } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';
import { type RouteKey, weightsInSpec } from './model.ts';
import type { SimulatedAppMesh } from './service.ts';
import { validateUpdateRouteInput } from './validation.ts';
import { type AppMeshWorld, routeKeySchema } from './world.ts';

const keyText = (r: RouteKey) => `${r.meshName}/${r.virtualRouterName}/${r.routeName}`;

/**
 * A person's UpdateRoute from the console or the CLI (a scenario's "edit-route" operator action): the
 * whole spec replaced, the version up. The route is the one it names, or the world's first.
 */
export const editRoute: PersonAction<AppMeshWorld, SimulatedAppMesh> = {
  what: 'an edit-route action',
  fields: {
    route: routeKeySchema.optional(),
    spec: z.record(z.string(), z.unknown(), {
      error: (iss) =>
        `${iss.input === undefined ? 'is missing' : `is ${show(iss.input)}`}; give the whole RouteSpec the person writes, as DescribeRoute returns it, e.g. {"httpRoute": {...}}`,
    }),
  },
  // UpdateRoute replaces the whole spec: the person's spec must be one App Mesh accepts.
  problems: (action) => {
    const key = (action.route as RouteKey | undefined) ?? {
      meshName: 'mesh',
      virtualRouterName: 'router',
      routeName: 'route',
    };
    return validateUpdateRouteInput({ ...key, spec: action.spec }).map((problem) => ({
      path: ['spec'],
      message: `App Mesh would refuse this UpdateRoute: ${problem}`,
    }));
  },
  problemsIn: (world, action) => {
    const routes = world.routes;
    const named = action.route as RouteKey | undefined;
    if (named === undefined) {
      return routes.length > 0
        ? []
        : [
            {
              path: [],
              message:
                'edits a route, but world.appmesh.routes declares none; declare the route the person edits',
            },
          ];
    }
    const found = routes.some(
      (r) =>
        r.meshName === named.meshName &&
        r.virtualRouterName === named.virtualRouterName &&
        r.routeName === named.routeName &&
        r.meshOwner === named.meshOwner,
    );
    if (found) return [];
    return [
      {
        path: ['route'],
        message: `names ${keyText(named)}${named.meshOwner ? ` (owner ${named.meshOwner})` : ''}, which is not in world.appmesh.routes; name one of: ${routes.map(keyText).join(', ') || '(none declared)'}`,
      },
    ];
  },
  act: (appMesh, action, at) => {
    const key = (action.route as RouteKey | undefined) ?? appMesh.firstRoute;
    if (key === undefined) throw new Error('edit-route: the world declares no route to edit');
    const route = appMesh.model.editRoute(
      {
        meshName: key.meshName,
        virtualRouterName: key.virtualRouterName,
        routeName: key.routeName,
        meshOwner: key.meshOwner,
      },
      action.spec as Json,
      at,
    );
    return { route: keyText(route), version: route.version, weights: weightsInSpec(route.spec) };
  },
};
