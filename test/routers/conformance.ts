/**
 * One suite, every router: what core relies on from the Router port. conformance.test.ts runs it
 * against the App Mesh, VPC Lattice and ALB adapters over SDK mocks; conformance-rehearsal.test.ts
 * against the same adapters over the rehearsal's simulated AWS.
 */

import { describe, expect, it } from 'vitest';
import {
  InvalidTargetsError,
  RouteDriftedError,
  RouteNotFoundError,
  RouterUnavailableError,
} from '#core/errors.ts';
import type { RouteReading, Router } from '#core/ports.ts';
import type { HeaderMatch, SideRoute, Target } from '#core/shapes.ts';
import { promotedWeights, weightsForStep } from '#core/targets.ts';
import { ROUTER_TYPES, type RouterType } from '#routers/registry.ts';

/** The targets a harness's route names: the stable, the new version, another at 0, and one not deployed. */
export interface TargetNames {
  readonly stable: string;
  readonly canary: string;
  /** A target at weight 0 beside the stable; absent for a router whose route holds two targets at most (Lambda). */
  readonly other?: string;
  readonly missing: string;
  /** The i-th of many targets, for a write with more than the router allows. */
  nth(i: number): string;
}

const NAMES: TargetNames = {
  stable: 'orders-v1',
  canary: 'orders-v2',
  other: 'orders-v0',
  missing: 'orders-v9',
  nth: (i) => `orders-v${i}`,
};

/** A router under test with the service behind it. */
export interface Harness {
  readonly name: string;
  readonly router: Router;
  /** Its targets' names, when they are not orders-v1, orders-v2, orders-v0 and orders-v9. */
  readonly names?: TargetNames;
  /** Everything on the route but the weights, as the service holds it now. */
  otherFields(): unknown;
  /** A person changes the weights by hand (the console): the stable's entry goes to `weight`. */
  editStableWeight(weight: number): void;
  /** The next calls of the route's read fail with this kind of error. */
  failReads(kind: 'not-found' | 'throttled'): void;
  /** Calls that wrote the route so far. */
  writes(): number;
  /**
   * For a router with side routes: the names of the routes (rules) of stepshift's own beside the
   * release's route now, and headers this router cannot match, which sideRouteProblem must refuse.
   */
  readonly sides?: {
    names(): string[];
    refusedHeaders: HeaderMatch[];
    /**
     * For a router whose route can sign people in (ALB's rule actions): the same service with the
     * release's route signing them in with actions a new rule can repeat ("repeatable": Cognito and JWT
     * validation, with a URL rewrite) or cannot ("secret": OIDC, whose client secret no read returns),
     * and what the route or the side route does before it forwards (sign-in, rewrites), as the service
     * holds it.
     */
    signingIn?(how: 'repeatable' | 'secret'): Harness & { signIn(which: 'route' | 'side'): unknown[] };
  };
}

const SIDE: SideRoute = {
  name: 'stepshift-orders-test',
  headers: [{ name: 'x-stepshift-preview', match: { exact: 'true' } }],
  target: { name: 'orders-v2', weight: 100 },
};

/** The harnesses of each registered router: keyed by RouterType, so a router added to the registry needs its own. */
export type HarnessesByRouter = Readonly<Record<RouterType, readonly (readonly [string, () => Harness])[]>>;

/**
 * Runs the suite against each router's harnesses; every harness starts with its stable (orders-v1) at
 * 100 and its other target (orders-v0), where it has one, at 0.
 * @throws Error when a registered router has no harness.
 */
export function routerConformance(byRouter: HarnessesByRouter): void {
  const bare = ROUTER_TYPES.filter((type) => byRouter[type].length === 0);
  if (bare.length) throw new Error(`no conformance harness for the ${bare.join(', ')} router`);
  const harnesses = ROUTER_TYPES.flatMap((type) => byRouter[type]);
  const weightsOf = (targets: readonly Target[]) =>
    Object.fromEntries(targets.map((t) => [t.name, t.weight]));
  const namesOf = (harness: Harness) => harness.names ?? NAMES;
  const castOf = (harness: Harness) => ({ stable: namesOf(harness).stable, canary: namesOf(harness).canary });

  describe.each(harnesses)('the Router port, on %s', (_name, make) => {
    it('writes a step and reads back exactly those weights, other targets untouched', async () => {
      const harness = make();
      const { router } = harness;
      const { stable, canary, other } = namesOf(harness);
      const snapshot = await router.read();

      const after = await router.write(
        weightsForStep(snapshot.targets, castOf(harness), 10),
        'exec:step:0',
        snapshot,
      );

      expect(weightsOf(after.targets)).toEqual({
        [stable]: 90,
        ...(other === undefined ? {} : { [other]: 0 }),
        [canary]: 10,
      });
      expect(weightsOf((await router.read()).targets)).toEqual(weightsOf(after.targets));
      expect(after.routeId).toBe(router.routeId);
      expect(after.arn).toBe(snapshot.arn);
    });

    it('keeps every other field of the route as it was', async () => {
      const harness = make();
      const before = harness.otherFields();
      const snapshot = await harness.router.read();

      const step = await harness.router.write(
        weightsForStep(snapshot.targets, castOf(harness), 25),
        'exec:step:1',
        snapshot,
      );
      await harness.router.write(promotedWeights(snapshot.targets, castOf(harness)), 'exec:promote', step);

      expect(harness.otherFields()).toEqual(before);
    });

    it('treats a retried write as the same one: same weights, same route', async () => {
      const harness = make();
      const snapshot = await harness.router.read();
      const desired = weightsForStep(snapshot.targets, castOf(harness), 50);

      const first = await harness.router.write(desired, 'exec:step:2', snapshot);
      const fields = harness.otherFields();
      const retried = await harness.router.write(desired, 'exec:step:2', snapshot);

      expect(retried.targets).toEqual(first.targets);
      expect(harness.otherFields()).toEqual(fields);
    });

    it('refuses to write over weights that moved since a reading it did not make (RouteDrifted)', async () => {
      const harness = make();
      const snapshot = await harness.router.read();
      const elsewhere: RouteReading = { ...snapshot, targets: [...snapshot.targets] };
      harness.editStableWeight(70);

      await expect(
        harness.router.write(weightsForStep(snapshot.targets, castOf(harness), 10), 'exec:step:0', elsewhere),
      ).rejects.toBeInstanceOf(RouteDriftedError);
      expect(harness.writes()).toBe(0);
    });

    it("refuses more targets than the service allows, before calling it, with the router's error", async () => {
      const harness = make();
      const tooMany = Array.from({ length: harness.router.maxTargets + 1 }, (_, i) => ({
        name: namesOf(harness).nth(i),
        weight: i === 0 ? 100 : 0,
      }));

      await expect(harness.router.write(tooMany, 'exec:step:0')).rejects.toBeInstanceOf(InvalidTargetsError);
      expect(harness.writes()).toBe(0);
    });

    it('refuses a weight outside what the service takes', async () => {
      const harness = make();

      await expect(
        harness.router.write([{ name: namesOf(harness).stable, weight: 1000 }], 'exec:step:0'),
      ).rejects.toBeInstanceOf(InvalidTargetsError);
      expect(harness.writes()).toBe(0);
    });

    it('restores the snapshot exactly after a step', async () => {
      const harness = make();
      const before = harness.otherFields();
      const snapshot = await harness.router.read();
      const step = await harness.router.write(
        weightsForStep(snapshot.targets, castOf(harness), 10),
        'exec:step:0',
        snapshot,
      );

      const restored = await harness.router.write(snapshot.targets, 'exec:rollback', step);

      expect(restored.targets).toEqual(snapshot.targets);
      expect(harness.otherFields()).toEqual(before);
    });

    it('knows a deployed new version from one that is missing', async () => {
      const harness = make();
      await harness.router.read();

      expect(await harness.router.targetExists(namesOf(harness).canary)).toBe(true);
      expect(await harness.router.targetExists(namesOf(harness).missing)).toBe(false);
    });

    it('names the targets it could route to, every page of them: the stable and the deployed new version', async () => {
      const harness = make();
      const { stable, canary, missing } = namesOf(harness);

      const names = (await harness.router.targetNames?.()) ?? [];

      expect(names).toContain(stable);
      expect(names).toContain(canary);
      expect(names).not.toContain(missing);
      expect(new Set(names).size).toBe(names.length);
    });

    it('opens a side route once however often it is asked with the same key, the route itself untouched', async () => {
      const harness = make();
      if (!harness.sides) return;
      const before = harness.otherFields();
      expect(await harness.router.sideRouteProblem?.(SIDE)).toBeUndefined();

      await harness.router.openSideRoute?.(SIDE, 'exec:side-route:stepshift-orders-test');
      await harness.router.openSideRoute?.(SIDE, 'exec:side-route:stepshift-orders-test');

      expect(harness.sides.names()).toEqual([SIDE.name]);
      expect(harness.otherFields()).toEqual(before);
      // Left behind, it is what Prepare refuses the next release beside.
      expect(await harness.router.sideRouteProblem?.(SIDE)).toContain(SIDE.name);
    });

    it('closes a side route once: removed, then already gone', async () => {
      const harness = make();
      if (!harness.sides) return;
      await harness.router.openSideRoute?.(SIDE, 'exec:side-route:stepshift-orders-test');

      expect(await harness.router.closeSideRoute?.(SIDE.name)).toBe(true);
      expect(await harness.router.closeSideRoute?.(SIDE.name)).toBe(false);
      expect(harness.sides.names()).toEqual([]);
    });

    it('refuses, in a sentence, side routes the service cannot express', async () => {
      const harness = make();
      if (!harness.sides) return;
      const problem = await harness.router.sideRouteProblem?.({
        ...SIDE,
        headers: harness.sides.refusedHeaders,
      });

      expect(problem).toMatch(/^\S.* .*[a-z0-9")]$/);
      expect(harness.sides.names()).toEqual([]);
    });

    it('lets through a side route only whom the route lets through: the same sign-in, in order, and the same rewrites', async () => {
      const signed = make().sides?.signingIn?.('repeatable');
      if (!signed) return;
      expect(await signed.router.sideRouteProblem?.(SIDE)).toBeUndefined();

      await signed.router.openSideRoute?.(SIDE, 'exec:side-route:stepshift-orders-test');

      expect(signed.signIn('route')).not.toEqual([]);
      expect(signed.signIn('side')).toEqual(signed.signIn('route'));
    });

    it('refuses, in a sentence, a side route it cannot sign people in on as the route does', async () => {
      const signed = make().sides?.signingIn?.('secret');
      if (!signed) return;

      const problem = await signed.router.sideRouteProblem?.(SIDE);

      expect(problem).toMatch(/^\S.* sign.*[a-z0-9")]$/);
      expect(signed.sides?.names()).toEqual([]);
    });

    it('names a route that is not there (RouteNotFound) and a service that throttles (RouterUnavailable)', async () => {
      const missing = make();
      missing.failReads('not-found');
      await expect(missing.router.read()).rejects.toBeInstanceOf(RouteNotFoundError);

      const busy = make();
      busy.failReads('throttled');
      await expect(busy.router.read()).rejects.toBeInstanceOf(RouterUnavailableError);
    });
  });
}
