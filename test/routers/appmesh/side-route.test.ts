import {
  AppMeshClient,
  ConflictException,
  CreateRouteCommand,
  type CreateRouteCommandInput,
  DeleteRouteCommand,
  DescribeRouteCommand,
  ForbiddenException,
  NotFoundException,
  type RouteSpec,
  TooManyRequestsException,
} from '@aws-sdk/client-app-mesh';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RouteDriftedError, RouterUnavailableError } from '#core/errors.ts';
import type { SideRoute } from '#core/shapes.ts';
import { createAppMeshRouter } from '#routers/appmesh/router.ts';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';
import { clientTokenFor } from '#routers/client-token.ts';
import { MESH, richSpec, routeData } from '../route-fixtures.ts';

const appMesh = mockClient(AppMeshClient);
const client = new AppMeshClient({ region: 'us-east-1' });
const router = () => createAppMeshRouter(client, { type: 'appmesh', ...MESH });
const meta = { $metadata: {} };

const TEST: SideRoute = {
  name: 'stepshift-orders-test',
  headers: [{ name: 'x-stepshift-preview', match: { exact: 'true' } }],
  target: { name: 'orders-v2', weight: 100, port: 8080 },
};

beforeEach(() => {
  appMesh.reset();
});

/** The main route holds `spec`; the side route is absent unless `side` is given. */
function serve(spec: RouteSpec, side?: RouteSpec): void {
  appMesh.on(DescribeRouteCommand, { ...MESH }).resolves({ route: routeData(spec, 3) });
  const sideKey = { ...MESH, routeName: TEST.name };
  if (side) appMesh.on(DescribeRouteCommand, sideKey).resolves({ route: routeData(side, 1) });
  else
    appMesh
      .on(DescribeRouteCommand, sideKey)
      .rejects(new NotFoundException({ message: 'Route not found', ...meta }));
}

function created(): CreateRouteCommandInput[] {
  return appMesh.commandCalls(CreateRouteCommand).map((c) => c.args[0].input);
}

describe('createAppMeshRouter: openSideRoute (CreateRoute)', () => {
  it('creates the route one priority ahead, with the main match plus the header, all to the new version', async () => {
    // Prepare
    serve(richSpec('httpRoute'));
    appMesh.on(CreateRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 1) });

    // Act
    await router().openSideRoute?.(TEST, 'exec:side-route:stepshift-orders-test');

    // Assess
    const [input] = created();
    const main = richSpec('httpRoute').httpRoute!;
    expect(input).toStrictEqual({
      meshName: 'shop',
      virtualRouterName: 'orders-router',
      routeName: 'stepshift-orders-test',
      clientToken: clientTokenFor('exec:side-route:stepshift-orders-test'),
      spec: {
        priority: 4,
        httpRoute: {
          ...main,
          match: { ...main.match, headers: [...(main.match?.headers ?? []), TEST.headers[0]] },
          action: { weightedTargets: [{ virtualNode: 'orders-v2', weight: 100, port: 8080 }] },
        },
      },
    });
    expect(validateUpdateRouteInput(input), 'App Mesh would accept it').toEqual([]);
  });

  it("puts the headers in a gRPC route's metadata match", async () => {
    // Prepare
    serve(richSpec('grpcRoute'));
    appMesh.on(CreateRouteCommand).resolves({ route: routeData(richSpec('grpcRoute'), 1) });

    // Act
    await router().openSideRoute?.(TEST, 'k');

    // Assess
    const spec = created()[0]?.spec;
    expect(spec?.grpcRoute?.match?.metadata?.at(-1)).toStrictEqual(TEST.headers[0]);
    expect(spec?.priority).toBe((richSpec('grpcRoute').priority as number) - 1);
  });

  it('takes a ConflictException as done when the route is there with the same spec (a retried Shift)', async () => {
    // Prepare: the first attempt created it; its answer was lost.
    const first = createAppMeshRouter(client, { type: 'appmesh', ...MESH });
    serve(richSpec('httpRoute'));
    appMesh.on(CreateRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 1) });
    await first.openSideRoute?.(TEST, 'k');
    const sent = created()[0]?.spec as RouteSpec;
    appMesh.reset();
    serve(richSpec('httpRoute'), sent);
    appMesh.on(CreateRouteCommand).rejects(new ConflictException({ message: 'exists', ...meta }));

    // Act / Assess
    await expect(router().openSideRoute?.(TEST, 'k')).resolves.toBeUndefined();
  });

  it('refuses, without touching it, a route of that name with another spec', async () => {
    // Prepare
    const theirs = { ...richSpec('httpRoute'), priority: 2 };
    serve(richSpec('httpRoute'), theirs);
    appMesh.on(CreateRouteCommand).rejects(new ConflictException({ message: 'exists', ...meta }));

    // Act / Assess
    await expect(router().openSideRoute?.(TEST, 'k')).rejects.toThrow(RouteDriftedError);
    expect(appMesh.commandCalls(DeleteRouteCommand)).toHaveLength(0);
  });

  it('reports throttling that outlived retries as RouterUnavailable, which Shift retries', async () => {
    // Prepare
    serve(richSpec('httpRoute'));
    appMesh.on(CreateRouteCommand).rejects(new TooManyRequestsException({ message: 'slow down', ...meta }));

    // Act / Assess
    await expect(router().openSideRoute?.(TEST, 'k')).rejects.toThrow(RouterUnavailableError);
  });
});

describe('createAppMeshRouter: sideRouteProblem', () => {
  it('has none for a prioritised HTTP route with room for the header', async () => {
    serve(richSpec('httpRoute'));
    await expect(router().sideRouteProblem?.(TEST)).resolves.toBeUndefined();
  });

  it.each([
    [{ ...richSpec('httpRoute'), priority: 0 }, 'has priority 0, the highest App Mesh has'],
    [{ httpRoute: richSpec('httpRoute').httpRoute }, 'has no priority'],
    [richSpec('tcpRoute'), 'is a tcpRoute, which matches no headers'],
  ] as [RouteSpec, string][])('refuses %j: %s', async (spec, words) => {
    serve(spec);
    await expect(router().sideRouteProblem?.(TEST)).resolves.toContain(words);
  });

  it("refuses when the headers would pass App Mesh's 10", async () => {
    serve(richSpec('httpRoute'));
    const many = Array.from({ length: 9 }, (_, i) => ({ name: `x-${i}`, match: { exact: 'b' } }));
    await expect(router().sideRouteProblem?.({ ...TEST, headers: many })).resolves.toBe(
      'route appmesh:shop/orders-router/orders matches 2 headers and stepshift-orders-test adds 9; App Mesh matches at most 10 per route',
    );
  });

  it("refuses when a route of the side route's name is already there, saying how to delete it", async () => {
    serve(richSpec('httpRoute'), richSpec('httpRoute'));
    await expect(router().sideRouteProblem?.(TEST)).resolves.toBe(
      'a route named "stepshift-orders-test" is already on virtual router "orders-router", left by a release that did not end cleanly; delete it (aws appmesh delete-route --mesh-name shop --virtual-router-name orders-router --route-name stepshift-orders-test) and start the release again',
    );
  });
});

describe('createAppMeshRouter: closeSideRoute (DeleteRoute)', () => {
  it('deletes the named route only', async () => {
    appMesh.on(DeleteRouteCommand).resolves({ route: routeData(richSpec('httpRoute'), 2) });
    await expect(router().closeSideRoute?.(TEST.name)).resolves.toBe(true);
    expect(appMesh.commandCalls(DeleteRouteCommand).map((c) => c.args[0].input)).toStrictEqual([
      { meshName: 'shop', virtualRouterName: 'orders-router', routeName: 'stepshift-orders-test' },
    ]);
  });

  it('answers false when the route is already gone (a retried ending)', async () => {
    appMesh.on(DeleteRouteCommand).rejects(new NotFoundException({ message: 'gone', ...meta }));
    await expect(router().closeSideRoute?.(TEST.name)).resolves.toBe(false);
  });

  it('throws what IAM refused, so the ending is retried rather than the route left', async () => {
    appMesh.on(DeleteRouteCommand).rejects(new ForbiddenException({ message: 'denied', ...meta }));
    await expect(router().closeSideRoute?.(TEST.name)).rejects.toThrow(ForbiddenException);
  });
});
