import { describe, expect, it } from 'vitest';
import { LambdaAliasModel } from '#routers/lambda/sim/model.ts';
import { lambdaWorldSchema } from '#routers/lambda/sim/world.ts';
import type { ServiceError } from '#routers/sim/service.ts';

const ROLE = 'arn:aws:iam::123456789012:role/orders';
const model = () =>
  new LambdaAliasModel(
    lambdaWorldSchema.parse({
      functions: [
        {
          functionName: 'orders-api',
          versions: [
            { version: '5', role: ROLE },
            { version: '6', role: ROLE },
            { version: '7', role: ROLE },
            { version: '8', role: 'arn:aws:iam::123456789012:role/other' },
            { version: '9', role: ROLE, deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
          ],
          aliases: [{ Name: 'live', FunctionVersion: '6', Description: 'production' }],
        },
      ],
    }),
  );
const update = (m: LambdaAliasModel, fields: Record<string, unknown>) =>
  m.updateAlias({ FunctionName: 'orders-api', Name: 'live', ...fields }, 'us-east-1');
const refusal = (m: LambdaAliasModel, fields: Record<string, unknown>) => {
  try {
    update(m, fields);
  } catch (error) {
    return `${(error as ServiceError).name}: ${(error as ServiceError).message}`;
  }
  return 'accepted';
};
const weights = (w: Record<string, number>) => ({ RoutingConfig: { AdditionalVersionWeights: w } });

describe('the simulated Lambda: UpdateAlias as Lambda validates it', () => {
  it('gives a new RevisionId on every update and refuses a stale one (PreconditionFailedException)', () => {
    const m = model();
    const first = m.getAlias({ FunctionName: 'orders-api', Name: 'live' }, 'us-east-1').RevisionId;
    const after = update(m, { RevisionId: first, ...weights({ '7': 0.1 }) });
    expect(after.RevisionId).not.toBe(first);
    expect(refusal(m, { RevisionId: first, ...weights({ '7': 0.2 }) })).toMatch(
      /^PreconditionFailedException/,
    );
    expect(m.weightsOf('orders-api', 'live')).toEqual({ '6': 90, '7': 10 });
  });

  it.each([
    [
      'two additional versions',
      weights({ '5': 0.1, '7': 0.1 }),
      /^ValidationException: .*length less than or equal to 1/,
    ],
    ['a weight above 1.0', weights({ '7': 1.5 }), /^ValidationException: .*less than or equal to 1\.0/],
    ['a negative weight', weights({ '7': -0.1 }), /^ValidationException/],
    [
      '$LATEST with weights',
      { FunctionVersion: '$LATEST', ...weights({ '7': 0.1 }) },
      /\$LATEST is not supported/,
    ],
    [
      'a version that does not exist',
      weights({ '12': 0.1 }),
      /^ResourceNotFoundException: Function not found: .*:12$/,
    ],
    ['another execution role', weights({ '8': 0.1 }), /same execution role/],
    ['another dead-letter queue', weights({ '9': 0.1 }), /same dead-letter queue/],
  ])('refuses %s', (_what, fields, expected) => {
    const m = model();
    expect(refusal(m, fields)).toMatch(expected);
    expect(m.weightsOf('orders-api', 'live')).toEqual({ '6': 100 });
  });

  it('accepts 0.0 and 1.0, and keeps the description when the update does not carry one', () => {
    const m = model();
    expect(refusal(m, weights({ '7': 0 }))).toBe('accepted');
    expect(refusal(m, weights({ '7': 1 }))).toBe('accepted');
    expect(m.getAlias({ FunctionName: 'orders-api', Name: 'live' }, 'us-east-1').Description).toBe(
      'production',
    );
  });
});
