import type { RouterSimulator } from '../../sim/router-simulator.ts';
import { SimulatedLatticeService } from './service.ts';
import { latticeTwin } from './twin.ts';
import { type LatticeWorld, latticeWorldSchema } from './world.ts';

interface LatticeRouteKey {
  readonly serviceIdentifier: string;
  readonly listenerIdentifier: string;
  readonly ruleIdentifier?: string | undefined;
}

/** VPC Lattice in a rehearsal: world.lattice, a rule (or a listener's default action) read by its ids. */
export const latticeSimulator = {
  worldKey: 'lattice',
  worldSchema: latticeWorldSchema,
  create: (world, now) => new SimulatedLatticeService(world, now),
  weightsOf: (lattice, router) => {
    lattice.model.applyEdits(lattice.now());
    const { serviceIdentifier, listenerIdentifier, ruleIdentifier } = router;
    return lattice.model.weightsOf({
      serviceIdentifier,
      listenerIdentifier,
      ...(ruleIdentifier === undefined ? {} : { ruleIdentifier }),
    });
  },
  routes: (lattice) => {
    lattice.model.applyEdits(lattice.now());
    return lattice.model.final().map((r) => ({
      route: r.key,
      targets: lattice.model.targetsIn((r.fields.action ?? {}) as Record<string, unknown>),
      fields: r.fields,
      updates: r.updates,
    }));
  },
  twin: latticeTwin,
} as const satisfies RouterSimulator<LatticeRouteKey, LatticeWorld, SimulatedLatticeService>;
