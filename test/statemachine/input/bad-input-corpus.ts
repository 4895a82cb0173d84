import { readFileSync } from 'node:fs';
import type { healthyScenarioInput } from '../../support/scenarios.ts';

/**
 * The bad-input corpus: malformed release requests, profiles and trigger payloads, each with the
 * words of the one sentence Prepare must refuse it with. Every case starts from
 * examples/canary-healthy.json (ECR pushes from the profile of examples/triggers/ecr-push.json) and
 * changes one thing.
 */
export type Input = ReturnType<typeof healthyScenarioInput>;
export type Kind = 'request' | 'profile' | 'trigger payload';

export interface BadInput {
  readonly label: string;
  readonly kind: Kind;
  readonly change: (s: Input) => void;
  /** A fragment of the error message naming the field and the problem. */
  readonly expected: string;
}

const triggers = new URL('../../../examples/triggers/', import.meta.url);
const example = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, triggers), 'utf8'));

/** Replaces the execution input with `value`, whatever its type. */
const input = (value: unknown) => (s: Input) => {
  (s as { request: unknown }).request = value;
};
/** A console request: the service and version of the healthy example, plus `fields`. */
const request = (fields: Record<string, unknown>) => input({ service: 'orders', version: 'v2', ...fields });
/** A request whose overrides replace the profile's strategy for this release. */
const strategyOverride = (strategy: Record<string, unknown>) =>
  request({ overrides: { strategy: { type: 'canary', steps: [10, 25, 50], interval: '5m', ...strategy } } });
/** A request whose overrides replace the profile's analysis for this release. */
const analysisOverride = (analysis: Record<string, unknown>) =>
  request({ overrides: { analysis: { alarms: ['orders-5xx'], ...analysis } } });
/** The profile with `fields` replaced. */
const profile = (fields: Record<string, unknown>) => (s: Input) => {
  Object.assign(s.profile, fields);
};
const router = (fields: Record<string, unknown>) => (s: Input) => {
  Object.assign(s.profile.router as object, fields);
};
/** The profile with one preRollout webhook at `url`, with `fields`. */
const webhookAt = (url: string, fields: Record<string, unknown> = {}) =>
  profile({ hooks: [{ name: 'smoke', phase: 'preRollout', type: 'webhook', url, ...fields }] });
const NOT_PUBLIC = 'a webhook must be a public HTTPS endpoint';

/** The "Release Requested" envelope of examples/triggers/, `change`d. */
const releaseRequested =
  (change: (event: Record<string, unknown>) => void) =>
  (s: Input): void => {
    const event = example('eventbridge-release-requested').request;
    change(event);
    input(event)(s);
  };
/** The "ECR Image Action" envelope of examples/triggers/ecr-push.json and its profile, `change`d. */
const ecrPush =
  (change: (event: Record<string, unknown> & { detail: Record<string, unknown> }) => void) =>
  (s: Input): void => {
    const { profile: ecrProfile, request: event } = example('ecr-push');
    change(event);
    s.profile = ecrProfile;
    input(event)(s);
  };
/** The PublishVersion event of examples/triggers/lambda-publish.json, its profile and world, `change`d. */
const lambdaPublish =
  (change: (event: Record<string, unknown> & { detail: Record<string, unknown> }) => void) =>
  (s: Input): void => {
    const { profile: lambdaProfile, request: event, world } = example('lambda-publish');
    change(event);
    s.profile = lambdaProfile;
    s.world.lambda = world.lambda;
    s.world.alarms = world.alarms;
    input(event)(s);
  };
/** The CodePipeline Literal input of examples/triggers/, `change`d. */
const codePipeline =
  (change: (literal: Record<string, unknown>) => void) =>
  (s: Input): void => {
    const literal = example('codepipeline-literal').request;
    change(literal);
    input(literal)(s);
  };

/** examples/lambda/canary-healthy.json's profile, request and world.lambda, `change`d (its world's function). */
type LambdaFunction = {
  versions: Record<string, unknown>[];
  aliases: (Record<string, unknown> & {
    RoutingConfig: { AdditionalVersionWeights: Record<string, number> };
  })[];
};
const lambdaRelease =
  (change: (fn: LambdaFunction, s: Input) => void) =>
  (s: Input): void => {
    const release = JSON.parse(
      readFileSync(new URL('../../../examples/lambda/canary-healthy.json', import.meta.url), 'utf8'),
    );
    s.profile = release.profile;
    s.request = release.request;
    s.world.lambda = release.world.lambda;
    s.world.alarms = release.world.alarms;
    change(release.world.lambda.functions[0], s);
  };
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/orders-other';

const RELEASE_ID = 'is not a release id; use 1..64 letters, digits, "-" or "_"';
const VERSION_NAME =
  'cannot name a target; use letters, digits, ".", "_" and "-", starting with a letter or digit';
const SERVICE = 'give the service to release, such as "orders"';
const VERSION = 'give the version to release, such as "v2"';
const HANDLED =
  'stepshift starts releases from "Release Requested" events of source "stepshift" and "ECR Image Action" events of source "aws.ecr" and "AWS API Call via CloudTrail" events of source "aws.lambda"';
const A_REQUEST = 'a release request is a JSON object with service, version, releaseId, overrides';

export const BAD_INPUTS: readonly BadInput[] = [
  // ---- requests (console, CLI, CodePipeline: the request itself) ----
  {
    label: 'request: service missing',
    kind: 'request',
    change: input({ version: 'v2' }),
    expected: `request.service: is missing; ${SERVICE}`,
  },
  {
    label: 'request: service empty',
    kind: 'request',
    change: request({ service: '' }),
    expected: `request.service: is empty; ${SERVICE}`,
  },
  {
    label: 'request: service a number',
    kind: 'request',
    change: request({ service: 42 }),
    expected: `request.service: 42 is not text; ${SERVICE}`,
  },
  {
    label: 'request: version missing',
    kind: 'request',
    change: input({ service: 'orders' }),
    expected: `request.version: is missing; ${VERSION}`,
  },
  {
    label: 'request: version empty',
    kind: 'request',
    change: request({ version: '' }),
    expected: `request.version: is empty; ${VERSION}`,
  },
  {
    label: 'request: version an object',
    kind: 'request',
    change: request({ version: { tag: 'v2' } }),
    expected: `request.version: an object is not text; ${VERSION}`,
  },
  {
    label: 'request: version with a space',
    kind: 'request',
    change: request({ version: 'v 2' }),
    expected: `request.version: "v 2" ${VERSION_NAME}`,
  },
  {
    label: 'request: version with a slash',
    kind: 'request',
    change: request({ version: 'release/v2' }),
    expected: `request.version: "release/v2" ${VERSION_NAME}`,
  },
  {
    label: 'request: version of 200 characters',
    kind: 'request',
    change: request({ version: `v${'9'.repeat(199)}` }),
    expected: `request.version: is longer than 64 characters; ${VERSION} of 1..64 characters`,
  },
  {
    label: 'request: releaseId with characters a release id cannot hold',
    kind: 'request',
    change: request({ releaseId: 'orders:v2!' }),
    expected: `request.releaseId: "orders:v2!" ${RELEASE_ID}`,
  },
  {
    label: 'request: releaseId of 65 characters',
    kind: 'request',
    change: request({ releaseId: 'r'.repeat(65) }),
    expected: `request.releaseId: "${'r'.repeat(65)}" ${RELEASE_ID}`,
  },
  {
    label: 'request: an unknown field',
    kind: 'request',
    change: request({ strategy: { type: 'all-at-once', bake: '5m' } }),
    expected:
      'request: has unknown field "strategy"; a release request takes only service, version, releaseId, overrides',
  },
  {
    label: 'request: a profile of its own, or the digest of one, to run the release with',
    kind: 'request',
    change: request({
      profile: {
        hooks: [{ name: 'x', phase: 'preRollout', type: 'webhook', url: 'https://attacker.example' }],
      },
      profileDigest: '0'.repeat(64),
    }),
    expected:
      'request: has unknown fields "profile", "profileDigest"; a release request takes only service, version, releaseId, overrides',
  },
  {
    label: 'request: override steps that do not rise',
    kind: 'request',
    change: strategyOverride({ steps: [25, 25, 50] }),
    expected:
      'request.overrides.strategy.steps[1]: 25 is not above the previous step (25); weights must rise step by step',
  },
  {
    label: 'request: override step of 0',
    kind: 'request',
    change: strategyOverride({ steps: [0, 50] }),
    expected: 'request.overrides.strategy.steps[0]: 0 is below 1; a step must send some traffic (1..100)',
  },
  {
    label: 'request: override step of 101',
    kind: 'request',
    change: strategyOverride({ steps: [50, 101] }),
    expected: 'request.overrides.strategy.steps[1]: 101 is above 100; weights are percentages 1..100',
  },
  {
    label: 'request: override step of 12.5',
    kind: 'request',
    change: strategyOverride({ steps: [12.5, 50] }),
    expected:
      'request.overrides.strategy.steps[0]: 12.5 is not a whole number; weights are whole percentages 1..100',
  },
  {
    label: 'request: override with no steps',
    kind: 'request',
    change: strategyOverride({ steps: [] }),
    expected: 'request.overrides.strategy.steps: is empty; list at least one weight, such as [10, 25, 50]',
  },
  {
    label: 'request: override interval "5 minutes"',
    kind: 'request',
    change: strategyOverride({ interval: '5 minutes' }),
    expected:
      'request.overrides.strategy.interval: "5 minutes" is not a duration; write the time each step bakes like 30s, 5m or 1h',
  },
  {
    label: 'request: override interval "0s"',
    kind: 'request',
    change: strategyOverride({ interval: '0s' }),
    expected:
      'request.overrides.strategy.interval: "0s" is zero; give the time each step bakes as a positive duration, like 30s, 5m or 1h',
  },
  {
    label: 'request: override analysis naming an alarm twice',
    kind: 'request',
    change: analysisOverride({ alarms: ['orders-5xx', 'orders-5xx'] }),
    expected: 'request.overrides.analysis.alarms: names the same alarm twice',
  },
  {
    label: 'request: override failureThreshold 0',
    kind: 'request',
    change: analysisOverride({ failureThreshold: 0 }),
    expected:
      'request.overrides.analysis.failureThreshold: 0 is below 1; the release rolls back after this many failed checks',
  },
  {
    label: 'request: override insufficientData "retry"',
    kind: 'request',
    change: analysisOverride({ insufficientData: 'retry' }),
    expected:
      'request.overrides.analysis.insufficientData: "retry" is not a policy; use "ignore" or "fail" for alarms in INSUFFICIENT_DATA',
  },
  {
    label: "request: issue 12's override, all at once for 1s and no alarms",
    kind: 'request',
    change: request({
      overrides: { strategy: { type: 'all-at-once', bake: '1s' }, analysis: { alarms: [] } },
    }),
    expected:
      "request.overrides.strategy: puts 100% on the new version at 0s, where the profile's canary strategy puts 10%",
  },
  {
    label: "request: an override dropping one of the profile's alarms",
    kind: 'request',
    change: request({ overrides: { analysis: { alarms: ['orders-5xx'] } } }),
    expected:
      'request.overrides.analysis.alarms: leaves out the profile\'s "orders-health"; a request may add alarms to the profile\'s, not drop them; a request may only make a release stricter, unless the profile says "allowOverrides": ["analysis"]',
  },
  {
    label: 'request: an override skipping a step',
    kind: 'request',
    change: strategyOverride({ steps: [10, 50] }),
    expected:
      "request.overrides.strategy: puts 50% on the new version at 5m, where the profile's canary strategy puts 25%",
  },
  {
    label: 'request: an override raising failureThreshold',
    kind: 'request',
    change: request({ overrides: { analysis: { failureThreshold: 5 } } }),
    expected:
      "request.overrides.analysis.failureThreshold: 5 is above the profile's 1; a request may roll back after fewer failed checks, not more",
  },
  {
    label: 'request: an override holding the weights on failure instead of rolling back',
    kind: 'request',
    change: request({ overrides: { onFailure: 'freeze' } }),
    expected: 'request.overrides.onFailure: "freeze" is weaker than the profile\'s "rollback"',
  },
  {
    label: 'request: an override naming an alarm no profile names',
    kind: 'request',
    change: request({
      overrides: { analysis: { alarms: ['orders-5xx', 'orders-health', 'payroll-secrets-rotated'] } },
    }),
    expected:
      'request.overrides.analysis.alarms[2]: "payroll-secrets-rotated" is an alarm no release profile names',
  },
  {
    label: 'request: an override bringing a metric query of its own',
    kind: 'request',
    change: request({
      overrides: {
        analysis: {
          metrics: [
            {
              name: 'probe',
              queries: [
                { Id: 'secret', Expression: "SEARCH('{AWS/Billing} EstimatedCharges', 'Maximum', 60)" },
              ],
              returnId: 'secret',
              max: 0,
            },
          ],
        },
      },
    }),
    expected:
      "request.overrides.analysis.metrics[0].queries: cannot come from a request: a request's metric queries would run under Analyze's role and their values come back in the reason",
  },
  {
    label: 'Release Requested: an override loosening the strategy, named in the event',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.detail = {
        service: 'orders',
        version: 'v2',
        overrides: { strategy: { type: 'all-at-once', bake: '1m' } },
      };
    }),
    expected: 'event.detail.overrides.strategy: puts 100% on the new version at 0s',
  },
  {
    label: 'request: a service name of 200 KB',
    kind: 'request',
    change: request({ service: `payments${'s'.repeat(200_000)}` }),
    expected: 'request.service: is longer than 128 characters',
  },
  {
    label: 'request: a releaseId of 200 KB, shown back cut to 256 bytes',
    kind: 'request',
    change: request({ releaseId: `r${'x'.repeat(200_000)}` }),
    expected: `request.releaseId: "rxxx`,
  },
  {
    label: 'request: 200 unknown fields with 1 KB names, ten of them named',
    kind: 'request',
    change: (s) => {
      const junk = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`${i}${'k'.repeat(1000)}`, 1]));
      request(junk)(s);
    },
    expected: 'kkkk", and 190 more; a release request takes only service, version, releaseId, overrides',
  },
  {
    label: 'request: a service with no profile',
    kind: 'request',
    change: request({ service: 'payments' }),
    expected: 'request.service: no release profile for "payments"; profiles exist for: orders',
  },
  {
    label: 'request: a version whose virtual node does not exist',
    kind: 'request',
    change: request({ version: 'v3' }),
    expected:
      'profile.targets.canary: orders-v3 does not exist for appmesh:shop/orders-router/orders-route; deploy the new version first',
  },
  {
    label: 'request: the version already receiving all traffic',
    kind: 'request',
    change: request({ version: 'v1' }),
    expected:
      'request.version: orders-v1 already receives all traffic on appmesh:shop/orders-router/orders-route; nothing to release',
  },

  // ---- profiles ----
  {
    label: 'profile: text canonical JSON cannot carry (a lone surrogate in a webhook URL)',
    kind: 'profile',
    change: profile({
      hooks: [
        { name: 'smoke', phase: 'preRollout', type: 'webhook', url: 'https://hooks.example.com/\ud800' },
      ],
    }),
    expected:
      'profile: cannot be stored as canonical JSON (Lone surrogate is not allowed); write its text as valid Unicode, without a lone surrogate such as "\\ud800"',
  },
  {
    label: 'profile: an unknown router type',
    kind: 'profile',
    change: router({ type: 'istio' }),
    expected: 'profile.router.type: "istio" is not a router stepshift drives; use one of: appmesh',
  },
  {
    label: 'profile: router without meshName',
    kind: 'profile',
    change: (s) => delete (s.profile.router as Record<string, unknown>).meshName,
    expected: 'profile.router.meshName: is missing; give the App Mesh mesh name',
  },
  {
    label: 'profile: meshOwner of 11 digits',
    kind: 'profile',
    change: router({ meshOwner: '12345678901' }),
    expected:
      'profile.router.meshOwner: must be a 12-digit AWS account id (the mesh owner, for shared meshes)',
  },
  {
    label: 'profile: canary template without {version}',
    kind: 'profile',
    change: profile({ targets: { canary: 'orders-canary' } }),
    expected:
      'profile.targets.canary: "orders-canary" has no {version}; the new version\'s target is named by template, e.g. "orders-{version}"',
  },
  {
    label: 'profile: an unknown strategy type',
    kind: 'profile',
    change: profile({ strategy: { type: 'shadow', interval: '5m' } }),
    expected:
      'profile.strategy.type: "shadow" is not a strategy stepshift knows; use one of: canary, linear, all-at-once, codedeploy, blue-green, ab',
  },
  {
    label: 'profile: a linear step of 100',
    kind: 'profile',
    change: profile({ strategy: { type: 'linear', stepPercent: 100, interval: '1m' } }),
    expected:
      'profile.strategy.stepPercent: 100 is above 99; a linear release needs a step below 100 (for all traffic at once, use "all-at-once")',
  },
  {
    label: 'profile: a CodeDeploy name AWS does not predefine (ECS linear is spelt "Minutes")',
    kind: 'profile',
    change: profile({
      strategy: { type: 'codedeploy', config: 'CodeDeployDefault.ECSLinear10PercentEvery1Minute' },
    }),
    expected:
      'profile.strategy.config: "CodeDeployDefault.ECSLinear10PercentEvery1Minute" is not a predefined CodeDeploy configuration; use one of: CodeDeployDefault.ECSAllAtOnce,',
  },
  {
    label: 'profile: an EC2/on-premises CodeDeploy configuration',
    kind: 'profile',
    change: profile({ strategy: { type: 'codedeploy', config: 'CodeDeployDefault.HalfAtATime' } }),
    expected:
      'profile.strategy.config: "CodeDeployDefault.HalfAtATime" is an EC2/on-premises configuration (minimum healthy hosts), which shifts no traffic',
  },
  {
    label: 'request: an override naming a custom CodeDeploy configuration the account lacks',
    kind: 'request',
    change: request({ overrides: { strategy: { type: 'codedeploy', config: 'orders-nowhere' } } }),
    expected:
      'request.overrides.strategy.config: no CodeDeploy deployment configuration is named "orders-nowhere" in this account and region',
  },
  {
    label: 'profile: all-at-once without bake',
    kind: 'profile',
    change: profile({ strategy: { type: 'all-at-once' } }),
    expected:
      'profile.strategy.bake: is missing; give how long to watch the new version at 100% before promoting, like 30s, 5m or 1h',
  },
  {
    label: 'profile: 101 alarms',
    kind: 'profile',
    change: profile({
      analysis: { alarms: Array.from({ length: 101 }, (_, i) => `orders-alarm-${i}`) },
    }),
    expected: 'profile.analysis.alarms: names more than 100 alarms; DescribeAlarms reads at most 100 at once',
  },
  {
    label: 'profile: an alarm named twice',
    kind: 'profile',
    change: profile({ analysis: { alarms: ['orders-5xx', 'orders-health', 'orders-5xx'] } }),
    expected: 'profile.analysis.alarms: names the same alarm twice',
  },
  {
    label: 'profile: an alarm that does not exist',
    kind: 'profile',
    change: profile({ analysis: { alarms: ['orders-5xx', 'orders-p99-latency'] } }),
    expected:
      'profile.analysis.alarms: no CloudWatch alarm named "orders-p99-latency"; a release cannot be gated on an alarm that does not exist',
  },
  {
    label: 'profile: a route that does not exist',
    kind: 'profile',
    change: router({ virtualRouterName: 'payments-router' }),
    expected:
      'profile.router: DescribeRoute: App Mesh has no route "orders-route" on virtual router "payments-router" in mesh "shop"',
  },
  {
    label: 'profile: a route split between two versions',
    kind: 'profile',
    change: (s) => {
      const routes = (s.world.appmesh as { routes: { spec: { httpRoute: { action: unknown } } }[] }).routes;
      routes[0]!.spec.httpRoute.action = {
        weightedTargets: [
          { virtualNode: 'orders-v1', weight: 70, port: 8080 },
          { virtualNode: 'orders-v0', weight: 30, port: 8080 },
        ],
      };
    },
    expected:
      'route appmesh:shop/orders-router/orders-route: the route is split between orders-v1 (70) and orders-v0 (30); finish or roll back that release first so one version holds all traffic',
  },
  {
    label: 'profile: source.ecrRepository not a valid ECR name',
    kind: 'profile',
    change: profile({ source: { ecrRepository: 'Shop/Orders', tagPattern: '^v[0-9]+$' } }),
    expected:
      'profile.source.ecrRepository: "Shop/Orders" is not an ECR repository name; use lowercase letters and digits, with ".", "_" or "-" between them and "/" between namespaces',
  },
  {
    label: 'profile: source.tagPattern that does not compile',
    kind: 'profile',
    change: profile({ source: { ecrRepository: 'orders', tagPattern: 'v[0-9' } }),
    expected:
      'profile.source.tagPattern: "v[0-9" is not a regular expression stepshift can evaluate (missing closing ]: `[0-9`; stepshift evaluates patterns with RE2 syntax',
  },
  {
    label: 'profile: an unknown field',
    kind: 'profile',
    change: profile({ owner: 'team-orders' }),
    expected:
      'profile: has unknown field "owner"; a release profile takes only service, router, targets, strategy, analysis, source',
  },
  {
    label: 'profile: a step of 120',
    kind: 'profile',
    change: profile({ strategy: { type: 'canary', steps: [10, 50, 120], interval: '5m' } }),
    expected: 'profile.strategy.steps[2]: 120 is above 100; weights are percentages 1..100',
  },
  {
    label: 'profile: a metric check whose returnId names no query',
    kind: 'profile',
    change: profile({
      analysis: {
        alarms: [],
        metrics: [
          {
            name: 'error-rate',
            queries: [{ Id: 'errors', Expression: "SEARCH('{Shop/Orders} HTTP5xx', 'Sum', 60)" }],
            returnId: 'rate',
            max: 0.01,
          },
        ],
      },
    }),
    expected:
      'profile.analysis.metrics[0].returnId: "rate" names none of the check\'s queries; use one of: errors',
  },
  {
    label: 'profile: a metric check comparing with the stable version and bounded too',
    kind: 'profile',
    change: profile({
      analysis: {
        alarms: [],
        metrics: [
          {
            name: 'p99 latency',
            queries: [
              {
                Id: 'p99',
                MetricStat: {
                  Metric: {
                    Namespace: 'Shop/Orders',
                    MetricName: 'Latency',
                    Dimensions: [{ Name: 'VirtualNode', Value: '{canary}' }],
                  },
                  Period: 60,
                  Stat: 'p99',
                },
              },
            ],
            returnId: 'p99',
            compare: 'stable',
            max: 300,
          },
        ],
      },
    }),
    expected:
      'profile.analysis.metrics[0].max: does not go with "compare"; a comparison judges the canary against the stable version, so bound the value in a check of its own',
  },
  {
    label: 'profile: analysis.interval "1 minute"',
    kind: 'profile',
    change: profile({ analysis: { alarms: ['orders-5xx'], interval: '1 minute' } }),
    expected:
      'profile.analysis.interval: "1 minute" is not a duration; write how often to check health while a step bakes like 30s, 5m or 1h',
  },
  {
    label: 'profile: no targets',
    kind: 'profile',
    change: (s) => delete s.profile.targets,
    expected: 'profile.targets: is nothing; targets is a JSON object with canary',
  },
  // Names that would widen the IAM grant the construct makes from them (infra/permissions/).
  {
    label: 'profile: targets.canary "{version}" (its grant would be every virtual node of the mesh)',
    kind: 'profile',
    change: profile({ targets: { canary: '{version}' } }),
    expected:
      'profile.targets.canary: "{version}" keeps nothing before {version}; the new version\'s target is granted by the part before {version} ("*"), so keep at least 3 characters there',
  },
  {
    label: 'profile: targets.canary with a one-letter prefix',
    kind: 'profile',
    change: profile({ targets: { canary: 'o{version}' } }),
    expected: 'profile.targets.canary: "o{version}" keeps only "o" before {version}',
  },
  {
    label: 'profile: a routeName with "?", an IAM wildcard',
    kind: 'profile',
    change: router({ routeName: 'orders-rout?' }),
    expected:
      'profile.router.routeName: "orders-rout?" holds "?", which IAM reads as a wildcard in the grant made from the route; give the exact name',
  },
  {
    label: 'profile: a meshName "*"',
    kind: 'profile',
    change: router({ meshName: '*' }),
    expected: 'profile.router.meshName: "*" holds "*", which IAM reads as a wildcard',
  },
  {
    label: 'profile: a virtualRouterName reaching into another part of the ARN',
    kind: 'profile',
    change: router({ virtualRouterName: 'orders-router/route/*' }),
    expected: 'profile.router.virtualRouterName: "orders-router/route/*" holds "*"',
  },
  {
    label: 'profile: an ECS cluster "*" (its grant would be every service of every cluster)',
    kind: 'profile',
    change: profile({
      targets: { canary: 'orders-{version}', ecsService: { cluster: '*', service: 'orders-{version}' } },
    }),
    expected: 'profile.targets.ecsService.cluster: "*" holds "*", which IAM reads as a wildcard',
  },
  {
    label: 'profile: a Lambda hook whose functionName ends at "function" (its grant would be function:*)',
    kind: 'profile',
    change: profile({
      hooks: [
        {
          name: 'smoke',
          phase: 'preRollout',
          type: 'lambda',
          functionName: 'arn:aws:lambda:us-east-1:123456789012:function',
        },
      ],
    }),
    expected:
      'profile.hooks[0].functionName: "arn:aws:lambda:us-east-1:123456789012:function" ends at "function" and names no function',
  },
  {
    label: 'profile: a Lambda hook whose functionName has "*"',
    kind: 'profile',
    change: profile({
      hooks: [{ name: 'smoke', phase: 'rollout', type: 'lambda', functionName: 'orders-*' }],
    }),
    expected: 'profile.hooks[0].functionName: "orders-*" holds "*", which IAM reads as a wildcard',
  },
  {
    label: 'profile: a custom CodeDeploy configuration "Custom*"',
    kind: 'profile',
    change: profile({ strategy: { type: 'codedeploy', config: 'Custom*' } }),
    expected: 'profile.strategy.config: "Custom*" holds "*", which IAM reads as a wildcard',
  },

  // Webhooks that would reach inside the account (SSRF): refused by their spelling at validation; a
  // public name that resolves inside is refused when called (test/statemachine/hooks/webhooks.test.ts).
  {
    label: 'profile: a webhook at the instance metadata service',
    kind: 'profile',
    change: webhookAt('https://169.254.169.254/latest/meta-data/iam/security-credentials/'),
    expected: `names 169.254.169.254, which is the EC2 instance metadata service (169.254.169.254); ${NOT_PUBLIC}`,
  },
  {
    label: "profile: a webhook at Lambda's runtime API on loopback",
    kind: 'profile',
    change: webhookAt('https://127.0.0.1:9001/2018-06-01/runtime/invocation/next'),
    expected: `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at IPv6 loopback',
    kind: 'profile',
    change: webhookAt('https://[::1]/'),
    expected: `names [::1], which is the loopback address (::1); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at localhost',
    kind: 'profile',
    change: webhookAt('https://localhost'),
    expected: `names localhost, which is a private name (.localhost) that no public resolver answers; ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at loopback spelt as one decimal number',
    kind: 'profile',
    change: webhookAt('https://2130706433/'),
    expected: `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at loopback spelt in hex',
    kind: 'profile',
    change: webhookAt('https://0x7f.1/'),
    expected: `names 127.0.0.1, which is a loopback address (127.0.0.0/8); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at loopback in its IPv4-mapped IPv6 form',
    kind: 'profile',
    change: webhookAt('https://[::ffff:7f00:1]/'),
    expected: `names [::ffff:7f00:1], which is a loopback address (127.0.0.0/8), in its IPv4-mapped IPv6 form; ${NOT_PUBLIC}`,
  },
  {
    label: "profile: a webhook at the metadata service's IPv6 address",
    kind: 'profile',
    change: webhookAt('https://[fd00:ec2::254]/'),
    expected: `names [fd00:ec2::254], which is the EC2 instance metadata service (fd00:ec2::254); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at a private address',
    kind: 'profile',
    change: webhookAt('https://10.0.12.7/admin'),
    expected: `names 10.0.12.7, which is a private address (RFC 1918); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at a carrier-grade NAT address',
    kind: 'profile',
    change: webhookAt('https://100.64.0.10/'),
    expected: `names 100.64.0.10, which is a carrier-grade NAT address (100.64.0.0/10); ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook at an EC2 internal name',
    kind: 'profile',
    change: webhookAt('https://ip-10-0-0-5.ec2.internal/'),
    expected: `names ip-10-0-0-5.ec2.internal, which is a private name (.internal) that no public resolver answers; ${NOT_PUBLIC}`,
  },
  {
    label: 'profile: a webhook over plain http',
    kind: 'profile',
    change: webhookAt('http://hooks.example.com/x'),
    expected: 'is not an https:// URL; webhooks are called over HTTPS only',
  },
  {
    label: 'profile: a webhook URL with a password, never repeated',
    kind: 'profile',
    change: webhookAt('https://deploy:hunter2@hooks.example.com/x?token=s3cr3t'),
    expected:
      'profile.hooks[0].url: "https://hooks.example.com/x?…" carries a user name or password; keep credentials out of the URL',
  },
  {
    label: 'profile: a webhook secret named with a wildcard',
    kind: 'profile',
    change: webhookAt('https://hooks.example.com/x', { secret: { secretId: 'stepshift/*' } }),
    expected:
      'profile.hooks[0].secret.secretId: "stepshift/*" is not a secret name; use 1..512 letters, digits and / _ + = . @ -',
  },

  // ---- trigger payloads (EventBridge envelopes, CodePipeline inputs, inputs of the wrong type) ----
  {
    label: 'Release Requested: detail null',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.detail = null;
    }),
    expected: `event.detail: is null; ${A_REQUEST}`,
  },
  {
    label: 'Release Requested: detail-type missing',
    kind: 'trigger payload',
    change: releaseRequested((e) => delete e['detail-type']),
    expected: `event.detail-type: is missing; give the event's detail-type; ${HANDLED}`,
  },
  {
    label: 'Release Requested: source missing',
    kind: 'trigger payload',
    change: releaseRequested((e) => delete e.source),
    expected: `event.source: is missing; give the event's source; ${HANDLED}`,
  },
  {
    label: 'Release Requested: source empty',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.source = '';
    }),
    expected: `event.source: is empty; give the event's source; ${HANDLED}`,
  },
  {
    label: 'Release Requested: a hand-written id that is not a release id',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.id = 'release orders v2';
    }),
    expected: `event.id: "release orders v2" ${RELEASE_ID}`,
  },
  {
    label: 'Release Requested: detail encoded as a JSON string',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.detail = JSON.stringify(e.detail);
    }),
    expected: `event.detail: is "{\\"service\\":\\"orders\\",\\"version\\":\\"v2\\"}"; ${A_REQUEST}`,
  },
  {
    label: 'Release Requested: an override step of 0',
    kind: 'trigger payload',
    change: releaseRequested((e) => {
      e.detail = {
        service: 'orders',
        version: 'v2',
        overrides: { strategy: { type: 'canary', steps: [0, 50], interval: '5m' } },
      };
    }),
    expected:
      'event.detail.overrides.strategy.steps[0]: 0 is below 1; a step must send some traffic (1..100)',
  },
  {
    label: 'ECR Image Action: id missing',
    kind: 'trigger payload',
    change: ecrPush((e) => delete e.id),
    expected: 'event.id: is missing; EventBridge gives every event an id (the release id comes from it)',
  },
  {
    label: 'ECR Image Action: image-tag a number',
    kind: 'trigger payload',
    change: ecrPush((e) => {
      e.detail['image-tag'] = 2;
    }),
    expected: 'event.detail.image-tag: must be text, the tag the image was pushed with',
  },
  {
    label: 'ECR Image Action: repository-name missing',
    kind: 'trigger payload',
    change: ecrPush((e) => delete e.detail['repository-name']),
    expected: 'event.detail.repository-name: is missing; give the ECR repository the image was pushed to',
  },
  {
    label: 'ECR Image Action: result missing',
    kind: 'trigger payload',
    change: ecrPush((e) => delete e.detail.result),
    expected: 'event.detail.result: is missing; stepshift releases only pushes whose result is "SUCCESS"',
  },
  {
    label: 'ECR Image Action: action-type missing',
    kind: 'trigger payload',
    change: ecrPush((e) => delete e.detail['action-type']),
    expected:
      'event.detail.action-type: is missing; stepshift releases only "PUSH" actions (an EventBridge rule matching "action-type": ["PUSH"] sends only those)',
  },
  {
    label: 'ECR Image Action: detail null',
    kind: 'trigger payload',
    change: ecrPush((e) => {
      e.detail = null as never;
    }),
    expected:
      'event.detail: is null; the detail of an "ECR Image Action" event is a JSON object with action-type, result, repository-name, image-digest, image-tag',
  },
  {
    label: 'ECR Image Action: a crafted tag against a catastrophic tagPattern (matched in linear time)',
    kind: 'trigger payload',
    change: (s) => {
      ecrPush((e) => {
        e.detail['image-tag'] = `v${'1'.repeat(36)}x`;
      })(s);
      Object.assign(s.profile.source as object, { tagPattern: '^v(\\d+\\.?)+$' });
    },
    expected: `event.detail.image-tag: "v${'1'.repeat(36)}x" does not match source.tagPattern "^v(\\\\d+\\\\.?)+$" of the orders profile`,
  },
  {
    label: 'ECR Image Action: a tag of 129 characters',
    kind: 'trigger payload',
    change: ecrPush((e) => {
      e.detail['image-tag'] = `v${'1'.repeat(128)}`;
    }),
    expected:
      'event.detail.image-tag: is 129 characters long; an image tag has at most 128 (the OCI distribution spec ECR follows)',
  },
  {
    label: 'ECR Image Action: a tagPattern with a backreference',
    kind: 'trigger payload',
    change: (s) => {
      ecrPush(() => {})(s);
      Object.assign(s.profile.source as object, { tagPattern: '^(v)[0-9]+\\1$' });
    },
    expected:
      'profile.source.tagPattern: "^(v)[0-9]+\\\\1$" is not a regular expression stepshift can evaluate (invalid escape sequence: `\\1`; stepshift evaluates patterns with RE2 syntax, in linear time, which has no backreferences',
  },
  {
    label: 'ECR Image Action: sent with source "stepshift"',
    kind: 'trigger payload',
    change: ecrPush((e) => {
      e.source = 'stepshift';
    }),
    expected: `event.detail-type: "ECR Image Action" is not an event stepshift handles from source "stepshift"; it starts releases from "Release Requested" events of source "stepshift" and "ECR Image Action" events of source "aws.ecr" and "AWS API Call via CloudTrail" events of source "aws.lambda"`,
  },
  {
    label: 'CodePipeline Literal: #{codepipeline.PipelineExecutionId} not substituted as releaseId',
    kind: 'trigger payload',
    change: codePipeline((l) => {
      l.releaseId = '#{codepipeline.PipelineExecutionId}';
    }),
    expected:
      'request.releaseId: "#{codepipeline.PipelineExecutionId}" looks like a CodePipeline variable that was not substituted; CodePipeline replaces #{namespace.name} in a Literal Input',
  },
  {
    label: 'CodePipeline FilePath: file content a list of requests',
    kind: 'trigger payload',
    change: (s) => {
      const literal = example('codepipeline-literal').request;
      input([literal, { ...literal, version: 'v3' }])(s);
    },
    expected: `request: is a list; ${A_REQUEST}`,
  },
  {
    label: 'input: a JSON string holding a list',
    kind: 'trigger payload',
    change: input('[{"service":"orders","version":"v2"}]'),
    expected: `request: is "[{\\"service\\":\\"orders\\",\\"version\\":\\"v2\\"}]"; ${A_REQUEST}`,
  },
  {
    label: 'input: a number',
    kind: 'trigger payload',
    change: input(2),
    expected: `request: is 2; ${A_REQUEST}`,
  },
  {
    label: 'input: true',
    kind: 'trigger payload',
    change: input(true),
    expected: `request: is true; ${A_REQUEST}`,
  },
  // A Lambda alias: what Lambda would refuse in an alias that routes to two versions, refused first.
  {
    label: 'lambda: an alias on $LATEST',
    kind: 'profile',
    change: lambdaRelease((fn) => {
      (fn.aliases[0] as Record<string, unknown>).FunctionVersion = '$LATEST';
    }),
    expected:
      'route lambda:orders-api:live: alias "live" invokes $LATEST, and Lambda splits an alias\'s traffic only between published versions',
  },
  {
    label: 'lambda: an alias that already routes to two versions',
    kind: 'profile',
    change: lambdaRelease((fn) => {
      fn.versions.push({ version: '5', role: 'arn:aws:iam::123456789012:role/orders' });
      (fn.aliases[0] as LambdaFunction['aliases'][number]).RoutingConfig.AdditionalVersionWeights = {
        '5': 0.2,
      };
    }),
    expected: 'route lambda:orders-api:live: the route is split between 6 (80) and 5 (20)',
  },
  {
    label: 'lambda: a version that was never published',
    kind: 'request',
    change: lambdaRelease((_fn, s) => {
      s.request = { service: 'orders', version: '8' };
    }),
    expected: 'profile.targets.canary: 8 does not exist for lambda:orders-api:live',
  },
  {
    label: 'lambda: the new version runs as another execution role',
    kind: 'profile',
    change: lambdaRelease((fn) => {
      (fn.versions[1] as Record<string, unknown>).role = OTHER_ROLE;
    }),
    expected: `versions 6 and 7 run as different execution roles (arn:aws:iam::123456789012:role/orders, ${OTHER_ROLE})`,
  },
  {
    label: 'lambda: the new version has another dead-letter queue',
    kind: 'profile',
    change: lambdaRelease((fn) => {
      (fn.versions[1] as Record<string, unknown>).deadLetterTargetArn =
        'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
    }),
    expected:
      'versions 6 and 7 have different dead-letter queues (none, arn:aws:sqs:us-east-1:123456789012:orders-dlq)',
  },
  {
    label: 'lambda: provisioned concurrency on the alias',
    kind: 'profile',
    change: lambdaRelease((fn) => {
      (fn.aliases[0] as Record<string, unknown>).provisionedConcurrency = 5;
    }),
    expected:
      'alias "live" has provisioned concurrency (5), which Lambda does not allow on an alias that routes to two versions',
  },
  {
    label: 'lambda: a blue/green release (an alias cannot route by header)',
    kind: 'profile',
    change: lambdaRelease((_fn, s) => {
      s.profile.strategy = {
        type: 'blue-green',
        testHeader: { name: 'x-stepshift-preview', value: 'true' },
        bake: '10m',
      };
    }),
    expected:
      "profile.strategy: a blue-green release sends its first traffic through a route of stepshift's own beside lambda:orders-api:live, and lambda routers cannot have one yet",
  },
  {
    label: 'lambda: a target template that is not the version number',
    kind: 'profile',
    change: lambdaRelease((_fn, s) => {
      s.profile.targets = { canary: 'orders-{version}' };
    }),
    expected: 'profile.targets.canary: "orders-{version}" names no Lambda version',
  },
  {
    label: 'lambda: a functionName with a qualifier',
    kind: 'profile',
    change: lambdaRelease((_fn, s) => {
      (s.profile.router as Record<string, unknown>).functionName =
        'arn:aws:lambda:us-east-1:123456789012:function:orders-api:live';
    }),
    expected: 'carries a qualifier; name the function here and its alias in router.alias',
  },
  {
    label: 'lambda: a codeDeploy block without its deployment group',
    kind: 'profile',
    change: lambdaRelease((_fn, s) => {
      (s.profile.router as Record<string, unknown>).codeDeploy = { application: 'orders', group: 'live' };
    }),
    expected:
      'profile.router.codeDeploy: has unknown field "group"; the codeDeploy block takes only application, deploymentGroup',
  },
  {
    label: 'lambda: a codeDeploy application name CodeDeploy cannot have',
    kind: 'profile',
    change: lambdaRelease((_fn, s) => {
      (s.profile.router as Record<string, unknown>).codeDeploy = {
        application: 'orders api',
        deploymentGroup: 'orders-live',
      };
    }),
    expected:
      'profile.router.codeDeploy.application: "orders api" is not a CodeDeploy application or deployment group name; use letters, digits and . _ + = , @ -',
  },
  // Lambda's PublishVersion, as CloudTrail delivers it: only a successful PublishVersion of a function a
  // profile names releases, at the version the response names.
  {
    label: 'PublishVersion: the call failed (errorCode)',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.errorCode = 'ResourceConflictException';
    }),
    expected:
      'event.detail.errorCode: is "ResourceConflictException": the PublishVersion call failed and published no version; nothing is released',
  },
  {
    label: 'PublishVersion: another Lambda call (UpdateFunctionCode)',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.eventName = 'UpdateFunctionCode20150331v2';
    }),
    expected:
      'event.detail.eventName: "UpdateFunctionCode20150331v2" is not PublishVersion; stepshift releases only versions a PublishVersion call published',
  },
  {
    label: 'PublishVersion: a call another service made (eventSource)',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.eventSource = 'ecr.amazonaws.com';
    }),
    expected: 'event.detail.eventSource: "ecr.amazonaws.com" is not Lambda',
  },
  {
    label: 'PublishVersion: a version that is not a number ($LATEST)',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      (e.detail.responseElements as Record<string, unknown>).version = '$LATEST';
    }),
    expected: 'event.detail.responseElements.version: "$LATEST" is not a published version number',
  },
  {
    label: 'PublishVersion: no response (a version unknown)',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.responseElements = null;
    }),
    expected:
      'event.detail.responseElements: is null; the response of a successful PublishVersion call is a JSON object with version',
  },
  {
    label: 'PublishVersion: a function no profile names',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.requestParameters = {
        functionName: 'arn:aws:lambda:us-east-1:123456789012:function:payments-api',
      };
    }),
    expected:
      'event.detail.requestParameters.functionName: no release profile has source.lambdaFunction "payments-api"; profiles name these functions: orders-api',
  },
  {
    label: 'PublishVersion: a functionName holding a wildcard',
    kind: 'trigger payload',
    change: lambdaPublish((e) => {
      e.detail.requestParameters = { functionName: 'orders-*' };
    }),
    expected: 'event.detail.requestParameters.functionName: "orders-*" is not a Lambda function name or ARN',
  },
  // At the time of writing this case fails: the rehearsal ends `failed` with States.Runtime "Path
  // expression '$' does not point to a value" before Prepare runs (nothing is written either way).
  {
    label: 'input: null',
    kind: 'trigger payload',
    change: input(null),
    expected: `request: is null; ${A_REQUEST}`,
  },
];
