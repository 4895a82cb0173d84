import {
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  ListRoutesCommand,
  type RouteSpec,
  UpdateRouteCommand,
} from '@aws-sdk/client-app-mesh';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureOf, httpSpec, ORDERS_ROUTE, ordersWorld, simulate } from '../../../rehearsal/support.ts';

const RETRY = { maxRetries: 2, perRetryTimeout: { unit: 'ms', value: 500 } };

/** One rich spec per route type, using every member the SDK knows, so a lost field would show. */
const SPECS: Record<string, Record<string, unknown>> = {
  httpRoute: {
    priority: 10,
    httpRoute: {
      match: {
        prefix: '/orders',
        method: 'GET',
        headers: [
          { name: 'x-tenant', invert: false, match: { prefix: 'eu-' } },
          { name: 'x-version', match: { range: { start: 1, end: 5 } } },
        ],
        queryParameters: [{ name: 'beta', match: { exact: '1' } }],
        port: 8080,
      },
      action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100, port: 8080 }] },
      retryPolicy: {
        ...RETRY,
        httpRetryEvents: ['server-error', 'gateway-error'],
        tcpRetryEvents: ['connection-error'],
      },
      timeout: { perRequest: { unit: 's', value: 15 }, idle: { unit: 's', value: 300 } },
    },
  },
  http2Route: {
    http2Route: {
      match: { path: { regex: '^/orders/[0-9]+$' }, scheme: 'https', method: 'POST' },
      action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100 }] },
      retryPolicy: { ...RETRY, httpRetryEvents: ['stream-error'] },
      timeout: { perRequest: { unit: 's', value: 30 } },
    },
  },
  grpcRoute: {
    priority: 0,
    grpcRoute: {
      match: {
        serviceName: 'shop.Orders',
        methodName: 'Get',
        metadata: [{ name: 'tenant', invert: true, match: { suffix: '-eu' } }],
        port: 9090,
      },
      action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100, port: 9090 }] },
      retryPolicy: { ...RETRY, grpcRetryEvents: ['unavailable', 'deadline-exceeded'] },
      timeout: { idle: { unit: 'ms', value: 0 }, perRequest: { unit: 's', value: 5 } },
    },
  },
  tcpRoute: {
    tcpRoute: {
      match: { port: 5432 },
      action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100 }] },
      timeout: { idle: { unit: 's', value: 600 } },
    },
  },
};

type Kind = 'httpRoute' | 'http2Route' | 'grpcRoute' | 'tcpRoute';

describe('DescribeRoute and UpdateRoute through the real AppMeshClient', () => {
  it.each(Object.keys(SPECS) as Kind[])(
    'round-trips a %s, changing only the weighted targets',
    async (kind) => {
      // Prepare
      const original = SPECS[kind]!;
      const { appMesh, sim } = simulate(ordersWorld(original));
      const described = await appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
      const spec = structuredClone(described.route!.spec!) as RouteSpec;
      const targets = [
        { virtualNode: 'orders-v1', weight: 90 },
        { virtualNode: 'orders-v2', weight: 10 },
      ];
      spec[kind]!.action!.weightedTargets = targets;

      // Act
      const updated = await appMesh.send(
        new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: 'release-1' }),
      );
      const after = await appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));

      // Assess
      const expected = structuredClone(original) as Record<Kind, { action: { weightedTargets: unknown } }>;
      expected[kind].action.weightedTargets = targets;
      expect(described.route!.spec).toEqual(original);
      expect(updated.route!.spec).toEqual(expected);
      expect(after.route!.spec).toEqual(expected);
      expect(sim.routers.appmesh.model.routes()).toEqual([{ ...ORDERS_ROUTE, spec: expected, version: 2 }]);
    },
  );

  it('answers RouteData with metadata, status and epoch timestamps from the virtual clock', async () => {
    // Prepare
    const { appMesh, clock } = simulate(ordersWorld());
    clock.advance(90);

    // Act
    const first = await appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
    await appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec(), clientToken: 't1' }));
    const second = await appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));

    // Assess
    expect(first.route).toMatchObject({
      ...ORDERS_ROUTE,
      status: { status: 'ACTIVE' },
      metadata: {
        arn: 'arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualRouter/orders-router/route/orders-route',
        version: 1,
        meshOwner: '123456789012',
        resourceOwner: '123456789012',
        createdAt: new Date('2026-01-01T00:00:00Z'),
      },
    });
    expect(first.route!.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
    // The update arrived after one 50 ms call.
    expect(second.route!.metadata!.lastUpdatedAt).toEqual(new Date('2026-01-01T00:01:30.050Z'));
  });

  it('raises the version by one on every applied update', async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());
    const weights = [100, 75, 50, 0];

    // Act
    const versions: number[] = [];
    for (const [i, w] of weights.entries()) {
      const spec = httpSpec([
        { virtualNode: 'orders-v1', weight: w },
        { virtualNode: 'orders-v2', weight: 100 - w },
      ]);
      const out = await appMesh.send(
        new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: `step-${i}` }),
      );
      versions.push(out.route!.metadata!.version!);
    }

    // Assess
    expect(versions).toEqual([2, 3, 4, 5]);
    expect(sim.routers.appmesh.model.routes()[0]!.version).toBe(5);
  });

  it('treats a repeated clientToken with the same spec as done: same route, no new version', async () => {
    // Prepare
    const { appMesh } = simulate(ordersWorld());
    const spec = httpSpec([
      { virtualNode: 'orders-v1', weight: 80 },
      { virtualNode: 'orders-v2', weight: 20 },
    ]);
    const first = await appMesh.send(
      new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: 'step-1' }),
    );

    // Act
    const again = await appMesh.send(
      new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: structuredClone(spec), clientToken: 'step-1' }),
    );

    // Assess
    expect(first.route!.metadata!.version).toBe(2);
    expect(again.route!.metadata!.version).toBe(2);
    expect(again.route!.spec).toEqual(spec);
  });

  it('answers a replayed clientToken with the first result and changes nothing, even after later writes', async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());
    const first = httpSpec([
      { virtualNode: 'orders-v1', weight: 80 },
      { virtualNode: 'orders-v2', weight: 20 },
    ]);
    const later = httpSpec([{ virtualNode: 'orders-v1', weight: 100 }]);
    await appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: first, clientToken: 'step-1' }));
    await appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: later, clientToken: 'rollback' }));

    // Act
    const replay = await appMesh.send(
      new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: structuredClone(first), clientToken: 'step-1' }),
    );

    // Assess
    expect(replay.route!.metadata!.version).toBe(2);
    expect(replay.route!.spec).toEqual(first);
    expect(sim.routers.appmesh.model.routes()[0]).toMatchObject({ spec: later, version: 3 });
  });

  it('refuses a repeated clientToken with a different spec with ConflictException and keeps the route', async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());
    const first = httpSpec([
      { virtualNode: 'orders-v1', weight: 80 },
      { virtualNode: 'orders-v2', weight: 20 },
    ]);
    await appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: first, clientToken: 'step-1' }));

    // Act
    const error = await failureOf(
      appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec(), clientToken: 'step-1' })),
    );

    // Assess
    expect(error.name).toBe('ConflictException');
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.message).toContain('step-1');
    expect(sim.routers.appmesh.model.routes()[0]).toMatchObject({ spec: first, version: 2 });
  });

  it('refuses an invalid update with BadRequestException listing every violation, changing nothing', async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());
    const spec = httpSpec([
      { virtualNode: 'orders-v1', weight: 90 },
      { virtualNode: 'orders-v2', weight: 150 },
    ]);

    // Act
    const error = await failureOf(appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec })));

    // Assess
    expect(error.name).toBe('BadRequestException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      '2 validation errors detected: ' +
        'spec.httpRoute.action.weightedTargets[1].weight: 150 is above 100; give a whole number 0..100; ' +
        'spec.httpRoute.action.weightedTargets: the weights add up to 240; together they may be at most 100',
    );
    expect(sim.routers.appmesh.model.routes()[0]).toMatchObject({ spec: httpSpec(), version: 1 });
  });

  it('refuses a spec with two route types', async () => {
    // Prepare
    const { appMesh } = simulate(ordersWorld());
    const spec = {
      ...httpSpec(),
      tcpRoute: { action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 1 }] } },
    };

    // Act
    const error = await failureOf(appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec })));

    // Assess
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain(
      'spec: has httpRoute and tcpRoute; give exactly one of httpRoute, http2Route, grpcRoute, tcpRoute',
    );
  });

  it('answers NotFoundException for a route the world does not have', async () => {
    // Prepare
    const { appMesh } = simulate(ordersWorld());

    // Act
    const describeError = await failureOf(
      appMesh.send(new DescribeRouteCommand({ ...ORDERS_ROUTE, routeName: 'other' })),
    );
    const updateError = await failureOf(
      appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, routeName: 'other', spec: httpSpec() })),
    );

    // Assess
    for (const error of [describeError, updateError]) {
      expect(error.name).toBe('NotFoundException');
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe(
        'Route "other" of virtual router "orders-router" in mesh "shop" does not exist',
      );
    }
  });

  it('keeps any valid sequence of weight writes exactly as written', async () => {
    const weightsList = fc
      .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 10 })
      .filter((ws) => ws.reduce((a, b) => a + b, 0) <= 100);
    await fc.assert(
      fc.asyncProperty(fc.array(weightsList, { minLength: 1, maxLength: 4 }), async (writes) => {
        // Prepare
        const { appMesh, sim } = simulate(ordersWorld(SPECS.httpRoute));

        // Act
        const specs = [];
        for (const [i, ws] of writes.entries()) {
          const spec = structuredClone(SPECS.httpRoute) as RouteSpec;
          spec.httpRoute!.action!.weightedTargets = ws.map((weight, n) => ({
            virtualNode: `orders-v${n}`,
            weight,
          }));
          specs.push(spec);
          await appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: `w-${i}` }));
        }
        const read = await appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));

        // Assess
        expect(read.route!.spec).toEqual(specs.at(-1));
        expect(read.route!.metadata!.version).toBe(writes.length + 1);
        expect(sim.calls.every((c) => c.error === undefined)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('meshOwner', () => {
  const owner = '111122223333';
  const world = {
    appmesh: {
      routes: [{ ...ORDERS_ROUTE, meshOwner: owner, spec: httpSpec() }],
      virtualNodes: [{ meshName: 'shop', virtualNodeName: 'orders-v1', meshOwner: owner }],
    },
  };

  it('finds a shared-mesh route only when the request names the same owner', async () => {
    // Prepare
    const { appMesh } = simulate(world);

    // Act
    const found = await appMesh.send(new DescribeRouteCommand({ ...ORDERS_ROUTE, meshOwner: owner }));
    const withoutOwner = await failureOf(appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE)));
    const otherOwner = await failureOf(
      appMesh.send(new DescribeRouteCommand({ ...ORDERS_ROUTE, meshOwner: '444455556666' })),
    );

    // Assess
    expect(found.route!.metadata).toMatchObject({
      meshOwner: owner,
      arn: `arn:aws:appmesh:us-east-1:${owner}:mesh/shop/virtualRouter/orders-router/route/orders-route`,
    });
    expect(withoutOwner.name).toBe('NotFoundException');
    expect(otherOwner.name).toBe('NotFoundException');
    expect(otherOwner.message).toContain('owned by 444455556666');
  });

  it('does not find a route declared without an owner when the request names one', async () => {
    // Prepare
    const { appMesh } = simulate(ordersWorld());

    // Act
    const error = await failureOf(
      appMesh.send(new DescribeRouteCommand({ ...ORDERS_ROUTE, meshOwner: owner })),
    );

    // Assess
    expect(error.name).toBe('NotFoundException');
  });

  it('updates a shared-mesh route and records meshOwner in the call input and final routes', async () => {
    // Prepare
    const { appMesh, sim } = simulate(world);

    // Act
    await appMesh.send(
      new UpdateRouteCommand({ ...ORDERS_ROUTE, meshOwner: owner, spec: httpSpec(), clientToken: 'tok' }),
    );

    // Assess
    expect(sim.calls[0]!.input).toEqual({
      ...ORDERS_ROUTE,
      meshOwner: owner,
      spec: httpSpec(),
      clientToken: 'tok',
    });
    expect(sim.routers.appmesh.model.routes()).toEqual([
      { ...ORDERS_ROUTE, meshOwner: owner, spec: httpSpec(), version: 2 },
    ]);
  });

  it('matches virtual nodes by owner the same way', async () => {
    // Prepare
    const { appMesh } = simulate(world);

    // Act
    const found = await appMesh.send(
      new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v1', meshOwner: owner }),
    );
    const error = await failureOf(
      appMesh.send(new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v1' })),
    );

    // Assess
    expect(found.virtualNode!.metadata!.meshOwner).toBe(owner);
    expect(error.name).toBe('NotFoundException');
  });
});

describe('DescribeVirtualNode', () => {
  it('describes a declared virtual node and answers NotFoundException for others', async () => {
    // Prepare
    const { appMesh } = simulate(ordersWorld());

    // Act
    const found = await appMesh.send(
      new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v2' }),
    );
    const missing = await failureOf(
      appMesh.send(new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v3' })),
    );
    const otherMesh = await failureOf(
      appMesh.send(new DescribeVirtualNodeCommand({ meshName: 'bank', virtualNodeName: 'orders-v2' })),
    );

    // Assess
    expect(found.virtualNode).toMatchObject({
      meshName: 'shop',
      virtualNodeName: 'orders-v2',
      status: { status: 'ACTIVE' },
      metadata: { arn: 'arn:aws:appmesh:us-east-1:123456789012:mesh/shop/virtualNode/orders-v2', version: 1 },
    });
    expect(missing.name).toBe('NotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(missing.message).toBe('Virtual node "orders-v3" in mesh "shop" does not exist');
    expect(otherMesh.name).toBe('NotFoundException');
  });

  it('decodes names that needed escaping in the path', async () => {
    // Prepare
    const { appMesh } = simulate({
      appmesh: { virtualNodes: [{ meshName: 'shop', virtualNodeName: 'orders v1+β' }] },
    });

    // Act
    const found = await appMesh.send(
      new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders v1+β' }),
    );

    // Assess
    expect(found.virtualNode!.virtualNodeName).toBe('orders v1+β');
  });
});

describe('operations the simulator does not serve', () => {
  it('answers a clear 400 naming the request', async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());

    // Act
    const error = await failureOf(
      appMesh.send(new ListRoutesCommand({ meshName: 'shop', virtualRouterName: 'orders-router' })),
    );

    // Assess
    expect(error.name).toBe('UnknownOperationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(
      'The simulated App Mesh does not serve GET /v20190125/meshes/shop/virtualRouter/orders-router/routes; it serves DescribeRoute, UpdateRoute, CreateRoute, DeleteRoute, DescribeVirtualNode, ListVirtualNodes',
    );
    expect(sim.calls[0]).toMatchObject({
      service: 'appmesh',
      operation: 'GET /v20190125/meshes/shop/virtualRouter/orders-router/routes',
    });
  });
});
