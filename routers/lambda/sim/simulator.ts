import { SIMULATED_REGION } from '../../sim/account.ts';
import type { RouterSimulator } from '../../sim/router-simulator.ts';
import { editAlias } from './edit-alias.ts';
import { SimulatedLambdaAliases } from './service.ts';
import { lambdaTwin } from './twin.ts';
import { type LambdaWorld, lambdaWorldSchema } from './world.ts';

interface LambdaAliasKey {
  readonly functionName: string;
  readonly alias: string;
}

/** Lambda in a rehearsal: world.lambda, an alias read by its function and name. */
export const lambdaSimulator = {
  worldKey: 'lambda',
  worldSchema: lambdaWorldSchema,
  create: (world) => new SimulatedLambdaAliases(world),
  weightsOf: (lambda, router) => lambda.model.weightsOf(router.functionName, router.alias),
  routes: (lambda) =>
    // The fields are the alias as GetAlias returns it, its RevisionId among them.
    lambda.model.final(SIMULATED_REGION).map((a) => ({
      route: a.key,
      targets: Object.entries(a.weights).map(([name, weight]) => ({ name, weight })),
      fields: a.fields,
      updates: a.updates,
    })),
  twin: lambdaTwin,
  personActions: { 'edit-alias': editAlias },
} as const satisfies RouterSimulator<LambdaAliasKey, LambdaWorld, SimulatedLambdaAliases>;
