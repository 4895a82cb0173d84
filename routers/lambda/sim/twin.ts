import type { AppMeshExample, Twin } from '../../sim/router-simulator.ts';
import type { Json } from '../../sim/service.ts';

/**
 * How an App Mesh example is written for a Lambda alias (scripts/router-twins.ts writes
 * examples/lambda/twins/ with it). A virtual node "orders-v2" is version 2 of the function orders-api
 * and the request's "v2" is "2" (a published version is a number, so the example's names must end in
 * one: no other name is guessed); the route is the alias live, invoking the version serving traffic,
 * the others' shares as AdditionalVersionWeights; a person's edit-route is their UpdateAlias
 * (edit-alias); metric checks read Lambda's own metrics by ExecutedVersion; CodeDeploy configurations
 * are Lambda's. An alias cannot route by header, so blue/green and A/B have no twin; nor has an example
 * that waits for an ECS service to be ready (a published version is ready when published).
 */

const FUNCTION = 'orders-api';
const ALIAS = 'live';
const ROLE = 'arn:aws:iam::123456789012:role/orders';

/** The published version a name ending in "v<number>" stands for: "orders-v2" -> "2", "v2" -> "2". */
function versionOf(name: string): string {
  const version = /(?:^|-)v([0-9]{1,10})$/.exec(name)?.[1];
  if (version === undefined) {
    throw new Error(`"${name}" names no published version; a Lambda twin needs names ending in v<number>`);
  }
  return version;
}

/** An alias's FunctionVersion and routing for weights (relative, as App Mesh's), version -> weight. */
function routingOf(weights: Readonly<Record<string, number>>, current?: string) {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  // The version the alias invokes keeps that place while it serves traffic; else the one with the most.
  const primary =
    entries.find(([v]) => v === current)?.[0] ?? [...entries].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  return {
    FunctionVersion: primary,
    RoutingConfig: {
      AdditionalVersionWeights: Object.fromEntries(
        // A share as a fraction (10 of 100 -> 0.1), one division, so the same double as the decimal.
        entries.filter(([v]) => v !== primary).map(([v, w]) => [v, w / total]),
      ),
    },
  };
}

const byVersion = (weights: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(weights).map(([node, w]) => [versionOf(node), w]));

/** Lambda's metrics for an App Mesh example's own (CloudWatch User Guide: Lambda function metrics). */
const METRIC_NAMES: Readonly<Record<string, string>> = {
  Latency: 'Duration',
  HTTP5xx: 'Errors',
  Requests: 'Invocations',
};

/** A metric query on a target ({canary}, {stable}) as Lambda's metric of that version behind the alias. */
function lambdaQuery(query: Json): Json {
  const stat = query.MetricStat as { Metric: Json } | undefined;
  const dimensions = (stat?.Metric.Dimensions ?? []) as { Name: string; Value: string }[];
  const target = dimensions.find((d) => d.Value === '{canary}' || d.Value === '{stable}');
  if (!stat || !target) return query;
  const name = String(stat.Metric.MetricName);
  return {
    ...query,
    MetricStat: {
      ...stat,
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: METRIC_NAMES[name] ?? name,
        // The alias's invocations by the version that ran them (Lambda's ExecutedVersion dimension).
        Dimensions: [
          { Name: 'FunctionName', Value: FUNCTION },
          { Name: 'Resource', Value: `${FUNCTION}:${ALIAS}` },
          { Name: 'ExecutedVersion', Value: target.Value },
        ],
      },
    },
  };
}

/** CodeDeploy's Lambda configuration for its ECS one of the same routing (CodeDeploy User Guide). */
const CODEDEPLOY: Readonly<Record<string, string>> = {
  'CodeDeployDefault.ECSAllAtOnce': 'CodeDeployDefault.LambdaAllAtOnce',
  'CodeDeployDefault.ECSCanary10Percent5Minutes': 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  'CodeDeployDefault.ECSCanary10Percent15Minutes': 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
  'CodeDeployDefault.ECSLinear10PercentEvery1Minutes': 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
  'CodeDeployDefault.ECSLinear10PercentEvery3Minutes': 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
};

function profileOf(profile: Json): Json {
  const strategy = profile.strategy as Json;
  const analysis = profile.analysis as Json | undefined;
  const metrics = analysis?.metrics as Json[] | undefined;
  return {
    ...profile,
    router: { type: 'lambda', functionName: FUNCTION, alias: ALIAS },
    targets: { ...(profile.targets as Json), canary: '{version}' },
    ...(strategy.type === 'codedeploy' && typeof strategy.config === 'string'
      ? { strategy: { ...strategy, config: CODEDEPLOY[strategy.config] ?? strategy.config } }
      : {}),
    ...(metrics
      ? {
          analysis: {
            ...analysis,
            metrics: metrics.map((m) => ({ ...m, queries: (m.queries as Json[]).map(lambdaQuery) })),
          },
        }
      : {}),
  };
}

/** A person's edit-route as their UpdateAlias; a second release's request names its version; others as they are. */
function operatorAction(action: Json, edit: Json | undefined): Json {
  if (action.action === 'edit-route' && edit) {
    return { at: action.at, action: 'edit-alias', functionName: FUNCTION, alias: ALIAS, update: edit };
  }
  const request = action.request as Json | undefined;
  if (action.action === 'start-release' && typeof request?.version === 'string') {
    return { ...action, request: { ...request, version: versionOf(request.version) } };
  }
  return action;
}

export const lambdaTwin: Twin = {
  title: 'Lambda',
  // Beside the hand-written Lambda examples (examples/lambda/), apart from them.
  folder: 'lambda/twins',
  skip: (example) => {
    const profile = example.profile as Json;
    const type = (profile.strategy as Json).type;
    if (type === 'blue-green' || type === 'ab') {
      return `${type === 'ab' ? 'an A/B' : 'a blue/green'} release sends its first traffic by a header, and a Lambda alias routes by weight alone`;
    }
    if ((profile.targets as Json).ecsService !== undefined) {
      return "it waits for the new version's ECS service to be ready, and a published Lambda version has none";
    }
    return undefined;
  },
  target: versionOf,
  event: (name) => (name === 'operator.edit-route' ? 'operator.edit-alias' : name),
  write: ({ example, weights, virtualNodes, edits }: AppMeshExample) => {
    const world = example.world as Json;
    const alias = routingOf(byVersion(weights));
    const updates = edits.map((e) => routingOf(byVersion(e.weights), alias.FunctionVersion));
    let edit = 0;
    const operator = (world.operator as Json[] | undefined)?.map((a) =>
      operatorAction(a, a.action === 'edit-route' ? updates[edit++] : undefined),
    );
    const codedeploy = world.codedeploy as { configs?: Json[] } | undefined;
    return {
      example: {
        ...example,
        profile: profileOf(example.profile as Json),
        request: {
          ...(example.request as Json),
          version: versionOf(String((example.request as Json).version)),
        },
        world: {
          lambda: {
            functions: [
              {
                functionName: FUNCTION,
                versions: virtualNodes.map((node) => ({ version: versionOf(node), role: ROLE })),
                aliases: [{ Name: ALIAS, ...alias, Description: 'production' }],
              },
            ],
          },
          ...world,
          ...(codedeploy?.configs
            ? {
                codedeploy: {
                  ...codedeploy,
                  configs: codedeploy.configs.map((c) =>
                    c.computePlatform === 'ECS' ? { ...c, computePlatform: 'Lambda' } : c,
                  ),
                },
              }
            : {}),
          ...(operator ? { operator } : {}),
        },
      },
      notes: [
        `Its virtual nodes ${virtualNodes.join(', ')} are versions ${virtualNodes.map(versionOf).join(', ')} of the function ${FUNCTION}, released through its alias ${ALIAS}.`,
        ...(edits.length ? ["The person's edit-route is their UpdateAlias of the alias (edit-alias)."] : []),
      ],
    };
  },
  operations: {
    DescribeRoute: 'GetAlias',
    UpdateRoute: 'UpdateAlias',
    DescribeVirtualNode: 'GetFunctionConfiguration',
  },
  errors: {
    TooManyRequestsException: 'TooManyRequestsException',
    AccessDeniedException: 'AccessDeniedException',
    InternalServerErrorException: 'ServiceException',
  },
};
