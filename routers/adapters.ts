import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import type { Router, RouterFactory } from '#core/ports.ts';
import type { RouterConfig } from '#core/shapes.ts';
import type { ActiveDeployments } from './lambda/router.ts';
import { configOf, type RouterConfigOf, type RouterType, routerTypeOf } from './registry.ts';

/**
 * What a router's releaseProblems reads beyond its own route, from another service's client. Only the
 * code that asks releaseProblems (Prepare, `stepshift doctor`, the rehearsal) gives it, through
 * adapters/prepare-router-port.ts, so the other functions' code holds none of those clients.
 */
export interface PrepareReads {
  /** A Lambda router's CodeDeploy deployment group (router.codeDeploy). */
  readonly activeDeployments?: ActiveDeployments;
}

type MakeRouter<T extends RouterType> = (
  aws: AwsClientSource,
  config: RouterConfigOf<T>,
  reads: PrepareReads,
) => Promise<Router>;

/**
 * Each router type's Router port over its SDK client: what Lambda and the rehearsal run. Each router's
 * module is imported when a profile first asks for that type, so a function's code splits one chunk
 * per router (scripts/function-build.mjs) and loads only the SDK client of the router its release uses.
 */
const ROUTER_ADAPTERS: { readonly [T in RouterType]: MakeRouter<T> } = {
  appmesh: async (aws, config) => (await import('./appmesh/router.ts')).appMeshRouterOver(aws, config),
  'vpc-lattice': async (aws, config) =>
    (await import('./vpc-lattice/router.ts')).vpcLatticeRouterOver(aws, config),
  alb: async (aws, config) => (await import('./alb/router.ts')).albRouterOver(aws, config),
  lambda: async (aws, config, reads) =>
    (await import('./lambda/router.ts')).lambdaRouterOver(aws, config, reads.activeDeployments),
};

function routerOf<T extends RouterType>(
  type: T,
  aws: AwsClientSource,
  config: RouterConfig,
  reads: PrepareReads,
): Promise<Router> {
  const make: MakeRouter<T> = ROUTER_ADAPTERS[type];
  return make(aws, configOf(type, config), reads);
}

/** ReleaseDeps.routerFor: the Router of a profile's router block, whatever its type. */
export function routerFactory(aws: AwsClientSource, reads: PrepareReads = {}): RouterFactory {
  return (config) => routerOf(routerTypeOf(config), aws, config, reads);
}
