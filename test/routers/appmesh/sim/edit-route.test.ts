import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';

const KEY = { meshName: 'shop', virtualRouterName: 'orders-router', routeName: 'orders-route' };
const spec = (v1: number, v2: number) => ({
  httpRoute: {
    match: { prefix: '/' },
    action: {
      weightedTargets: [
        { virtualNode: 'orders-v1', weight: v1 },
        { virtualNode: 'orders-v2', weight: v2 },
      ],
    },
  },
});

function sim() {
  const clock = new VirtualClock();
  return {
    clock,
    sim: new SimulatedAws(parseWorld({ appmesh: { routes: [{ ...KEY, spec: spec(100, 0) }] } }), clock),
  };
}

describe('a person editing the route by hand', () => {
  it("replaces the whole spec and raises the version, as UpdateRoute does, without being one of the release's calls", () => {
    const { clock, sim: aws } = sim();
    clock.advance(480);

    const route = aws.routers.appmesh.model.editRoute(KEY, spec(60, 40), clock.seconds);

    expect(route).toEqual({ ...KEY, spec: spec(60, 40), version: 2 });
    expect(aws.routers.appmesh.model.routes()).toEqual([route]);
    expect(aws.calls).toEqual([]);
  });

  it("is refused, with App Mesh's reasons, when App Mesh would refuse the spec", () => {
    const { sim: aws } = sim();
    expect(() => aws.routers.appmesh.model.editRoute(KEY, spec(100, 50), 0)).toThrow(
      'App Mesh would refuse this UpdateRoute: spec.httpRoute.action.weightedTargets: the weights add up to 150; together they may be at most 100',
    );
    expect(aws.routers.appmesh.model.routes()[0]?.version).toBe(1);
  });

  it('is refused for a route that does not exist', () => {
    const { sim: aws } = sim();
    expect(() =>
      aws.routers.appmesh.model.editRoute({ ...KEY, routeName: 'payments' }, spec(60, 40), 0),
    ).toThrow('Route "payments" of virtual router "orders-router" in mesh "shop" does not exist');
  });
});
