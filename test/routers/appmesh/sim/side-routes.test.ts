import { CreateRouteCommand, DeleteRouteCommand, DescribeRouteCommand } from '@aws-sdk/client-app-mesh';
import { describe, expect, it } from 'vitest';
import { failureOf, httpSpec, ORDERS_ROUTE, ordersWorld, simulate } from '../../../rehearsal/support.ts';

const ROUTER = { meshName: 'shop', virtualRouterName: 'orders-router' } as const;
const SIDE = { ...ROUTER, routeName: 'stepshift-orders-test' } as const;
const sideSpec = () => ({
  priority: 9,
  httpRoute: {
    match: { prefix: '/', headers: [{ name: 'x-stepshift-preview', match: { exact: 'true' } }] },
    action: { weightedTargets: [{ virtualNode: 'orders-v2', weight: 100 }] },
  },
});

describe('the simulated App Mesh: CreateRoute and DeleteRoute', () => {
  it("creates a route beside the world's, which DescribeRoute then finds, and deletes it", async () => {
    // Prepare
    const { appMesh, sim } = simulate(ordersWorld());

    // Act
    const made = await appMesh.send(new CreateRouteCommand({ ...SIDE, spec: sideSpec(), clientToken: 't1' }));
    const read = await appMesh.send(new DescribeRouteCommand(SIDE));
    const gone = await appMesh.send(new DeleteRouteCommand(SIDE));

    // Assess
    expect(made.route?.metadata?.version).toBe(1);
    expect(read.route?.spec).toEqual(sideSpec());
    expect(gone.route?.status?.status).toBe('DELETED');
    expect((await failureOf(appMesh.send(new DescribeRouteCommand(SIDE)))).name).toBe('NotFoundException');
    expect(sim.routers.appmesh.model.routes().map((r) => r.routeName)).toEqual(['orders-route']);
    expect(sim.calls.map((c) => c.operation)).toEqual([
      'CreateRoute',
      'DescribeRoute',
      'DeleteRoute',
      'DescribeRoute',
    ]);
  });

  it('answers a replayed clientToken with the first result and creates nothing more', async () => {
    const { appMesh, sim } = simulate(ordersWorld());
    const first = await appMesh.send(
      new CreateRouteCommand({ ...SIDE, spec: sideSpec(), clientToken: 't1' }),
    );
    const again = await appMesh.send(
      new CreateRouteCommand({ ...SIDE, spec: sideSpec(), clientToken: 't1' }),
    );
    expect(again.route).toEqual(first.route);
    expect(sim.routers.appmesh.model.routes()).toHaveLength(2);
  });

  it('refuses a name the virtual router already has (ConflictException), and an unknown router', async () => {
    const { appMesh } = simulate(ordersWorld());
    const taken = await failureOf(
      appMesh.send(new CreateRouteCommand({ ...ORDERS_ROUTE, spec: sideSpec(), clientToken: 't2' })),
    );
    expect([taken.name, taken.$metadata.httpStatusCode]).toEqual(['ConflictException', 409]);
    const nowhere = await failureOf(
      appMesh.send(new CreateRouteCommand({ ...SIDE, virtualRouterName: 'other', spec: sideSpec() })),
    );
    expect(nowhere.name).toBe('NotFoundException');
  });

  it('validates the spec as UpdateRoute does', async () => {
    const { appMesh, sim } = simulate(ordersWorld());
    const spec = { ...sideSpec(), priority: 1001 };
    const error = await failureOf(appMesh.send(new CreateRouteCommand({ ...SIDE, spec })));
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toContain('spec.priority: 1001 is above 1000');
    expect(sim.routers.appmesh.model.routes()).toHaveLength(1);
  });

  it('deletes only the route named, and answers NotFound for one it does not have', async () => {
    const { appMesh, sim } = simulate(ordersWorld(httpSpec()));
    expect((await failureOf(appMesh.send(new DeleteRouteCommand(SIDE)))).name).toBe('NotFoundException');
    expect(sim.routers.appmesh.model.routes().map((r) => r.routeName)).toEqual(['orders-route']);
  });

  it('meets injected faults on both', async () => {
    const { appMesh } = simulate(
      ordersWorld(httpSpec(), {
        faults: [
          { operation: 'CreateRoute', call: 1, error: 'TooManyRequestsException' },
          { operation: 'DeleteRoute', call: 1, error: 'AccessDeniedException' },
        ],
      }),
    );
    expect((await failureOf(appMesh.send(new CreateRouteCommand({ ...SIDE, spec: sideSpec() })))).name).toBe(
      'TooManyRequestsException',
    );
    expect((await failureOf(appMesh.send(new DeleteRouteCommand(SIDE)))).name).toBe('AccessDeniedException');
  });
});
