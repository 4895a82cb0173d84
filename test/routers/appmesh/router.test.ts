import {
  AppMeshClient,
  BadRequestException,
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  ForbiddenException,
  InternalServerErrorException,
  NotFoundException,
  type RouteSpec,
  ServiceUnavailableException,
  TooManyRequestsException,
  UpdateRouteCommand,
  type UpdateRouteCommandInput,
} from '@aws-sdk/client-app-mesh';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { RouteNotFoundError, RouterUnavailableError } from '#core/errors.ts';
import type { RouteReading } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { createAppMeshRouter } from '#routers/appmesh/router.ts';
import { clientTokenFor } from '#routers/client-token.ts';

import { MESH, type RouteKind, richSpec, routeData } from '../route-fixtures.ts';

const appMesh = mockClient(AppMeshClient);
const client = new AppMeshClient({ region: 'us-east-1' });
const config = { type: 'appmesh' as const, ...MESH };
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,36}$/;

const meta = { $metadata: {} };
const ROUTE_ARN = 'arn:aws:appmesh:us-east-1:111122223333:mesh/shop/virtualRouter/orders-router/route/orders';

/** A reading the router under test did not hand out (the release read the route some other way). */
function elsewhere(targets: Target[]): RouteReading {
  return { routeId: 'appmesh:shop/orders-router/orders', targets, revision: '3' };
}

beforeEach(() => {
  appMesh.reset();
});

/** The route App Mesh holds now, and what it holds once the write went through. */
function serveRoute(before: RouteSpec, after: RouteSpec = before): void {
  appMesh
    .on(DescribeRouteCommand)
    .resolvesOnce({ route: routeData(before, 3) })
    .resolves({ route: routeData(after, 4) });
  appMesh.on(UpdateRouteCommand).resolves({ route: routeData(after, 4) });
}

function updateInputs(): UpdateRouteCommandInput[] {
  return appMesh.commandCalls(UpdateRouteCommand).map((c) => c.args[0].input);
}

describe('createAppMeshRouter: read', () => {
  it('names the route and reads its targets in order, with ports and the version as revision', async () => {
    // Prepare
    serveRoute(richSpec('httpRoute'));
    const router = createAppMeshRouter(client, config);

    // Act
    const reading = await router.read();

    // Assess
    expect(router.routeId).toBe('appmesh:shop/orders-router/orders');
    expect(reading).toStrictEqual({
      routeId: 'appmesh:shop/orders-router/orders',
      arn: ROUTE_ARN,
      targets: [
        { name: 'orders-v1', weight: 100, port: 8080 },
        { name: 'orders-v0', weight: 0, port: 8080 },
      ],
      revision: '3',
    });
    expect(appMesh.commandCalls(DescribeRouteCommand)[0]?.args[0].input).toStrictEqual({ ...MESH });
  });

  it('leaves port out of a target that has none', async () => {
    // Prepare
    const spec: RouteSpec = {
      tcpRoute: { action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100 }] } },
    };
    serveRoute(spec);

    // Act
    const reading = await createAppMeshRouter(client, config).read();

    // Assess
    expect(reading.targets).toStrictEqual([{ name: 'orders-v1', weight: 100 }]);
  });

  it.each([
    ['no route kind', {}],
    ['two route kinds', { ...richSpec('httpRoute'), ...richSpec('tcpRoute') }],
  ])('refuses a spec with %s', async (_, spec: RouteSpec) => {
    // Prepare
    serveRoute(spec);

    // Act
    const reading = createAppMeshRouter(client, config).read();

    // Assess
    await expect(reading).rejects.toThrow(/exactly one/);
  });
});

describe('createAppMeshRouter: write', () => {
  const kinds: RouteKind[] = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];

  it.each(kinds)('changes only %s.action.weightedTargets and keeps every other field', async (kind) => {
    // Prepare
    const described = richSpec(kind);
    const untouched = structuredClone(described);
    const port = described[kind]?.action?.weightedTargets?.[0]?.port;
    const targets: Target[] = [
      { name: 'orders-v1', weight: 90, port: port! },
      { name: 'orders-v0', weight: 0, port: port! },
      { name: 'orders-v2', weight: 10 },
    ];
    const expected = structuredClone(described);
    expected[kind]!.action!.weightedTargets = [
      { virtualNode: 'orders-v1', weight: 90, port: port! },
      { virtualNode: 'orders-v0', weight: 0, port: port! },
      { virtualNode: 'orders-v2', weight: 10 },
    ];
    serveRoute(described, expected);

    // Act
    const reading = await createAppMeshRouter(client, config).write(targets, 'rel-1:shift:1');

    // Assess
    const [input, ...more] = updateInputs();
    expect(more).toHaveLength(0);
    expect(input).toStrictEqual({ ...MESH, spec: expected, clientToken: clientTokenFor('rel-1:shift:1') });
    expect(described).toStrictEqual(untouched);
    expect(reading).toStrictEqual({
      routeId: 'appmesh:shop/orders-router/orders',
      arn: ROUTE_ARN,
      targets,
      revision: '4',
    });
    expect(appMesh.commandCalls(DescribeRouteCommand)).toHaveLength(2);
  });

  it('refuses to write when the weights changed since a reading it did not make', async () => {
    // Prepare: the release saw orders-v1 at 90; by the time it writes, someone set 100 / 0.
    appMesh.on(DescribeRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 4) });
    const router = createAppMeshRouter(client, config);
    const seen = elsewhere([
      { name: 'orders-v1', weight: 90, port: 8080 },
      { name: 'orders-v0', weight: 10, port: 8080 },
    ]);

    // Act
    const write = router.write([{ name: 'orders-v1', weight: 100, port: 8080 }], 'rel-1:shift:1', seen);

    // Assess
    await expect(write).rejects.toMatchObject({
      name: 'RouteDrifted',
      message: expect.stringContaining("changed between the release's check and its write"),
    });
    expect(updateInputs()).toEqual([]);
  });

  it('writes when only other fields changed since a reading it did not make, keeping that change', async () => {
    // Prepare: same weights as the release saw, but someone raised the retry count meanwhile.
    const edited = richSpec('httpRoute');
    edited.httpRoute!.retryPolicy!.maxRetries = 7;
    serveRoute(edited);
    const seen = elsewhere([
      { name: 'orders-v1', weight: 100, port: 8080 },
      { name: 'orders-v0', weight: 0, port: 8080 },
    ]);

    // Act
    await createAppMeshRouter(client, config).write(
      [{ name: 'orders-v1', weight: 100, port: 8080 }],
      'k',
      seen,
    );

    // Assess
    expect(updateInputs()[0]?.spec?.httpRoute?.retryPolicy?.maxRetries).toBe(7);
  });

  it('writes from its own reading without describing the route again', async () => {
    // Prepare
    const before = richSpec('http2Route');
    const after = structuredClone(before);
    after.http2Route!.action!.weightedTargets = [{ virtualNode: 'orders-v1', weight: 100, port: 8443 }];
    serveRoute(before, after);
    const router = createAppMeshRouter(client, config);
    const reading = await router.read();

    // Act
    await router.write([{ name: 'orders-v1', weight: 100, port: 8443 }], 'k', reading);

    // Assess: one DescribeRoute for the reading, one for the read-back; the spec sent is the reading's
    expect(appMesh.commandCalls(DescribeRouteCommand)).toHaveLength(2);
    expect(updateInputs()[0]?.spec).toEqual(after);
  });

  it('sends the same clientToken for the same key and another for another key', async () => {
    // Prepare
    appMesh.on(DescribeRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 3) });
    appMesh.on(UpdateRouteCommand).resolves({});
    const router = createAppMeshRouter(client, config);
    const targets = [{ name: 'orders-v1', weight: 100, port: 8080 }];

    // Act
    await router.write(targets, 'rel-1:shift:1');
    await router.write(targets, 'rel-1:shift:1');
    await router.write(targets, 'rel-1:shift:2');

    // Assess
    const tokens = updateInputs().map((i) => i.clientToken);
    expect(tokens[0]).toMatch(TOKEN_PATTERN);
    expect(tokens[0]).toHaveLength(36);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('derives a valid, stable clientToken from any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (key) => {
        // Act
        const token = clientTokenFor(key);

        // Assess
        expect(token).toMatch(TOKEN_PATTERN);
        expect(clientTokenFor(key)).toBe(token);
      }),
    );
  });

  it.each<[string, Target[]]>([
    ['no targets', []],
    [
      '11 targets',
      Array.from({ length: 11 }, (_, i) => ({ name: `orders-v${i}`, weight: i === 0 ? 100 : 0 })),
    ],
    ['a fractional weight', [{ name: 'orders-v1', weight: 99.5 }]],
    ['a negative weight', [{ name: 'orders-v1', weight: -1 }]],
    ['a weight above 100', [{ name: 'orders-v1', weight: 101 }]],
    [
      'weights adding up to 110',
      [
        { name: 'orders-v1', weight: 100 },
        { name: 'orders-v2', weight: 10 },
      ],
    ],
    ['port 0', [{ name: 'orders-v1', weight: 100, port: 0 }]],
    ['port 65536', [{ name: 'orders-v1', weight: 100, port: 65536 }]],
    ['an empty name', [{ name: '', weight: 100 }]],
  ])('refuses %s before calling App Mesh', async (_, targets) => {
    // Prepare
    serveRoute(richSpec('httpRoute'));

    // Act
    const write = createAppMeshRouter(client, config).write(targets, 'rel-1:shift:1');

    // Assess
    await expect(write).rejects.toThrow(/^Refusing to write appmesh:shop\/orders-router\/orders: /);
    expect(appMesh.commandCalls(UpdateRouteCommand)).toHaveLength(0);
    expect(appMesh.commandCalls(DescribeRouteCommand)).toHaveLength(0);
  });

  it('accepts the limits themselves: 10 targets, weights summing to 100, ports 1 and 65535', async () => {
    // Prepare
    serveRoute(richSpec('httpRoute'));
    const targets = Array.from({ length: 10 }, (_, i) => ({
      name: `orders-v${i}`,
      weight: 10,
      port: i % 2 ? 1 : 65535,
    }));

    // Act
    await createAppMeshRouter(client, config).write(targets, 'rel-1:shift:1');

    // Assess
    expect(updateInputs()[0]?.spec?.httpRoute?.action?.weightedTargets).toHaveLength(10);
  });
});

describe('createAppMeshRouter: meshOwner', () => {
  it('passes meshOwner to DescribeRoute, UpdateRoute and DescribeVirtualNode', async () => {
    // Prepare
    serveRoute(richSpec('grpcRoute'));
    appMesh.on(DescribeVirtualNodeCommand).resolves({});
    const router = createAppMeshRouter(client, { ...config, meshOwner: '444455556666' });

    // Act
    await router.write([{ name: 'orders-v1', weight: 100, port: 9090 }], 'rel-1:shift:1');
    await router.targetExists('orders-v2');

    // Assess
    for (const call of appMesh.commandCalls(DescribeRouteCommand)) {
      expect(call.args[0].input).toStrictEqual({ ...MESH, meshOwner: '444455556666' });
    }
    expect(updateInputs()[0]?.meshOwner).toBe('444455556666');
    expect(appMesh.commandCalls(DescribeVirtualNodeCommand)[0]?.args[0].input).toStrictEqual({
      meshName: 'shop',
      virtualNodeName: 'orders-v2',
      meshOwner: '444455556666',
    });
  });
});

describe('createAppMeshRouter: targetExists', () => {
  it('is true when the virtual node exists and false on NotFoundException', async () => {
    // Prepare
    appMesh
      .on(DescribeVirtualNodeCommand, { virtualNodeName: 'orders-v2' })
      .resolves({})
      .on(DescribeVirtualNodeCommand, { virtualNodeName: 'orders-v9' })
      .rejects(new NotFoundException({ message: 'Virtual node not found', ...meta }));
    const router = createAppMeshRouter(client, config);

    // Act
    const [v2, v9] = await Promise.all([router.targetExists('orders-v2'), router.targetExists('orders-v9')]);

    // Assess
    expect(v2).toBe(true);
    expect(v9).toBe(false);
  });

  it('reports throttling as RouterUnavailable', async () => {
    // Prepare
    appMesh
      .on(DescribeVirtualNodeCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', ...meta }));

    // Act
    const exists = createAppMeshRouter(client, config).targetExists('orders-v2');

    // Assess
    await expect(exists).rejects.toThrow(RouterUnavailableError);
  });
});

describe('createAppMeshRouter: errors', () => {
  it('turns NotFoundException from DescribeRoute into RouteNotFound naming mesh, router and route', async () => {
    // Prepare
    appMesh.on(DescribeRouteCommand).rejects(new NotFoundException({ message: 'Route not found', ...meta }));

    // Act
    const error = await createAppMeshRouter(client, config)
      .read()
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RouteNotFoundError);
    expect(error).toMatchObject({ name: 'RouteNotFound' });
    expect((error as Error).message).toMatch(/"orders".*"orders-router".*"shop"/);
    expect((error as Error).message).toContain("check the profile's router block");
  });

  it('turns NotFoundException from UpdateRoute into RouteNotFound', async () => {
    // Prepare
    appMesh.on(DescribeRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 3) });
    appMesh.on(UpdateRouteCommand).rejects(new NotFoundException({ message: 'Route not found', ...meta }));

    // Act
    const write = createAppMeshRouter(client, config).write([{ name: 'orders-v1', weight: 100 }], 'k');

    // Assess
    await expect(write).rejects.toThrow(RouteNotFoundError);
  });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Rate exceeded', ...meta })],
    ['InternalServerErrorException', new InternalServerErrorException({ message: 'oops', ...meta })],
    ['ServiceUnavailableException', new ServiceUnavailableException({ message: 'later', ...meta })],
  ])(
    'turns %s from UpdateRoute into RouterUnavailable naming the operation and error',
    async (name, thrown) => {
      // Prepare
      appMesh.on(DescribeRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 3) });
      appMesh.on(UpdateRouteCommand).rejects(thrown);

      // Act
      const error = await createAppMeshRouter(client, config)
        .write([{ name: 'orders-v1', weight: 100 }], 'k')
        .catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(RouterUnavailableError);
      expect(error).toMatchObject({ name: 'RouterUnavailable' });
      expect((error as Error).message).toContain('UpdateRoute');
      expect((error as Error).message).toContain(name);
    },
  );

  it('turns throttling of DescribeRoute into RouterUnavailable', async () => {
    // Prepare
    appMesh
      .on(DescribeRouteCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...meta }));

    // Act
    const read = createAppMeshRouter(client, config).read();

    // Assess
    await expect(read).rejects.toThrow(/DescribeRoute failed with TooManyRequestsException/);
  });

  it.each([
    ['ForbiddenException', new ForbiddenException({ message: 'no', ...meta })],
    ['BadRequestException', new BadRequestException({ message: 'bad', ...meta })],
    ['AccessDeniedException', Object.assign(new Error('denied'), { name: 'AccessDeniedException', ...meta })],
  ])('rethrows %s unchanged', async (_, thrown) => {
    // Prepare
    appMesh.on(DescribeRouteCommand).rejects(thrown);

    // Act
    const error = await createAppMeshRouter(client, config)
      .read()
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBe(thrown);
  });
});
