import * as z from 'zod/mini';
import { APP_MESH_NAME, awsName, BARE_VERSION, templateProblem } from '#core/aws-names.ts';
import { strictObject } from '#core/validation.ts';
import { defineRouterKind } from '../define-kind.ts';

/** An App Mesh route: the mesh, its virtual router and the route whose weighted targets a release shifts. */
export const appMeshRouterSchema = strictObject('an App Mesh router', {
  type: z.literal('appmesh'),
  meshName: awsName(APP_MESH_NAME, 'the App Mesh mesh name', 'the mesh name'),
  virtualRouterName: awsName(APP_MESH_NAME, 'the virtual router that owns the route', 'the virtual router'),
  routeName: awsName(APP_MESH_NAME, 'the route whose weights the release shifts', 'the route'),
  meshOwner: z.optional(
    z.string().check(
      z.regex(/^[0-9]{12}$/, {
        error: 'must be a 12-digit AWS account id (the mesh owner, for shared meshes)',
      }),
    ),
  ),
});

export type AppMeshRouterConfig = z.infer<typeof appMeshRouterSchema>;

/**
 * App Mesh's limits on a route ([model: RoutePriority, HttpRouteMatch, WeightedTarget]): priorities
 * 0..1000, 0 first; at most 10 header matches a route; 1..10 weighted targets of weight 0..100, adding
 * up to at most 100.
 */
export const APP_MESH_LIMITS = {
  maxHeaders: 10,
  maxTargets: 10,
  maxWeight: 100,
  maxWeightSum: 100,
} as const;

export const appMeshKind = defineRouterKind({
  type: 'appmesh',
  title: 'App Mesh',
  configSchema: appMeshRouterSchema,
  routeLabel: (router) => `appmesh:${router.meshName}/${router.virtualRouterName}/${router.routeName}`,
  // A virtual node's name follows App Mesh's name rule, which the profile holds every template to but
  // "{version}" alone (a Lambda alias's targets), which would grant every node of the mesh here.
  targetTemplateProblem: (template) =>
    template === BARE_VERSION ? templateProblem(template, APP_MESH_NAME, 'target') : undefined,
  sideRoutes: true,
});
