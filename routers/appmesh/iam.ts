import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import { sideRouteNames } from '#core/side-route.ts';
import { type ArnPair, arns, stackArn, unique } from '../iam/arns.ts';
import type { RouteAccess } from '../iam/route-access.ts';
import { arnPattern, type Wildcard, type WildcardShape } from '../iam/wildcards.ts';
import type { AppMeshRouterConfig } from './kind.ts';

/** The new version's virtual nodes: the nodes of one mesh whose names start as the canary template does. */
export const VERSION_VIRTUAL_NODES: WildcardShape = {
  pattern: arnPattern('appmesh', 'mesh/[A-Za-z0-9._-]+/virtualNode/[A-Za-z0-9._-]{3,}\\*'),
  granted:
    'arn:<partition>:appmesh:<region>:<account>:mesh/<meshName>/virtualNode/<targets.canary before {version}, 3 or more characters>*',
};

export const VERSION_NODES_REASON =
  "The new version's virtual node is named by the profile's targets.canary template, and the version is only known when a release starts, so the node is granted by the template's prefix, which keeps at least 3 characters and no wildcard: the grant stays on this service's nodes in this one mesh.";

/** A profile whose router block is this router's. */
type AppMeshProfile = ReleaseProfile & { readonly router: AppMeshRouterConfig };

const appMeshArn = (account: string | undefined, resource: string): ArnPair =>
  stackArn('appmesh', resource, account);

/** The route a profile shifts: the only route its functions may read or write. */
function routeArn(profile: AppMeshProfile): ArnPair {
  const { meshName, virtualRouterName, routeName, meshOwner } = profile.router;
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualRouter/${virtualRouterName}/route/${routeName}`);
}

/**
 * The side routes a blue/green or A/B release of the profile's service may create and delete beside its
 * route, by exact name (stepshift-<service>-test, stepshift-<service>-cohort). Granted for every App Mesh
 * profile, because a request may override its strategy with either.
 */
function sideRouteArns(profile: AppMeshProfile): ArnPair[] {
  const { meshName, virtualRouterName, meshOwner } = profile.router;
  return Object.values(sideRouteNames(profile.service)).map((name) =>
    appMeshArn(meshOwner, `mesh/${meshName}/virtualRouter/${virtualRouterName}/route/${name}`),
  );
}

/**
 * The profile's versions' virtual nodes: the part of targets.canary before {version}, then a wildcard,
 * because the version is only known when a release starts. The profile schema keeps that part to at
 * least 3 App Mesh name characters.
 */
function versionNodesArn(profile: AppMeshProfile): ArnPair {
  const { meshName, meshOwner } = profile.router;
  const prefix = profile.targets.canary.slice(0, profile.targets.canary.indexOf('{version}'));
  return appMeshArn(meshOwner, `mesh/${meshName}/virtualNode/${prefix}*`);
}

/**
 * App Mesh: UpdateRoute is also granted on the version nodes: the Service Authorization Reference lists
 * virtualNode among the resource types App Mesh may authorize a route write against (the nodes of its
 * weightedTargets), besides the route itself.
 */
export function appMeshAccess(profiles: readonly AppMeshProfile[]): RouteAccess {
  const routes = profiles.map(routeArn);
  const nodes = unique(profiles.map(versionNodesArn));
  const nodeWildcards = nodes.map(
    (n): Wildcard => ({ shape: VERSION_VIRTUAL_NODES, finding: n.finding, why: VERSION_NODES_REASON }),
  );
  const sides = profiles.flatMap(sideRouteArns);
  return {
    read: [
      new iam.PolicyStatement({
        sid: 'ReadProfiledRoutes',
        actions: ['appmesh:DescribeRoute'],
        resources: arns(routes),
      }),
    ],
    findSide: [
      // Prepare looks for a side route a release left behind, which it refuses to release beside.
      new iam.PolicyStatement({
        sid: 'FindSideRoutes',
        actions: ['appmesh:DescribeRoute'],
        resources: arns(sides),
      }),
    ],
    openSide: [
      new iam.PolicyStatement({
        sid: 'OpenSideRoutes',
        actions: ['appmesh:CreateRoute', 'appmesh:DescribeRoute'],
        resources: arns(sides),
      }),
      new iam.PolicyStatement({
        sid: 'SideRoutesToVersionNodes',
        actions: ['appmesh:CreateRoute'],
        resources: arns(nodes),
      }),
    ],
    closeSide: [
      new iam.PolicyStatement({
        sid: 'CloseSideRoutes',
        actions: ['appmesh:DeleteRoute'],
        resources: arns(sides),
      }),
    ],
    write: [
      new iam.PolicyStatement({
        sid: 'ShiftProfiledRoutes',
        actions: ['appmesh:DescribeRoute', 'appmesh:UpdateRoute'],
        resources: arns(routes),
      }),
      new iam.PolicyStatement({
        sid: 'RouteToVersionNodes',
        actions: ['appmesh:UpdateRoute'],
        resources: arns(nodes),
      }),
    ],
    findTarget: [
      new iam.PolicyStatement({
        sid: 'FindVersionNodes',
        actions: ['appmesh:DescribeVirtualNode'],
        resources: arns(nodes),
      }),
    ],
    readWildcards: [],
    writeWildcards: nodeWildcards,
    findWildcards: nodeWildcards,
    findSideWildcards: [],
    openWildcards: nodeWildcards,
    closeWildcards: [],
  };
}
