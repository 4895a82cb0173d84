import { AppMeshClient } from '@aws-sdk/client-app-mesh';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { VPCLatticeClient } from '@aws-sdk/client-vpc-lattice';
import type { AwsClientSource } from '#adapters/aws/clients.ts';
import type { Router, RouterFactory } from '#core/ports.ts';
import type { RouterConfig } from '#core/shapes.ts';
import { createAlbRouter } from './alb/router.ts';
import { createAppMeshRouter } from './appmesh/router.ts';
import { createLambdaRouter } from './lambda/router.ts';
import { configOf, type RouterConfigOf, type RouterType, routerTypeOf } from './registry.ts';
import { createVpcLatticeRouter } from './vpc-lattice/router.ts';

type MakeRouter<T extends RouterType> = (aws: AwsClientSource, config: RouterConfigOf<T>) => Router;

/** Each router type's Router port over its SDK client: what Lambda and the rehearsal run. */
const ROUTER_ADAPTERS: { readonly [T in RouterType]: MakeRouter<T> } = {
  appmesh: (aws, config) => createAppMeshRouter(aws.client(AppMeshClient), config),
  'vpc-lattice': (aws, config) => createVpcLatticeRouter(aws.client(VPCLatticeClient), config),
  alb: (aws, config) => createAlbRouter(aws.client(ElasticLoadBalancingV2Client), config),
  lambda: (aws, config) => createLambdaRouter(aws.client(LambdaClient), config),
};

function routerOf<T extends RouterType>(type: T, aws: AwsClientSource, config: RouterConfig): Router {
  const make: MakeRouter<T> = ROUTER_ADAPTERS[type];
  return make(aws, configOf(type, config));
}

/** ReleaseDeps.routerFor: the Router of a profile's router block, whatever its type. */
export function routerFactory(aws: AwsClientSource): RouterFactory {
  return (config) => routerOf(routerTypeOf(config), aws, config);
}
