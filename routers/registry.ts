import type * as z from 'zod/mini';
import type { RouterKinds } from '#core/ports.ts';
import type { RouterConfig } from '#core/shapes.ts';
import { albKind } from './alb/kind.ts';
import { appMeshKind } from './appmesh/kind.ts';
import { narrowConfig } from './define-kind.ts';
import { lambdaKind } from './lambda/kind.ts';
import { latticeKind } from './vpc-lattice/kind.ts';

/**
 * Every router stepshift drives, by the profile's router.type: what core needs of each (its kind), and
 * nothing that runs against AWS or grants IAM, so that any layer may import it. Each layer has its own
 * map keyed by RouterType (routers/adapters.ts for Lambda, routers/permissions.ts for the construct),
 * so the compiler names the line a new router still lacks. Adding a router: docs/routers.md.
 */
export const ROUTER_KINDS = {
  appmesh: appMeshKind,
  'vpc-lattice': latticeKind,
  alb: albKind,
  lambda: lambdaKind,
} as const;

export type RouterType = keyof typeof ROUTER_KINDS;

/** A router block of this type, as its kind's schema parsed it. */
export type RouterConfigOf<T extends RouterType> = z.output<(typeof ROUTER_KINDS)[T]['configSchema']>;

/** The kinds as core takes them (ReleaseDeps.routerKinds, parseProfile), in the order sentences list them. */
export const routerKinds: RouterKinds = Object.values(ROUTER_KINDS);

export const ROUTER_TYPES = Object.keys(ROUTER_KINDS) as RouterType[];

function isRouterType(type: string): type is RouterType {
  return Object.hasOwn(ROUTER_KINDS, type);
}

/**
 * The registered type of a router block a profile parsed with these kinds holds.
 * @throws TypeError for a type no kind registers (a block that did not come through the schema).
 */
export function routerTypeOf(config: RouterConfig): RouterType {
  if (!isRouterType(config.type)) {
    throw new TypeError(
      `${JSON.stringify(config.type)} is not a router stepshift drives (routers/registry.ts)`,
    );
  }
  return config.type;
}

/** The router block as its type's config. */
export function configOf<T extends RouterType>(type: T, config: RouterConfig): RouterConfigOf<T> {
  return narrowConfig<RouterConfigOf<T>>(type, config);
}
