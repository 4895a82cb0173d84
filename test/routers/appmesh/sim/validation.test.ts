import { describe, expect, it } from 'vitest';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';

const KEY = { meshName: 'shop', virtualRouterName: 'orders-router', routeName: 'orders-route' };
const TARGETS = [{ virtualNode: 'orders-v1', weight: 100 }];
const RETRY = { maxRetries: 1, perRetryTimeout: { unit: 'ms', value: 100 } };

/** A valid HTTP route input with these overrides of its httpRoute. */
function http(httpRoute: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) {
  return {
    ...KEY,
    clientToken: 'c0ffee00-0000-4000-8000-000000000001',
    spec: { httpRoute: { match: { prefix: '/' }, action: { weightedTargets: TARGETS }, ...httpRoute } },
    ...rest,
  };
}

describe('validateUpdateRouteInput accepts what App Mesh accepts', () => {
  it.each<[string, unknown]>([
    ['a minimal HTTP route', http()],
    [
      'an HTTP/2 route',
      {
        ...KEY,
        spec: { http2Route: { match: { path: { exact: '/x' } }, action: { weightedTargets: TARGETS } } },
      },
    ],
    [
      'a gRPC route',
      {
        ...KEY,
        spec: {
          grpcRoute: {
            match: { serviceName: 'shop.Orders', methodName: 'Get' },
            action: { weightedTargets: TARGETS },
          },
        },
      },
    ],
    ['a TCP route without match', { ...KEY, spec: { tcpRoute: { action: { weightedTargets: TARGETS } } } }],
    [
      'weights summing to exactly 100 over 10 targets',
      http({
        action: {
          weightedTargets: Array.from({ length: 10 }, (_, i) => ({ virtualNode: `n${i}`, weight: 10 })),
        },
      }),
    ],
    ['zero weights', http({ action: { weightedTargets: [{ virtualNode: 'a', weight: 0 }] } })],
    [
      'ports at both ends of the range',
      http({
        action: {
          weightedTargets: [
            { virtualNode: 'a', weight: 50, port: 1 },
            { virtualNode: 'b', weight: 50, port: 65535 },
          ],
        },
      }),
    ],
    ['priority at its maximum, 1000', { ...http(), spec: { ...http().spec, priority: 1000 } }],
    [
      'a retry policy with events',
      http({ retryPolicy: { ...RETRY, maxRetries: 0, httpRetryEvents: ['server-error'] } }),
    ],
    [
      'timeouts of 0',
      http({ timeout: { perRequest: { unit: 's', value: 0 }, idle: { unit: 'ms', value: 0 } } }),
    ],
    ['a 36-character client token', http({}, { clientToken: 'a'.repeat(36) })],
    ['a 12-digit mesh owner', http({}, { meshOwner: '111122223333' })],
    [
      'header matches of each kind',
      http({
        match: {
          prefix: '/',
          headers: [
            { name: 'a', match: { exact: 'x' } },
            { name: 'b', invert: true, match: { range: { start: 0, end: 9 } } },
            { name: 'c' },
          ],
        },
      }),
    ],
  ])('%s', (_label, input) => {
    expect(validateUpdateRouteInput(input)).toEqual([]);
  });
});

describe('validateUpdateRouteInput refuses what App Mesh refuses, saying what is wrong and what is allowed', () => {
  it.each<[string, unknown, string[]]>([
    [
      'a non-object',
      'route',
      [
        'the input is "route"; UpdateRoute takes an object with meshName, virtualRouterName, routeName and spec',
      ],
    ],
    [
      'missing members',
      {},
      [
        'meshName: is missing; it is required (text of 1..255 characters)',
        'virtualRouterName: is missing; it is required (text of 1..255 characters)',
        'routeName: is missing; it is required (text of 1..255 characters)',
        'spec: is missing; give a RouteSpec such as {"httpRoute": {...}}',
      ],
    ],
    [
      'an over-long route name',
      http({}, { routeName: 'r'.repeat(256) }),
      ['routeName: is 256 characters long; give text of 1..255 characters'],
    ],
    [
      'a mesh owner that is not 12 characters',
      http({}, { meshOwner: '1234' }),
      ['meshOwner: is 4 characters long; give a 12-digit AWS account id'],
    ],
    [
      'a 37-character client token',
      http({}, { clientToken: 'a'.repeat(37) }),
      [`clientToken: "${'a'.repeat(37)}" is not a client token; use up to 36 letters, digits, "-" and "_"`],
    ],
    [
      'a client token with other characters',
      http({}, { clientToken: 'a b' }),
      ['clientToken: "a b" is not a client token; use up to 36 letters, digits, "-" and "_"'],
    ],
    [
      'no route type',
      { ...KEY, spec: {} },
      ['spec: has no route type; give exactly one of httpRoute, http2Route, grpcRoute, tcpRoute'],
    ],
    [
      'two route types',
      { ...KEY, spec: { ...http().spec, tcpRoute: { action: { weightedTargets: TARGETS } } } },
      ['spec: has httpRoute and tcpRoute; give exactly one of httpRoute, http2Route, grpcRoute, tcpRoute'],
    ],
    [
      'priority above 1000',
      { ...http(), spec: { ...http().spec, priority: 1001 } },
      ['spec.priority: 1001 is above 1000; give a whole number 0..1000'],
    ],
    [
      'a fractional priority',
      { ...http(), spec: { ...http().spec, priority: 1.5 } },
      ['spec.priority: 1.5 is not a whole number; give a whole number 0..1000'],
    ],
    [
      'an HTTP route without match',
      http({ match: undefined }),
      ['spec.httpRoute.match: is missing; give an HttpRouteMatch such as {"prefix": "/"}'],
    ],
    [
      'an HTTP route without action',
      http({ action: undefined }),
      ['spec.httpRoute.action: is missing; give an action with weightedTargets'],
    ],
    [
      'a gRPC route without match',
      { ...KEY, spec: { grpcRoute: { action: { weightedTargets: TARGETS } } } },
      ['spec.grpcRoute.match: is missing; give a GrpcRouteMatch such as {"serviceName": "orders"}'],
    ],
    [
      'no weightedTargets',
      http({ action: {} }),
      ['spec.httpRoute.action.weightedTargets: is missing; give 1..10 weighted targets'],
    ],
    [
      'empty weightedTargets',
      http({ action: { weightedTargets: [] } }),
      ['spec.httpRoute.action.weightedTargets: has 0 entries; give 1..10'],
    ],
    [
      '11 weighted targets',
      http({
        action: {
          weightedTargets: Array.from({ length: 11 }, (_, i) => ({ virtualNode: `n${i}`, weight: 1 })),
        },
      }),
      ['spec.httpRoute.action.weightedTargets: has 11 entries; give 1..10'],
    ],
    [
      'a target without a virtual node',
      http({ action: { weightedTargets: [{ weight: 100 }] } }),
      [
        'spec.httpRoute.action.weightedTargets[0].virtualNode: is missing; it is required (text of 1..255 characters)',
      ],
    ],
    [
      'an empty virtual node name',
      http({ action: { weightedTargets: [{ virtualNode: '', weight: 100 }] } }),
      [
        'spec.httpRoute.action.weightedTargets[0].virtualNode: is 0 characters long; give text of 1..255 characters',
      ],
    ],
    [
      'a 256-character virtual node name',
      http({ action: { weightedTargets: [{ virtualNode: 'n'.repeat(256), weight: 100 }] } }),
      [
        'spec.httpRoute.action.weightedTargets[0].virtualNode: is 256 characters long; give text of 1..255 characters',
      ],
    ],
    [
      'a negative weight',
      http({ action: { weightedTargets: [{ virtualNode: 'a', weight: -1 }] } }),
      ['spec.httpRoute.action.weightedTargets[0].weight: -1 is below 0; give a whole number 0..100'],
    ],
    [
      'a fractional weight',
      http({ action: { weightedTargets: [{ virtualNode: 'a', weight: 12.5 }] } }),
      [
        'spec.httpRoute.action.weightedTargets[0].weight: 12.5 is not a whole number; give a whole number 0..100',
      ],
    ],
    [
      'a missing weight',
      http({ action: { weightedTargets: [{ virtualNode: 'a' }] } }),
      ['spec.httpRoute.action.weightedTargets[0].weight: is missing; it is required (a whole number 0..100)'],
    ],
    [
      'port 0',
      http({ action: { weightedTargets: [{ virtualNode: 'a', weight: 1, port: 0 }] } }),
      ['spec.httpRoute.action.weightedTargets[0].port: 0 is below 1; give a whole number 1..65535'],
    ],
    [
      'port 65536',
      http({ action: { weightedTargets: [{ virtualNode: 'a', weight: 1, port: 65536 }] } }),
      ['spec.httpRoute.action.weightedTargets[0].port: 65536 is above 65535; give a whole number 1..65535'],
    ],
    [
      'weights adding up to more than 100',
      http({
        action: {
          weightedTargets: [
            { virtualNode: 'a', weight: 60 },
            { virtualNode: 'b', weight: 41 },
          ],
        },
      }),
      ['spec.httpRoute.action.weightedTargets: the weights add up to 101; together they may be at most 100'],
    ],
    [
      'a prefix without a leading slash',
      http({ match: { prefix: 'orders' } }),
      [
        'spec.httpRoute.match.prefix: "orders" does not start with "/"; a prefix is a path such as "/" or "/orders"',
      ],
    ],
    [
      'an unknown method and scheme',
      http({ match: { prefix: '/', method: 'FETCH', scheme: 'ftp' } }),
      [
        'spec.httpRoute.match.method: "FETCH" is not allowed; give one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH',
        'spec.httpRoute.match.scheme: "ftp" is not allowed; give one of http, https',
      ],
    ],
    [
      'a header with a too-long name and two match methods',
      http({
        match: { prefix: '/', headers: [{ name: 'h'.repeat(51), match: { exact: 'a', prefix: 'b' } }] },
      }),
      [
        'spec.httpRoute.match.headers[0].name: is 51 characters long; give text of 1..50 characters',
        'spec.httpRoute.match.headers[0].match: has exact and prefix; give exactly one of exact, regex, range, prefix, suffix',
      ],
    ],
    [
      'an empty path match',
      http({ match: { path: { exact: '' } } }),
      ['spec.httpRoute.match.path.exact: is 0 characters long; give text of 1..255 characters'],
    ],
    [
      'a retry policy without maxRetries, timeout or events',
      http({ retryPolicy: {} }),
      [
        'spec.httpRoute.retryPolicy.maxRetries: is missing; it is required (a whole number, 0 or more)',
        'spec.httpRoute.retryPolicy.perRetryTimeout: is missing; give a duration such as {"unit": "ms", "value": 500}',
        'spec.httpRoute.retryPolicy: names no retry events; give at least one in httpRetryEvents or tcpRetryEvents',
      ],
    ],
    [
      'negative retries and a bad duration',
      http({
        retryPolicy: {
          maxRetries: -1,
          perRetryTimeout: { unit: 'm', value: -5 },
          tcpRetryEvents: ['connection-error'],
        },
      }),
      [
        'spec.httpRoute.retryPolicy.maxRetries: -1 is below 0; give a whole number, 0 or more',
        'spec.httpRoute.retryPolicy.perRetryTimeout.value: -5 is below 0; give a whole number, 0 or more',
        'spec.httpRoute.retryPolicy.perRetryTimeout.unit: "m" is not allowed; give one of s, ms',
      ],
    ],
    [
      'unknown TCP retry events',
      http({ retryPolicy: { ...RETRY, tcpRetryEvents: ['timeout'] } }),
      [
        'spec.httpRoute.retryPolicy.tcpRetryEvents[0]: "timeout" is not allowed; give one of connection-error',
      ],
    ],
    [
      'gRPC retry events on an HTTP route',
      http({ retryPolicy: { ...RETRY, grpcRetryEvents: ['unavailable'] } }),
      [
        'spec.httpRoute.retryPolicy.grpcRetryEvents: is only for gRPC routes; use httpRetryEvents or tcpRetryEvents here',
        'spec.httpRoute.retryPolicy: names no retry events; give at least one in httpRetryEvents or tcpRetryEvents',
      ],
    ],
    [
      'an unknown gRPC retry event',
      {
        ...KEY,
        spec: {
          grpcRoute: {
            match: { serviceName: 's' },
            action: { weightedTargets: TARGETS },
            retryPolicy: { ...RETRY, grpcRetryEvents: ['internal', 'aborted'] },
          },
        },
      },
      [
        'spec.grpcRoute.retryPolicy.grpcRetryEvents[1]: "aborted" is not allowed; give one of cancelled, deadline-exceeded, internal, resource-exhausted, unavailable',
      ],
    ],
    [
      'a gRPC method name without a service name',
      { ...KEY, spec: { grpcRoute: { match: { methodName: 'Get' }, action: { weightedTargets: TARGETS } } } },
      [
        'spec.grpcRoute.match.methodName: is given without serviceName; a gRPC method match also needs the serviceName',
      ],
    ],
    [
      'a timeout with a negative value',
      http({ timeout: { idle: { unit: 's', value: -1 } } }),
      ['spec.httpRoute.timeout.idle.value: -1 is below 0; give a whole number, 0 or more'],
    ],
    [
      'a TCP route with a bad match port and timeout',
      {
        ...KEY,
        spec: {
          tcpRoute: {
            action: { weightedTargets: TARGETS },
            match: { port: 70000 },
            timeout: { idle: 'long' },
          },
        },
      },
      [
        'spec.tcpRoute.match.port: 70000 is above 65535; give a whole number 1..65535',
        'spec.tcpRoute.timeout.idle: "long" is not an object; give a duration such as {"unit": "ms", "value": 500}',
      ],
    ],
  ])('%s', (_label, input, expected) => {
    expect(validateUpdateRouteInput(input)).toEqual(expected);
  });
});
