import type { RouteData, RouteSpec, WeightedTarget } from '@aws-sdk/client-app-mesh';

export const MESH = { meshName: 'shop', virtualRouterName: 'orders-router', routeName: 'orders' } as const;

export type RouteKind = 'httpRoute' | 'http2Route' | 'grpcRoute' | 'tcpRoute';

/** Live targets plus a leftover zero-weight one, all pinned to a port. */
export function startingTargets(port: number): WeightedTarget[] {
  return [
    { virtualNode: 'orders-v1', weight: 100, port },
    { virtualNode: 'orders-v0', weight: 0, port },
  ];
}

/** A spec of each kind using as many of App Mesh's route fields as that kind allows. */
export function richSpec(kind: RouteKind): RouteSpec {
  switch (kind) {
    case 'httpRoute':
      return {
        priority: 5,
        httpRoute: {
          match: {
            prefix: '/orders',
            method: 'POST',
            scheme: 'https',
            port: 8080,
            headers: [
              { name: 'x-canary', invert: false, match: { exact: 'true' } },
              { name: 'x-region', match: { prefix: 'eu-' } },
            ],
            queryParameters: [{ name: 'debug', match: { exact: '1' } }],
          },
          action: { weightedTargets: startingTargets(8080) },
          retryPolicy: {
            perRetryTimeout: { value: 2, unit: 's' },
            maxRetries: 3,
            httpRetryEvents: ['server-error', 'gateway-error'],
            tcpRetryEvents: ['connection-error'],
          },
          timeout: { perRequest: { value: 15, unit: 's' }, idle: { value: 300, unit: 's' } },
        },
      };
    case 'http2Route':
      return {
        priority: 1,
        http2Route: {
          match: {
            path: { regex: '^/orders/[0-9]+$' },
            method: 'GET',
            headers: [
              { name: 'x-priority', match: { range: { start: 1, end: 5 } } },
              { name: 'user-agent', invert: true, match: { suffix: 'bot' } },
            ],
          },
          action: { weightedTargets: startingTargets(8443) },
          retryPolicy: {
            perRetryTimeout: { value: 500, unit: 'ms' },
            maxRetries: 2,
            httpRetryEvents: ['stream-error'],
          },
          timeout: { perRequest: { value: 0, unit: 's' } },
        },
      };
    case 'grpcRoute':
      return {
        priority: 10,
        grpcRoute: {
          match: {
            serviceName: 'shop.orders.Orders',
            methodName: 'PlaceOrder',
            port: 9090,
            metadata: [
              { name: 'tenant', invert: true, match: { regex: '^test-' } },
              { name: 'x-version', match: { exact: 'v1' } },
            ],
          },
          action: { weightedTargets: startingTargets(9090) },
          retryPolicy: {
            perRetryTimeout: { value: 1, unit: 's' },
            maxRetries: 4,
            grpcRetryEvents: ['cancelled', 'unavailable', 'resource-exhausted'],
            tcpRetryEvents: ['connection-error'],
          },
          timeout: { perRequest: { value: 30, unit: 's' }, idle: { value: 600, unit: 's' } },
        },
      };
    case 'tcpRoute':
      return {
        priority: 100,
        tcpRoute: {
          match: { port: 7000 },
          action: { weightedTargets: startingTargets(7000) },
          timeout: { idle: { value: 3600, unit: 's' } },
        },
      };
  }
}

export function routeData(spec: RouteSpec, version: number, meshOwner = '111122223333'): RouteData {
  return {
    ...MESH,
    spec,
    metadata: {
      arn: `arn:aws:appmesh:us-east-1:${meshOwner}:mesh/shop/virtualRouter/orders-router/route/orders`,
      version,
      uid: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      createdAt: new Date('2024-01-01T00:00:00Z'),
      lastUpdatedAt: new Date('2024-06-01T00:00:00Z'),
      meshOwner,
      resourceOwner: meshOwner,
    },
    status: { status: 'ACTIVE' },
  };
}
