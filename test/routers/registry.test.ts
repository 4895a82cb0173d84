import { describe, expect, it } from 'vitest';
import { parseProfile } from '#core/profile/profile.ts';
import { configOf, ROUTER_KINDS, ROUTER_TYPES, routerKinds, routerTypeOf } from '#routers/registry.ts';
import { ordersProfile } from '../support/profiles.ts';

describe('the router registry', () => {
  it("keys each kind by its own type, and hands core the kinds in the registry's order", () => {
    for (const [type, kind] of Object.entries(ROUTER_KINDS)) expect(kind.type).toBe(type);
    expect(routerKinds.map((k) => k.type)).toEqual(ROUTER_TYPES);
  });

  it('narrows a parsed router block to its own kind, and refuses a block of another', () => {
    const { router } = parseProfile(ordersProfile(), routerKinds);
    expect(routerTypeOf(router)).toBe('appmesh');
    expect(configOf('appmesh', router).meshName).toBe('shop');
    expect(() => configOf('alb', router)).toThrow(
      'the alb router was handed a router block of type "appmesh"',
    );
    expect(() => routerTypeOf({ type: 'gateway' })).toThrow('"gateway" is not a router stepshift drives');
  });
});
