import * as z from 'zod';
import { objectError, requiredString, show } from '#core/validation.ts';
import { duplicates, listOf } from '../../sim/world-fields.ts';

/**
 * The scenario's `world.lambda`: each function with its published versions (what
 * GetFunctionConfiguration tells of each: the execution role, the dead-letter queue) and its aliases
 * exactly as GetAlias returns them, less the RevisionId and AliasArn, which the simulator assigns.
 */

const VERSION = /^[0-9]{1,10}$/;
const version = (what: string) =>
  requiredString(what, 10).check(
    z.refine((v: string) => VERSION.test(v), {
      error: (iss) => `${show(iss.input)} is not a published version number; write one such as "7"`,
    }),
  );

const VERSION_FIELDS = [
  'version',
  'role',
  'deadLetterTargetArn',
  'provisionedConcurrency',
  'description',
] as const;
const versionSchema = z.strictObject(
  {
    version: version('the version number PublishVersion assigned, such as "7"'),
    role: requiredString("the version's execution role ARN", 2048),
    deadLetterTargetArn: z.optional(requiredString("the version's dead-letter queue or topic ARN", 2048)),
    // Provisioned concurrency configured on the version itself.
    provisionedConcurrency: z.number().int().min(1).optional(),
    description: z.string().max(256).optional(),
  },
  { error: objectError('a version', VERSION_FIELDS) },
);

const weightsSchema = z.record(z.string(), z.number(), {
  error: 'give the additional versions\' weights as {"7": 0.1}, fractions 0.0..1.0',
});

const ALIAS_FIELDS = [
  'Name',
  'FunctionVersion',
  'RoutingConfig',
  'Description',
  'provisionedConcurrency',
] as const;
const aliasSchema = z.strictObject(
  {
    Name: requiredString('the alias name, such as "live"', 128),
    FunctionVersion: z.union([z.literal('$LATEST'), version('the version the alias invokes')]),
    RoutingConfig: z
      .strictObject(
        { AdditionalVersionWeights: weightsSchema.default({}) },
        {
          error: objectError('a RoutingConfig', ['AdditionalVersionWeights']),
        },
      )
      .default({ AdditionalVersionWeights: {} }),
    Description: z.string().max(256).default(''),
    // Provisioned concurrency configured on the alias (PutProvisionedConcurrencyConfig with the alias).
    provisionedConcurrency: z.number().int().min(1).optional(),
  },
  { error: objectError('an alias', ALIAS_FIELDS) },
);

const FUNCTION_FIELDS = ['functionName', 'versions', 'aliases'] as const;
const functionSchema = z
  .strictObject(
    {
      functionName: requiredString('the function name, such as "orders-api"', 64),
      versions: listOf(
        versionSchema,
        'versions such as {"version": "7", "role": "arn:aws:iam::123456789012:role/orders"}',
      ).default([]),
      aliases: listOf(aliasSchema, 'aliases as GetAlias returns them').default([]),
    },
    { error: objectError('a function', FUNCTION_FIELDS) },
  )
  .superRefine((fn, ctx) => {
    duplicates(
      fn.versions.map((v) => v.version),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['versions', i],
          message: 'repeats a version; declare each once',
        }),
    );
    duplicates(
      fn.aliases.map((a) => a.Name),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['aliases', i],
          message: 'repeats an alias name; declare each once',
        }),
    );
  });

export const lambdaWorldSchema = z
  .strictObject(
    { functions: listOf(functionSchema, 'Lambda functions').default([]) },
    { error: objectError('the lambda block', ['functions']) },
  )
  .superRefine((world, ctx) => {
    duplicates(
      world.functions.map((f) => f.functionName),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['functions', i],
          message: 'repeats a function name; declare each once',
        }),
    );
  })
  .default({ functions: [] });

export type LambdaWorld = z.output<typeof lambdaWorldSchema>;
export type LambdaWorldFunction = LambdaWorld['functions'][number];
