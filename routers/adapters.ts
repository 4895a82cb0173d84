import type { AwsClients } from '#adapters/aws/clients.ts';
import type { Router, RouterFactory } from '#core/ports.ts';
import type { RouterConfig } from '#core/shapes.ts';
import { createAlbRouter } from './alb/router.ts';
import { createAppMeshRouter } from './appmesh/router.ts';
import { createLambdaRouter } from './lambda/router.ts';
import { configOf, type RouterConfigOf, type RouterType, routerTypeOf } from './registry.ts';
import { createVpcLatticeRouter } from './vpc-lattice/router.ts';

/** The SDK clients the routers use. */
export type RouterClients = Pick<AwsClients, 'appMesh' | 'vpcLattice' | 'elbv2' | 'lambda'>;

type MakeRouter<T extends RouterType> = (clients: RouterClients, config: RouterConfigOf<T>) => Router;

/** Each router type's Router port over its SDK client: what Lambda and the rehearsal run. */
const ROUTER_ADAPTERS: { readonly [T in RouterType]: MakeRouter<T> } = {
  appmesh: (clients, config) => createAppMeshRouter(clients.appMesh, config),
  'vpc-lattice': (clients, config) => createVpcLatticeRouter(clients.vpcLattice, config),
  alb: (clients, config) => createAlbRouter(clients.elbv2, config),
  lambda: (clients, config) => createLambdaRouter(clients.lambda, config),
};

function routerOf<T extends RouterType>(type: T, clients: RouterClients, config: RouterConfig): Router {
  const make: MakeRouter<T> = ROUTER_ADAPTERS[type];
  return make(clients, configOf(type, config));
}

/** ReleaseDeps.routerFor: the Router of a profile's router block, whatever its type. */
export function routerFactory(clients: RouterClients): RouterFactory {
  return (config) => routerOf(routerTypeOf(config), clients, config);
}
