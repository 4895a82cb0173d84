import type { ReleaseProfile } from '#core/profile/profile.ts';
import { albAccess } from './alb/iam.ts';
import { appMeshAccess } from './appmesh/iam.ts';
import type { RouteAccess } from './iam/route-access.ts';
import { lambdaAccess } from './lambda/iam.ts';
import { ROUTER_TYPES, type RouterConfigOf, type RouterType } from './registry.ts';
import { latticeAccess } from './vpc-lattice/iam.ts';

/** A profile whose router block is of this type. */
type ProfileOf<T extends RouterType> = ReleaseProfile & { readonly router: RouterConfigOf<T> };

type GrantRoutes<T extends RouterType> = (profiles: readonly ProfileOf<T>[]) => RouteAccess;

/** What the construct grants for each router type's profiles (aws-cdk-lib: never in a Lambda bundle). */
const ROUTER_PERMISSIONS: { readonly [T in RouterType]: GrantRoutes<T> } = {
  appmesh: appMeshAccess,
  'vpc-lattice': latticeAccess,
  alb: albAccess,
  lambda: lambdaAccess,
};

function accessOf<T extends RouterType>(type: T, profiles: readonly ReleaseProfile[]): RouteAccess[] {
  const mine = profiles.filter((p): p is ProfileOf<T> => p.router.type === type);
  const grant: GrantRoutes<T> = ROUTER_PERMISSIONS[type];
  return mine.length ? [grant(mine)] : [];
}

/** The route access these profiles need, one entry a router type they use, in the registry's order. */
export function routeAccessOf(profiles: readonly ReleaseProfile[]): RouteAccess[] {
  return ROUTER_TYPES.flatMap((type) => accessOf(type, profiles));
}
