import { AppMeshClient } from '@aws-sdk/client-app-mesh';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { RetryStrategyV2 } from '@smithy/types';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld, type WorldInput } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';

/** What the SDK throws for a service error: the fields the tests read. */
export type SdkError = Error & {
  $fault?: 'client' | 'server';
  $metadata: { httpStatusCode?: number; attempts?: number; requestId?: string };
};

export interface Simulation {
  readonly sim: SimulatedAws;
  readonly clock: VirtualClock;
  readonly appMesh: AppMeshClient;
  readonly cloudWatch: CloudWatchClient;
}

/**
 * A simulated AWS for this world with the real SDK clients on top; one attempt per call unless a
 * retry strategy is given, so each test sees exactly the calls it makes.
 */
export function simulate(
  world: WorldInput,
  options: { retryStrategy?: RetryStrategyV2; maxAttempts?: number } = {},
): Simulation {
  const clock = new VirtualClock();
  const sim = new SimulatedAws(parseWorld(world), clock);
  const config = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
  };
  return { sim, clock, appMesh: new AppMeshClient(config), cloudWatch: new CloudWatchClient(config) };
}

/** The error a call fails with; fails the test when the call succeeds. */
export async function failureOf(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const ORDERS_ROUTE = {
  meshName: 'shop',
  virtualRouterName: 'orders-router',
  routeName: 'orders-route',
} as const;

/** A plain HTTP route sending everything to orders-v1. */
export function httpSpec(
  weightedTargets: { virtualNode: string; weight: number; port?: number }[] = [
    { virtualNode: 'orders-v1', weight: 100 },
  ],
) {
  return { httpRoute: { match: { prefix: '/' }, action: { weightedTargets } } };
}

/** One world route for ORDERS_ROUTE with this spec. */
export function ordersWorld(
  spec: Record<string, unknown> = httpSpec(),
  extra: Partial<WorldInput> = {},
): WorldInput {
  return {
    appmesh: {
      routes: [{ ...ORDERS_ROUTE, spec }],
      virtualNodes: [
        { meshName: 'shop', virtualNodeName: 'orders-v1' },
        { meshName: 'shop', virtualNodeName: 'orders-v2' },
      ],
    },
    ...extra,
  };
}
