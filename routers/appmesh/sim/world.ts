import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { duplicates, listOf } from '../../sim/world-fields.ts';
import { validateUpdateRouteInput } from './validation.ts';

/** The scenario's `world.appmesh`: the routes and virtual nodes App Mesh holds when the rehearsal starts. */

const meshOwner = z
  .string({ error: (iss) => `${show(iss.input)} is not text; give the mesh owner's 12-digit AWS account id` })
  .regex(/^[0-9]{12}$/, {
    error: (iss) => `${show(iss.input)} is not a 12-digit AWS account id (the owner of a shared mesh)`,
  })
  .optional();

const ROUTE_KEY_FIELDS = ['meshName', 'virtualRouterName', 'routeName', 'meshOwner'] as const;
const routeKeyFields = {
  meshName: requiredString('the mesh the route lives in'),
  virtualRouterName: requiredString('the virtual router that owns the route'),
  routeName: requiredString('the route name'),
  meshOwner,
};

/** A route by its key, as an edit names it. */
export const routeKeySchema = z.strictObject(routeKeyFields, {
  error: objectError('a route key', ROUTE_KEY_FIELDS),
});

const ROUTE_FIELDS = [...ROUTE_KEY_FIELDS, 'spec'] as const;
const routeSchema = z
  .strictObject(
    {
      ...routeKeyFields,
      // The spec is kept as written: DescribeRoute hands it back to the SDK exactly, so fields the
      // simulator does not model still round-trip.
      spec: z.record(z.string(), z.unknown(), {
        error: (iss) =>
          `is ${show(iss.input)}; give the route's RouteSpec as DescribeRoute returns it, e.g. {"httpRoute": {...}}`,
      }),
    },
    { error: objectError('a route', ROUTE_FIELDS) },
  )
  .superRefine((route, ctx) => {
    // A route App Mesh would never hold makes a rehearsal that proves nothing: check it as App Mesh
    // checks a write of it.
    const { meshName, virtualRouterName, routeName, spec } = route;
    for (const problem of validateUpdateRouteInput({ meshName, virtualRouterName, routeName, spec })) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec'],
        message: `App Mesh would not hold this route: ${problem}`,
      });
    }
  });

const NODE_FIELDS = ['meshName', 'virtualNodeName', 'meshOwner'] as const;
const virtualNodeSchema = z.strictObject(
  {
    meshName: requiredString('the mesh the virtual node lives in'),
    virtualNodeName: requiredString('the virtual node name'),
    meshOwner,
  },
  { error: objectError('a virtual node', NODE_FIELDS) },
);

const APPMESH_FIELDS = ['routes', 'virtualNodes'] as const;
export const appMeshWorldSchema = z
  .strictObject(
    {
      routes: listOf(routeSchema, 'App Mesh routes').default([]),
      virtualNodes: listOf(virtualNodeSchema, 'App Mesh virtual nodes').default([]),
    },
    { error: objectError('the appmesh block', APPMESH_FIELDS) },
  )
  .superRefine((world, ctx) => {
    duplicates(
      world.routes.map((r) => `${r.meshOwner ?? ''}/${r.meshName}/${r.virtualRouterName}/${r.routeName}`),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i],
          message:
            'repeats a route (same mesh, virtual router, route name and mesh owner); declare each route once',
        }),
    );
    duplicates(
      world.virtualNodes.map((n) => `${n.meshOwner ?? ''}/${n.meshName}/${n.virtualNodeName}`),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['virtualNodes', i],
          message: 'repeats a virtual node (same mesh, name and mesh owner); declare each virtual node once',
        }),
    );
  })
  .default({ routes: [], virtualNodes: [] });

export type AppMeshWorld = z.output<typeof appMeshWorldSchema>;
export type AppMeshWorldRoute = AppMeshWorld['routes'][number];
