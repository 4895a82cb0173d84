import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  ResourceNotFoundException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidTargetsError, RouteDriftedError, RouteNotFoundError } from '#core/errors.ts';
import { createLambdaRouter } from '#routers/lambda/router.ts';
import { restPercent, toFraction, toPercent } from '#routers/lambda/weights.ts';

const lambda = mockClient(LambdaClient);
const meta = { $metadata: {} };
const router = () =>
  createLambdaRouter(new LambdaClient({ region: 'us-east-1' }), {
    type: 'lambda',
    functionName: 'orders-api',
    alias: 'live',
  });
const alias = (weights: Record<string, number> = {}, revision = 'rev-1') => ({
  AliasArn: 'arn:aws:lambda:us-east-1:111122223333:function:orders-api:live',
  Name: 'live',
  FunctionVersion: '6',
  Description: 'production',
  RoutingConfig: { AdditionalVersionWeights: weights },
  RevisionId: revision,
});

beforeEach(() => lambda.reset());

describe('percent <-> fraction', () => {
  it.each([
    [1, 0.01],
    [10, 0.1],
    [50, 0.5],
    [99, 0.99],
    [100, 1],
  ])('%i%% goes out as %d and reads back as the same percent', (percent, fraction) => {
    expect(toFraction(percent)).toBe(fraction);
    expect(toPercent(fraction)).toBe(percent);
    expect(restPercent([toPercent(fraction)])).toBe(100 - percent);
  });

  it('round-trips every whole percent exactly, and a fraction a person wrote by hand', () => {
    for (let p = 0; p <= 100; p++) expect(toPercent(toFraction(p))).toBe(p);
    // 0.07 * 100 is 7.000000000000001 in binary; the read gives back the 7 that was written.
    expect(0.07 * 100).not.toBe(7);
    expect(toPercent(0.07)).toBe(7);
    expect(toFraction(toPercent(0.075))).toBe(0.075);
  });
});

describe('the Lambda router: conditional writes', () => {
  it('reads the alias as its FunctionVersion and the additional version, 1% and 99% exactly', async () => {
    lambda.on(GetAliasCommand).resolves(alias({ '7': 0.01 }));
    expect((await router().read()).targets).toEqual([
      { name: '6', weight: 99 },
      { name: '7', weight: 1 },
    ]);
    lambda.on(GetAliasCommand).resolves(alias({ '7': 0.99 }));
    expect((await router().read()).targets).toEqual([
      { name: '6', weight: 1 },
      { name: '7', weight: 99 },
    ]);
  });

  it("sends the checked reading's RevisionId, the fraction, and neither the description nor anything else", async () => {
    lambda
      .on(GetAliasCommand)
      .resolvesOnce(alias())
      .resolves(alias({ '7': 0.1 }, 'rev-2'));
    lambda.on(UpdateAliasCommand).resolves(alias({ '7': 0.1 }, 'rev-2'));
    const r = router();
    const snapshot = await r.read();

    const after = await r.write(
      [
        { name: '6', weight: 90 },
        { name: '7', weight: 10 },
      ],
      'exec:step:0',
      snapshot,
    );

    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'orders-api',
      Name: 'live',
      FunctionVersion: '6',
      RoutingConfig: { AdditionalVersionWeights: { '7': 0.1 } },
      RevisionId: 'rev-1',
    });
    expect(after.targets).toEqual([
      { name: '6', weight: 90 },
      { name: '7', weight: 10 },
    ]);
  });

  it('promotes to the new version alone, with no additional weights', async () => {
    lambda.on(GetAliasCommand).resolves(alias({ '7': 0.5 }));
    lambda.on(UpdateAliasCommand).resolves({});
    const r = router();
    await r.write([{ name: '7', weight: 100 }], 'exec:promote', await r.read());
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input).toMatchObject({
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
  });

  it("ends RouteDrifted on PreconditionFailedException, leaving a person's change as it is", async () => {
    lambda
      .on(GetAliasCommand)
      .resolvesOnce(alias())
      .resolves(alias({ '7': 0.5 }, 'rev-person'));
    lambda
      .on(UpdateAliasCommand)
      .rejects(
        new PreconditionFailedException({ message: 'The Revision Id provided does not match', ...meta }),
      );
    const r = router();
    const snapshot = await r.read();

    await expect(
      r.write(
        [
          { name: '6', weight: 90 },
          { name: '7', weight: 10 },
        ],
        'exec:step:0',
        snapshot,
      ),
    ).rejects.toBeInstanceOf(RouteDriftedError);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(1);
  });

  it('takes a retried write whose first attempt landed as done (the stale RevisionId finds the weights wanted)', async () => {
    lambda
      .on(GetAliasCommand)
      .resolvesOnce(alias())
      .resolves(alias({ '7': 0.1 }, 'rev-2'));
    lambda
      .on(UpdateAliasCommand)
      .rejects(
        new PreconditionFailedException({ message: 'The Revision Id provided does not match', ...meta }),
      );
    const r = router();
    const after = await r.write(
      [
        { name: '6', weight: 90 },
        { name: '7', weight: 10 },
      ],
      'exec:step:0',
      await r.read(),
    );
    expect(after.revision).toBe('rev-2');
  });

  it('refuses what an alias cannot hold before calling Lambda: $LATEST, three versions, weights not adding up to 100', async () => {
    lambda.on(GetAliasCommand).resolves(alias());
    const r = router();
    for (const targets of [
      [
        { name: '6', weight: 90 },
        { name: '$LATEST', weight: 10 },
      ],
      [
        { name: '5', weight: 80 },
        { name: '6', weight: 10 },
        { name: '7', weight: 10 },
      ],
      [
        { name: '6', weight: 90 },
        { name: '7', weight: 20 },
      ],
    ]) {
      await expect(r.write(targets, 'exec:step:0')).rejects.toBeInstanceOf(InvalidTargetsError);
    }
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});

describe("Prepare's reads of the versions", () => {
  it('reads each published version once: the existence check and the role comparison share it', async () => {
    lambda.on(GetAliasCommand).resolves({ ...meta, ...alias() });
    lambda.on(GetFunctionConfigurationCommand).callsFake((input: { Qualifier?: string }) => ({
      ...meta,
      Version: input.Qualifier,
      Role: 'arn:aws:iam::111122223333:role/orders',
    }));
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(new ProvisionedConcurrencyConfigNotFoundException({ $metadata: {}, message: 'none' }));
    const r = router();
    const reading = await r.read();
    expect(await r.targetExists('7')).toBe(true);
    expect(await r.releaseProblems?.(reading, '7')).toEqual([]);
    const qualifiers = lambda
      .commandCalls(GetFunctionConfigurationCommand)
      .map((c) => c.args[0].input.Qualifier);
    expect(qualifiers.sort()).toEqual(['6', '7']);
  });
});

describe("Prepare's look at the alias's provisioned concurrency", () => {
  it('takes a missing function or alias as the route not found, not as an unexplained AWS error', async () => {
    lambda.on(GetAliasCommand).resolves({ ...meta, ...alias() });
    lambda.on(GetFunctionConfigurationCommand).resolves({
      ...meta,
      Role: 'arn:aws:iam::111122223333:role/orders',
    });
    // Lambda's answer when the function (or the alias) is gone since the read (API reference:
    // GetProvisionedConcurrencyConfig errors).
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'Function not found' }));
    const r = router();
    const reading = await r.read();

    const refused = r.releaseProblems?.(reading, '7');

    await expect(refused).rejects.toBeInstanceOf(RouteNotFoundError);
    await expect(refused).rejects.toThrow(
      'GetProvisionedConcurrencyConfig: Lambda has no alias "live" of function "orders-api" (Function not found); check the profile\'s router block',
    );
  });
});
