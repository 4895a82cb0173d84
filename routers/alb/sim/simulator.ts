import type { RouterSimulator } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';
import { targetsInActions } from './model.ts';
import { SimulatedAlbService } from './service.ts';
import { albTwin } from './twin.ts';
import { type AlbWorld, albWorldSchema } from './world.ts';

interface AlbRouteKey {
  readonly listenerArn: string;
  readonly ruleArn?: string | undefined;
}

/** An Application Load Balancer in a rehearsal: world.alb, a rule (or a listener's default actions) by ARN. */
export const albSimulator = {
  worldKey: 'alb',
  worldSchema: albWorldSchema,
  create: (world, now) => new SimulatedAlbService(world, now),
  weightsOf: (alb, router) => {
    alb.model.applyEdits(alb.now());
    const { listenerArn, ruleArn } = router;
    return alb.model.weightsOf({ listenerArn, ...(ruleArn === undefined ? {} : { ruleArn }) });
  },
  routes: (alb) => {
    alb.model.applyEdits(alb.now());
    return alb.model.final().map((r) => ({
      route: r.key,
      targets: targetsInActions((r.fields.actions ?? []) as Json[]),
      fields: r.fields,
      updates: r.updates,
    }));
  },
  twin: albTwin,
} as const satisfies RouterSimulator<AlbRouteKey, AlbWorld, SimulatedAlbService>;
