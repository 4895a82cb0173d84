import {
  type AliasConfiguration,
  type FunctionConfiguration,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { awsErrorName, errorMessage } from '#adapters/aws/aws-errors.ts';
import type { AwsClientSource } from '#adapters/aws/client-source.ts';
import { InvalidTargetsError, RouteDriftedError, UnsupportedRouteError } from '#core/errors.ts';
import type { RouteReading, Router } from '#core/ports.ts';
import type { Target } from '#core/shapes.ts';
import { describeTargets, sameWeights } from '#core/targets.ts';
import { routeCalls, unlessAbsent } from '../route-calls.ts';
import { LAMBDA_MAX_VERSIONS, LAMBDA_VERSION, type LambdaRouterConfig, lambdaKind } from './kind.ts';
import { restPercent, toFraction, toPercent } from './weights.ts';

/** The deployment group a profile names as the one that may deploy its alias (router.codeDeploy). */
export type CodeDeployGroup = NonNullable<LambdaRouterConfig['codeDeploy']>;

/** The ids of the group's deployments that have not ended (routers/lambda/deployments.ts). */
export type ActiveDeployments = (group: CodeDeployGroup) => Promise<string[]>;

/** ListDeployments' answers for a profile that names an application or group CodeDeploy does not have. */
const NO_SUCH_GROUP = ['ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException'];

/** The alias's targets: its FunctionVersion (what the additional version leaves), then the additional one. */
export function targetsOfAlias(alias: AliasConfiguration): Target[] {
  const extra = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).map(
    ([name, fraction]): Target => ({ name, weight: toPercent(fraction) }),
  );
  return [{ name: alias.FunctionVersion ?? '', weight: restPercent(extra.map((t) => t.weight)) }, ...extra];
}

/** Every way these targets break an alias's routing, so a write is refused here rather than by Lambda. */
function aliasProblems(targets: readonly Target[]): string[] {
  const problems: string[] = [];
  if (targets.length < 1 || targets.length > LAMBDA_MAX_VERSIONS) {
    problems.push(
      `a Lambda alias routes to its version and at most one more, ${LAMBDA_MAX_VERSIONS} in all, not ${targets.length}`,
    );
  }
  const names = new Set<string>();
  for (const t of targets) {
    if (!LAMBDA_VERSION.test(String(t.name))) {
      problems.push(
        `${JSON.stringify(t.name)} is not a published version number; a weighted alias routes to versions such as "7", never $LATEST`,
      );
    } else if (names.has(t.name)) problems.push(`version ${t.name} is listed twice`);
    names.add(t.name);
    if (typeof t.weight !== 'number' || !Number.isFinite(t.weight) || t.weight < 0 || t.weight > 100) {
      problems.push(`version ${t.name} has weight ${t.weight}; an alias's shares are 0..100 percent`);
    }
    if (t.port !== undefined)
      problems.push(`version ${t.name} has port ${t.port}; a Lambda version has none`);
  }
  const sum = targets.reduce((s, t) => s + t.weight, 0);
  if (problems.length === 0 && Math.abs(sum - 100) > 1e-9) {
    problems.push(
      `the weights add up to ${sum}; an alias sends what its additional version does not take to its FunctionVersion, so they add up to 100`,
    );
  }
  return problems;
}

/**
 * The alias's FunctionVersion and routing for these targets: the version the alias already invokes keeps
 * that place while it is among them (a step leaves it the stable, only the additional weight changes),
 * else the one with the most traffic (a promotion: the new version alone).
 */
function aliasFor(targets: readonly Target[], current: string | undefined) {
  const primary =
    targets.find((t) => t.name === current) ??
    [...targets].sort((a, b) => b.weight - a.weight)[0] ??
    (targets[0] as Target);
  const additional = Object.fromEntries(
    targets.filter((t) => t !== primary).map((t) => [t.name, toFraction(t.weight)]),
  );
  return { FunctionVersion: primary.name, RoutingConfig: { AdditionalVersionWeights: additional } };
}

/**
 * A Router over a Lambda alias's weighted routing: the alias's FunctionVersion is the stable target and
 * its RoutingConfig.AdditionalVersionWeights holds the new version's share. Every UpdateAlias carries
 * the RevisionId of the reading the release checked, so a change made since fails the write
 * (PreconditionFailedException: RouteDrifted) instead of being overwritten; only FunctionVersion and
 * RoutingConfig are sent, so the description stays as it is.
 */
export function createLambdaRouter(
  client: LambdaClient,
  config: LambdaRouterConfig,
  activeDeployments?: ActiveDeployments,
): Router {
  const { functionName: FunctionName, alias: Name, codeDeploy } = config;
  const routeId = lambdaKind.routeLabel(config);
  const kept = new WeakMap<RouteReading, AliasConfiguration>();

  const call = routeCalls({
    routeId,
    notFound: ['ResourceNotFoundException'],
    missing: `Lambda has no alias "${Name}" of function "${FunctionName}"`,
    // Another operation on the function in progress (ResourceConflictException): worth retrying.
    conflicts: ['ResourceConflictException'],
  });

  async function read(): Promise<RouteReading> {
    const alias = await call('GetAlias', () => client.send(new GetAliasCommand({ FunctionName, Name })));
    if (!alias.FunctionVersion || !alias.RevisionId) {
      throw new UnsupportedRouteError(`GetAlias for ${routeId} returned no FunctionVersion or RevisionId`);
    }
    const reading: RouteReading = {
      routeId,
      ...(alias.AliasArn ? { arn: alias.AliasArn } : {}),
      targets: targetsOfAlias(alias),
      revision: alias.RevisionId,
    };
    kept.set(reading, alias);
    return reading;
  }

  /** The alias the write starts from, and the revision it is conditional on. */
  async function startingPoint(basedOn: RouteReading | undefined) {
    const known = basedOn && kept.get(basedOn);
    if (known && basedOn) return { alias: known, revision: basedOn.revision };
    const fresh = await read();
    if (basedOn && !sameWeights(fresh.targets, basedOn.targets)) {
      throw new RouteDriftedError(
        `${routeId} changed between the release's check and its write: expected ${describeTargets(basedOn.targets)}, found ${describeTargets(fresh.targets)}`,
      );
    }
    return { alias: kept.get(fresh) as AliasConfiguration, revision: basedOn?.revision ?? fresh.revision };
  }

  // A published version's configuration never changes, so Prepare's existence check and its role and
  // dead-letter comparison read each version once.
  const published = new Map<string, FunctionConfiguration>();

  /** A version's configuration; undefined when Lambda has no such version. */
  async function configuration(version: string): Promise<FunctionConfiguration | undefined> {
    const known = published.get(version);
    if (known) return known;
    try {
      const found = await client.send(
        new GetFunctionConfigurationCommand({ FunctionName, Qualifier: version }),
      );
      published.set(version, found);
      return found;
    } catch (error) {
      unlessAbsent('GetFunctionConfiguration', error, ['ResourceNotFoundException']);
      return undefined;
    }
  }

  /**
   * The provisioned concurrency requested on the alias itself, if any. Lambda answers
   * ProvisionedConcurrencyConfigNotFoundException when there is none, and ResourceNotFoundException
   * when the function or the alias is gone (API reference: GetProvisionedConcurrencyConfig), which is
   * the route not found, as for GetAlias.
   */
  async function provisionedOnAlias(): Promise<number | undefined> {
    try {
      const out = await call('GetProvisionedConcurrencyConfig', () =>
        client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: Name })),
      );
      return out.RequestedProvisionedConcurrentExecutions ?? 0;
    } catch (error) {
      if (awsErrorName(error) === 'ProvisionedConcurrencyConfigNotFoundException') return undefined;
      throw error;
    }
  }

  /**
   * Why CodeDeploy's deployment group stands in the release's way, if it does: a deployment of it not
   * yet ended may be shifting this alias, and two writers of one alias undo each other.
   */
  async function codeDeployProblem(group: CodeDeployGroup): Promise<string | undefined> {
    if (!activeDeployments) {
      throw new UnsupportedRouteError(
        `${routeId} names CodeDeploy deployment group "${group.application}/${group.deploymentGroup}", but this function was given no way to read its deployments`,
      );
    }
    const where = `CodeDeploy deployment group "${group.deploymentGroup}" of application "${group.application}"`;
    let ids: string[];
    try {
      ids = await call('ListDeployments', () => activeDeployments(group));
    } catch (error) {
      if (!NO_SUCH_GROUP.includes(awsErrorName(error))) throw error;
      return `router.codeDeploy names ${where}, which CodeDeploy does not have (${errorMessage(error)}); name the group that deploys alias "${Name}", or remove router.codeDeploy`;
    }
    if (ids.length === 0) return undefined;
    const named = ids.join(', ');
    return `${where} has ${ids.length === 1 ? 'a deployment' : 'deployments'} not yet ended (${named}) that may be shifting alias "${Name}"; wait for ${ids.length === 1 ? 'it' : 'them'} to end or stop ${ids.length === 1 ? 'it' : 'them'} (aws deploy stop-deployment --deployment-id ${ids[0]}), then release again`;
  }

  return {
    routeId,
    maxTargets: LAMBDA_MAX_VERSIONS,
    read,

    async write(targets, _idempotencyKey, basedOn) {
      const problems = aliasProblems(targets);
      if (problems.length)
        throw new InvalidTargetsError(`Refusing to write ${routeId}: ${problems.join('; ')}`);
      const { alias, revision } = await startingPoint(basedOn);
      try {
        // UpdateAlias takes no client token; the RevisionId makes it conditional instead.
        await client.send(
          new UpdateAliasCommand({
            FunctionName,
            Name,
            ...aliasFor(targets, alias.FunctionVersion),
            RevisionId: revision,
          }),
        );
      } catch (error) {
        if (awsErrorName(error) !== 'PreconditionFailedException') {
          await call('UpdateAlias', () => Promise.reject(error));
        }
        // A retried write whose first attempt landed finds the alias as it wanted it: done. Anything
        // else is someone else's change since the reading, which stays as they left it.
        const now = await read();
        if (sameWeights(now.targets, targets)) return now;
        throw new RouteDriftedError(
          `${routeId} changed since the release read it (revision ${revision}): UpdateAlias was refused (${errorMessage(error)}); found ${describeTargets(now.targets)}, left as it is`,
        );
      }
      return read();
    },

    /**
     * Lambda's conditions for an alias that routes to two versions (developer guide, "Implement
     * Lambda canary deployments using a weighted alias"): no $LATEST, the same execution role, the same
     * dead-letter queue or none; and no provisioned concurrency on the alias itself, which Lambda does
     * not allow beside weights (PutProvisionedConcurrencyConfig). stepshift leaves provisioned
     * concurrency alone: it allocates none for the new version.
     */
    async releaseProblems(reading, canary) {
      const alias = kept.get(reading) ?? { FunctionVersion: reading.targets[0]?.name };
      const stable = alias.FunctionVersion;
      const problems: string[] = [];
      if (stable === '$LATEST') {
        problems.push(
          `alias "${Name}" invokes $LATEST, and Lambda splits an alias's traffic only between published versions; point it at the version now live (aws lambda update-alias --function-name ${FunctionName} --name ${Name} --function-version <number>) and release again`,
        );
      } else if (stable !== undefined && LAMBDA_VERSION.test(canary)) {
        const [from, to] = await Promise.all([configuration(stable), configuration(canary)]);
        if (from && to && from.Role !== to.Role) {
          problems.push(
            `versions ${stable} and ${canary} run as different execution roles (${from.Role}, ${to.Role}), and Lambda splits an alias's traffic only between versions with the same role; publish ${canary} with ${stable}'s role`,
          );
        }
        const dlq = (c: FunctionConfiguration) => c.DeadLetterConfig?.TargetArn ?? 'none';
        if (from && to && dlq(from) !== dlq(to)) {
          problems.push(
            `versions ${stable} and ${canary} have different dead-letter queues (${dlq(from)}, ${dlq(to)}), and Lambda splits an alias's traffic only between versions with the same one; publish ${canary} with ${stable}'s dead-letter configuration`,
          );
        }
      }
      const deployment = codeDeploy && (await codeDeployProblem(codeDeploy));
      if (deployment) problems.push(deployment);
      const provisioned = await provisionedOnAlias();
      if (provisioned !== undefined) {
        problems.push(
          `alias "${Name}" has provisioned concurrency (${provisioned}), which Lambda does not allow on an alias that routes to two versions; move it to the versions (put-provisioned-concurrency-config --qualifier <version>) or remove it from the alias, then release again`,
        );
      }
      return problems;
    },

    async targetExists(version) {
      return LAMBDA_VERSION.test(version) && (await configuration(version)) !== undefined;
    },

    async targetNames() {
      // ListVersionsByFunction pages by Marker, at most 50 versions a page, $LATEST among them
      // (Lambda API reference); an alias routes only to published versions.
      const versions: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await call('ListVersionsByFunction', () =>
          client.send(new ListVersionsByFunctionCommand({ FunctionName, ...(Marker ? { Marker } : {}) })),
        );
        for (const v of page.Versions ?? [])
          if (v.Version && LAMBDA_VERSION.test(v.Version)) versions.push(v.Version);
        Marker = page.NextMarker ?? undefined;
      } while (Marker);
      return versions;
    },
  };
}

/** The Lambda alias router over the functions' SDK clients; routers/adapters.ts imports this module on first use. */
export function lambdaRouterOver(
  aws: AwsClientSource,
  config: LambdaRouterConfig,
  activeDeployments?: ActiveDeployments,
): Router {
  return createLambdaRouter(aws.client(LambdaClient), config, activeDeployments);
}
