import { SIMULATED_ACCOUNT } from '../../sim/account.ts';
import { uidFor } from '../../sim/ids.ts';
import { type Json, ServiceError } from '../../sim/service.ts';
import type { LambdaWorld, LambdaWorldFunction } from './world.ts';

/** An alias as the simulated Lambda holds it: GetAlias's fields, its revision count, its provisioned concurrency. */
interface AliasState {
  Name: string;
  FunctionVersion: string;
  AdditionalVersionWeights: Record<string, number>;
  Description: string;
  RevisionId: string;
  /** Updates since the rehearsal started, the release's and a person's. */
  updates: number;
  readonly provisionedConcurrency?: number | undefined;
}

interface FunctionState {
  readonly name: string;
  readonly versions: LambdaWorldFunction['versions'];
  readonly aliases: Map<string, AliasState>;
}

/** An alias as the report's final routes show it. */
export interface FinalAlias {
  readonly key: string;
  readonly fields: Json;
  readonly weights: Record<string, number>;
  readonly updates: number;
}

/** What UpdateAlias may change: the fields a request carries, the others stay. */
export interface AliasUpdate {
  readonly FunctionVersion?: unknown;
  readonly RoutingConfig?: unknown;
  readonly Description?: unknown;
  readonly RevisionId?: unknown;
}

// FunctionName as Lambda takes it: a name, a partial ARN or an ARN (API reference: GetAlias).
const FUNCTION_NAME =
  /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]{1,64})$/;

const invalid = (message: string) => new ServiceError('InvalidParameterValueException', 400, message);

/**
 * Lambda's functions, versions and aliases: GetAlias, UpdateAlias (validated as Lambda does, conditional
 * on RevisionId), GetFunctionConfiguration and GetProvisionedConcurrencyConfig. The hook functions'
 * Invoke is another model's (rehearsal/services/lambda/), on the same wire.
 */
export class LambdaAliasModel {
  readonly #functions = new Map<string, FunctionState>();

  constructor(world: LambdaWorld) {
    for (const fn of world.functions) {
      const aliases = new Map<string, AliasState>();
      for (const a of fn.aliases) {
        aliases.set(a.Name, {
          Name: a.Name,
          FunctionVersion: a.FunctionVersion,
          AdditionalVersionWeights: { ...a.RoutingConfig.AdditionalVersionWeights },
          Description: a.Description,
          RevisionId: uidFor(`lambda/${fn.functionName}/${a.Name}/0`),
          updates: 0,
          provisionedConcurrency: a.provisionedConcurrency,
        });
      }
      this.#functions.set(fn.functionName, { name: fn.functionName, versions: fn.versions, aliases });
    }
  }

  #function(given: unknown, region: string): FunctionState {
    const name = FUNCTION_NAME.exec(String(given))?.[1];
    const fn = name === undefined ? undefined : this.#functions.get(name);
    if (!fn) {
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${functionArn(region, name ?? String(given))}`,
      );
    }
    return fn;
  }

  #alias(input: Json, region: string): { fn: FunctionState; alias: AliasState } {
    const fn = this.#function(input.FunctionName, region);
    const alias = fn.aliases.get(String(input.Name));
    if (!alias) {
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Alias not found: ${functionArn(region, fn.name)}:${String(input.Name)}`,
      );
    }
    return { fn, alias };
  }

  getAlias(input: Json, region: string): Json {
    const { fn, alias } = this.#alias(input, region);
    return configurationOf(fn.name, alias, region);
  }

  /** UpdateAlias: the release's call, or a person's (operator edit-alias), validated alike. */
  updateAlias(input: Json & AliasUpdate, region: string): Json {
    const { fn, alias } = this.#alias(input, region);
    // "The RevisionId provided does not match the latest RevisionId" (UpdateAlias errors).
    if (input.RevisionId !== undefined && input.RevisionId !== alias.RevisionId) {
      throw new ServiceError(
        'PreconditionFailedException',
        412,
        'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id',
      );
    }
    const version =
      input.FunctionVersion === undefined ? alias.FunctionVersion : String(input.FunctionVersion);
    const weights =
      input.RoutingConfig === undefined
        ? alias.AdditionalVersionWeights
        : (((input.RoutingConfig as Json).AdditionalVersionWeights ?? {}) as Record<string, number>);
    this.#validate(fn, region, version, weights, alias.provisionedConcurrency);
    alias.FunctionVersion = version;
    alias.AdditionalVersionWeights = { ...weights };
    if (input.Description !== undefined) alias.Description = String(input.Description);
    alias.updates += 1;
    alias.RevisionId = uidFor(`lambda/${fn.name}/${alias.Name}/${alias.updates}`);
    return configurationOf(fn.name, alias, region);
  }

  /** Lambda's conditions on an alias's routing (developer guide: weighted aliases; AliasRoutingConfiguration). */
  #validate(
    fn: FunctionState,
    region: string,
    version: string,
    weights: Record<string, number>,
    provisioned: number | undefined,
  ): void {
    const entries = Object.entries(weights);
    const known = (v: string) => v === '$LATEST' || fn.versions.some((x) => x.version === v);
    for (const v of [version, ...entries.map(([k]) => k)]) {
      if (!known(v)) {
        throw new ServiceError(
          'ResourceNotFoundException',
          404,
          `Function not found: ${functionArn(region, fn.name)}:${v}`,
        );
      }
    }
    if (entries.length > 1) {
      throw new ServiceError(
        'ValidationException',
        400,
        "1 validation error detected: Value at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Member must have length less than or equal to 1",
      );
    }
    for (const [, w] of entries) {
      if (typeof w !== 'number' || !(w >= 0 && w <= 1)) {
        throw new ServiceError(
          'ValidationException',
          400,
          `1 validation error detected: Value ${String(w)} at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]`,
        );
      }
    }
    const [extra] = entries;
    if (!extra) return;
    if (extra[0] === version)
      throw invalid("Additional version weights cannot name the alias's own FunctionVersion");
    if (version === '$LATEST' || extra[0] === '$LATEST') {
      throw invalid('$LATEST is not supported for an alias pointing to more than 1 version');
    }
    const a = fn.versions.find((x) => x.version === version);
    const b = fn.versions.find((x) => x.version === extra[0]);
    if (a?.role !== b?.role)
      throw invalid('Both versions of a weighted alias must have the same execution role');
    if (a?.deadLetterTargetArn !== b?.deadLetterTargetArn) {
      throw invalid('Both versions of a weighted alias must have the same dead-letter queue configuration');
    }
    if (provisioned !== undefined)
      throw invalid('Alias with weights can not be used with Provisioned Concurrency');
  }

  getFunctionConfiguration(input: Json, region: string): Json {
    const fn = this.#function(input.FunctionName, region);
    const qualifier = input.Qualifier === undefined ? '$LATEST' : String(input.Qualifier);
    const found =
      qualifier === '$LATEST' ? fn.versions.at(-1) : fn.versions.find((v) => v.version === qualifier);
    if (!found) {
      throw new ServiceError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${functionArn(region, fn.name)}:${qualifier}`,
      );
    }
    return {
      FunctionName: fn.name,
      FunctionArn: `${functionArn(region, fn.name)}:${qualifier}`,
      Version: qualifier,
      Role: found.role,
      State: 'Active',
      LastUpdateStatus: 'Successful',
      ...(found.description === undefined ? {} : { Description: found.description }),
      ...(found.deadLetterTargetArn === undefined
        ? {}
        : { DeadLetterConfig: { TargetArn: found.deadLetterTargetArn } }),
    };
  }

  /** ListVersionsByFunction: $LATEST and every published version, on one page. */
  listVersionsByFunction(input: Json, region: string): Json {
    const fn = this.#function(input.FunctionName, region);
    return {
      Versions: ['$LATEST', ...fn.versions.map((v) => v.version)].map((version) => ({
        FunctionName: fn.name,
        FunctionArn: `${functionArn(region, fn.name)}:${version}`,
        Version: version,
      })),
    };
  }

  /** GetProvisionedConcurrencyConfig of an alias or a version; none configured is a 404. */
  getProvisionedConcurrencyConfig(input: Json, region: string): Json {
    const fn = this.#function(input.FunctionName, region);
    const qualifier = String(input.Qualifier);
    const requested =
      fn.aliases.get(qualifier)?.provisionedConcurrency ??
      fn.versions.find((v) => v.version === qualifier)?.provisionedConcurrency;
    if (requested === undefined) {
      throw new ServiceError(
        'ProvisionedConcurrencyConfigNotFoundException',
        404,
        `No Provisioned Concurrency Config found for this function: ${functionArn(region, fn.name)}:${qualifier}`,
      );
    }
    return {
      RequestedProvisionedConcurrentExecutions: requested,
      AllocatedProvisionedConcurrentExecutions: requested,
      AvailableProvisionedConcurrentExecutions: requested,
      Status: 'READY',
    };
  }

  /** The weights of an alias, version -> percent, as Lambda routes it; empty when the world has none. */
  weightsOf(functionName: string, aliasName: string): Record<string, number> {
    const name = FUNCTION_NAME.exec(functionName)?.[1] ?? functionName;
    const alias = this.#functions.get(name)?.aliases.get(aliasName);
    return alias ? weightsOf(alias) : {};
  }

  /** Whether the world has this function's alias (a person's edit must name one). */
  has(functionName: string, aliasName: string): boolean {
    return this.#functions.get(functionName)?.aliases.has(aliasName) ?? false;
  }

  /** Every alias, function by function in the world's order. */
  final(region: string): FinalAlias[] {
    return [...this.#functions.values()].flatMap((fn) =>
      [...fn.aliases.values()].map((alias) => ({
        key: `${fn.name}:${alias.Name}`,
        fields: configurationOf(fn.name, alias, region),
        weights: weightsOf(alias),
        updates: alias.updates,
      })),
    );
  }
}

function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${SIMULATED_ACCOUNT}:function:${name}`;
}

/** An alias as GetAlias and UpdateAlias return it (AliasConfiguration). */
function configurationOf(fn: string, alias: AliasState, region: string): Json {
  return {
    AliasArn: `${functionArn(region, fn)}:${alias.Name}`,
    Name: alias.Name,
    FunctionVersion: alias.FunctionVersion,
    Description: alias.Description,
    RoutingConfig: { AdditionalVersionWeights: { ...alias.AdditionalVersionWeights } },
    RevisionId: alias.RevisionId,
  };
}

/** Version -> percent, the FunctionVersion taking what the additional version leaves. */
function weightsOf(alias: AliasState): Record<string, number> {
  const extra = Object.entries(alias.AdditionalVersionWeights).map(
    ([v, w]) => [v, Number((w * 100).toFixed(10))] as const,
  );
  const rest = Number((100 - extra.reduce((s, [, p]) => s + p, 0)).toFixed(10));
  return { [alias.FunctionVersion]: rest, ...Object.fromEntries(extra) };
}
