import * as z from 'zod';
import { requiredString, show } from '#core/validation.ts';
import { SIMULATED_REGION } from '../../sim/account.ts';
import type { PersonAction } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';
import type { SimulatedLambdaAliases } from './service.ts';
import type { LambdaWorld } from './world.ts';

/**
 * A person's UpdateAlias from the console or the CLI (a scenario's "edit-alias" operator action): the
 * fields the update carries change, the RevisionId with them; it is not one of the release's calls, so
 * it carries no RevisionId and is not logged among them.
 */
export const editAlias: PersonAction<LambdaWorld, SimulatedLambdaAliases> = {
  what: 'an edit-alias action',
  fields: {
    functionName: requiredString('the function whose alias the person edits, such as "orders-api"', 64),
    alias: requiredString('the alias the person edits, such as "live"', 128),
    update: z.strictObject(
      {
        FunctionVersion: z.string().optional(),
        RoutingConfig: z
          .strictObject({ AdditionalVersionWeights: z.record(z.string(), z.number()) })
          .optional(),
        Description: z.string().max(256).optional(),
      },
      {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `is ${show(iss.input)}`}; give the UpdateAlias fields the person sends, e.g. {"FunctionVersion": "6", "RoutingConfig": {"AdditionalVersionWeights": {"7": 0.5}}}`,
      },
    ),
  },
  problems: () => [],
  problemsIn: (world, action) => {
    const fn = world.functions.find((f) => f.functionName === action.functionName);
    if (!fn) {
      return [
        {
          path: ['functionName'],
          message: `names ${show(action.functionName)}, which is not in world.lambda.functions; name one of: ${world.functions.map((f) => f.functionName).join(', ') || '(none declared)'}`,
        },
      ];
    }
    if (fn.aliases.some((a) => a.Name === action.alias)) return [];
    return [
      {
        path: ['alias'],
        message: `names ${show(action.alias)}, which ${fn.functionName} does not have in world.lambda; name one of: ${fn.aliases.map((a) => a.Name).join(', ') || '(none declared)'}`,
      },
    ];
  },
  act: (lambda, action, _at) => {
    const update = action.update as Json;
    const alias = lambda.model.updateAlias(
      { FunctionName: action.functionName, Name: action.alias, ...update },
      SIMULATED_REGION,
    );
    return {
      alias: `${String(action.functionName)}:${String(action.alias)}`,
      revisionId: alias.RevisionId,
      weights: lambda.model.weightsOf(String(action.functionName), String(action.alias)),
    };
  },
};
