import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
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
 * Where a function's built code is: `npm run build` (scripts/function-build.mjs) writes each one's
 * index.mjs, its lazy chunks and their source maps there, with the SDK versions the rehearsal runs
 * against. The construct deploys it as it is, so synthesizing needs no bundler and a profile change
 * rebuilds no function.
 */
export function functionCodeDir(name: DeployedFunction): string {
  return join(ROOT, 'dist', 'functions', name.toLowerCase());
}

/** One of stepshift's functions: its own log group and role, and its prebuilt code. */
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
  const codeDir = functionCodeDir(name);
  if (!existsSync(join(codeDir, 'index.mjs'))) {
    throw new Error(`${codeDir}/index.mjs is missing: run \`npm run build\` to build the functions' code`);
  }
  // The package leaves the maps out (they are four times the code): only a checkout's build has them.
  if (options.sourceMaps && !existsSync(join(codeDir, 'index.mjs.map'))) {
    throw new Error(
      `ReleaseOrchestrator: sourceMaps needs the functions' source maps, and ${codeDir} has none (the stepshift package does not ship them); leave sourceMaps off, or deploy from a checkout of stepshift after \`npm run build\``,
    );
  }
  const fn = new lambda.Function(scope, `${name}Function`, {
    // Source maps go up only when asked for; they are four times the code.
    code: lambda.Code.fromAsset(codeDir, options.sourceMaps ? {} : { exclude: ['*.map'] }),
    // index.mjs: an ES module by its extension (Lambda developer guide, "Designating a function
    // handler as an ES module").
    handler: 'index.handler',
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
  });
  return { fn, role };
}
