import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROFILES_FILE_VARIABLE, PROFILES_IN_LAYER } from '#adapters/config/layer-profile-source.ts';
import type { FunctionName } from '#functions/index.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#functions/timeouts.ts';
import type { DeployedFunction } from './profile-permissions.ts';

/** The repository root: the functions, the definitions and the lock file are found from here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every task function, in the order handlerFactories lists them; each is `${Name}FunctionArn` in the
 * ASL. Named here rather than read from handlerFactories, whose import would carry every handler and
 * the AWS SDK into the construct's code (`stepshift/cdk`); the record's type holds the two together.
 */
const TASK_FUNCTIONS: Readonly<Record<FunctionName, true>> = {
  Prepare: true,
  Shift: true,
  Bake: true,
  Analyze: true,
  Promote: true,
  Finish: true,
  Rollback: true,
};
export const FUNCTION_NAMES = Object.keys(TASK_FUNCTIONS) as FunctionName[];

/** Log levels Powertools and Lambda's JSON log filter both understand. */
export type ReleaseLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface TaskFunctionOptions {
  readonly retention: logs.RetentionDays;
  readonly logLevel: ReleaseLogLevel;
  readonly eventBus: events.IEventBus;
  readonly table: { readonly tableName: string };
  /** The profiles layer, for the functions that read the deployed profiles. */
  readonly profiles?: lambda.ILayerVersion;
  /** Source maps in the code, and stack traces through them (ReleaseOrchestratorProps.sourceMaps). */
  readonly sourceMaps?: boolean;
}

/**
 * One of stepshift's functions: its own log group and role, and its code bundled from
 * functions/<name>.ts with the SDK versions the rehearsal runs against, or, from the package, the
 * same code prebuilt.
 */
export function taskFunction(
  scope: Construct,
  name: DeployedFunction,
  options: TaskFunctionOptions,
): { fn: lambda.Function; role: iam.Role } {
  const logGroup = new logs.LogGroup(scope, `${name}Logs`, {
    retention: options.retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // A role of its own per function: each gets only the statements its state needs, and log writes
  // to its own log group instead of the AWSLambdaBasicExecutionRole managed policy.
  const role = new iam.Role(scope, `${name}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `stepshift ${name} function`,
  });
  logGroup.grantWrite(role);
  const settings = {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    role,
    memorySize: 512,
    timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS[name]),
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel[options.logLevel],
    systemLogLevelV2: lambda.SystemLogLevel.INFO,
    environment: {
      // Stack traces in the logs point at the TypeScript sources, through the bundled source map.
      ...(options.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      POWERTOOLS_SERVICE_NAME: 'stepshift',
      POWERTOOLS_LOG_LEVEL: options.logLevel,
      STEPSHIFT_EVENT_BUS_NAME: options.eventBus.eventBusName,
      STEPSHIFT_TABLE_NAME: options.table.tableName,
      // Layers are extracted under /opt (Lambda developer guide, "Working with Lambda layers").
      ...(options.profiles ? { [PROFILES_FILE_VARIABLE]: `/opt/${PROFILES_IN_LAYER}` } : {}),
    },
    ...(options.profiles ? { layers: [options.profiles] } : {}),
  } satisfies lambda.FunctionOptions & { runtime: lambda.Runtime };
  const prebuilt = prebuiltCode(ROOT, name, options.sourceMaps ?? false);
  if (prebuilt) {
    const fn = new lambda.Function(scope, `${name}Function`, {
      ...settings,
      code: prebuilt,
      // index.mjs is an ES module by its extension alone (Lambda developer guide, "Designating a
      // function handler as an ES module").
      handler: 'index.handler',
    });
    return { fn, role };
  }
  const fn = new nodejs.NodejsFunction(scope, `${name}Function`, {
    ...settings,
    entry: `${ROOT}functions/${name.toLowerCase()}.ts`,
    handler: 'handler',
    projectRoot: ROOT,
    depsLockFilePath: `${ROOT}package-lock.json`,
    bundling: {
      forceDockerBundling: false,
      format: nodejs.OutputFormat.CJS,
      target: 'node24',
      minify: true,
      // The packages' ES module builds first: esbuild keeps only what the code calls of them, where
      // each SDK client's CommonJS build is one file holding every command of its service.
      mainFields: ['module', 'main'],
      sourceMap: options.sourceMaps ?? false,
      logLevel: nodejs.LogLevel.WARNING,
      keepNames: true,
      // The SDK versions the rehearsal runs against, not whichever the Lambda runtime ships (its
      // App Mesh client may go at any time now that App Mesh is out of support).
      bundleAwsSDK: true,
    },
  });
  return { fn, role };
}

/**
 * The function's code as the stepshift package ships it, built by scripts/build.mjs, when the construct
 * runs from the package: the package holds no sources to bundle, so a consumer's synth needs neither
 * esbuild nor TypeScript. Undefined in a checkout, where the code is bundled from the sources.
 */
export function prebuiltCode(
  root: string,
  name: DeployedFunction,
  sourceMaps: boolean,
): lambda.Code | undefined {
  const file = name.toLowerCase();
  if (existsSync(`${root}functions/${file}.ts`)) return undefined;
  const built = `${root}dist/functions/${file}`;
  if (!existsSync(`${built}/index.mjs`)) {
    throw new Error(
      `ReleaseOrchestrator: the ${name} function's code is missing (neither functions/${file}.ts nor dist/functions/${file}/index.mjs under ${root}); reinstall stepshift`,
    );
  }
  if (sourceMaps) {
    throw new Error(
      'ReleaseOrchestrator: sourceMaps needs the TypeScript sources, which the stepshift package does not ship; leave sourceMaps off, or deploy from a checkout of stepshift',
    );
  }
  return lambda.Code.fromAsset(built);
}
