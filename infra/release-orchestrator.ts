import { fileURLToPath } from 'node:url';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PROFILES_FILE_VARIABLE, PROFILES_IN_LAYER } from '#adapters/config/layer-profile-source.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { type ProfileInput, parseProfile, type ReleaseProfile } from '#core/profile/profile.ts';
import { storedProfileOf } from '#core/release/wire.ts';
import { ECR_IMAGE_ACTION, RELEASE_REQUESTED } from '#core/triggers/eventbridge-envelope.ts';
import { type FunctionName, handlerFactories } from '#functions/index.ts';
import { FUNCTION_TIMEOUT_SECONDS } from '#functions/timeouts.ts';
import { routerKinds } from '#routers/registry.ts';
import {
  denyForgedLifecycleEvents,
  grantReleaseRequests,
  lifecycleEventsStatement,
} from './permissions/events.ts';
import { TABLE_ACCESS, tableStatements } from './permissions/table.ts';
import { acknowledgeWildcards } from './permissions/wildcards.ts';
import { type DeployedFunction, permissionsFor } from './profile-permissions.ts';
import { createProfilesLayer, READS_PROFILES } from './profiles-layer.ts';

/** The repository root: the functions, the definition and the lock file are found from here. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFINITION = `${ROOT}statemachines/release.asl.json`;
/** The guard's own small state machine: take the route over, wait out the ended execution's tasks, let go. */
const GUARD_DEFINITION = `${ROOT}statemachines/guard.asl.json`;

/** Every task function, in the order handlerFactories lists them; each is `${Name}FunctionArn` in the ASL. */
const FUNCTION_NAMES = Object.keys(handlerFactories) as FunctionName[];

/**
 * The statuses after which the guard looks: the state machine's own rollback may not have run
 * (stopped, timed out, failed), or a promoted release's Finish may not have freed the lock.
 */
const GUARDED_STATUSES = ['SUCCEEDED', 'ABORTED', 'TIMED_OUT', 'FAILED'];

/** Log levels Powertools and Lambda's JSON log filter both understand. */
export type ReleaseLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * What the state machine logs of each execution to its log group (Step Functions' LoggingConfiguration).
 * Its history keeps everything either way, for whoever may read it (states:GetExecutionHistory).
 */
export interface ExecutionLogging {
  /**
   * Which history events are logged: ALL, ERROR, FATAL or OFF.
   * @default - sfn.LogLevel.ALL: every state entered and left, each retry and each error, with times
   */
  readonly level?: sfn.LogLevel;

  /**
   * Whether the logged events carry their data: each state's input and output, a task's parameters
   * and result, an error's cause. With the profile out of the release state, that data is the
   * request (its overrides), the release's progress, reasons and weights, and the task token of each
   * bake (the Bake task's parameters): a token lets whoever may call SendTaskSuccess or
   * SendTaskFailure end that bake. Turn it on to debug, for as long as that takes.
   * @default false
   */
  readonly includeExecutionData?: boolean;
}

export interface ReleaseOrchestratorProps {
  /**
   * The services this orchestrator releases, one release profile each, as written in a scenario's
   * `profile` (see README.md). Each is validated at synth; a bad one fails the synth with the same
   * sentences Prepare would answer. They reach Prepare and the alarm function only, as a Lambda layer
   * holding profiles.json, not in any function's code: changing one is a deploy that publishes a new
   * layer version and changes no function's code. A running release keeps the profile it started with.
   */
  readonly profiles: readonly ProfileInput[];

  /**
   * What the state machine logs of each execution.
   * @default - { level: sfn.LogLevel.ALL, includeExecutionData: false }: every event, no data
   */
  readonly executionLogging?: ExecutionLogging;

  /**
   * How long the functions' and the state machine's logs are kept.
   * @default - one month
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The functions' log level (Powertools and Lambda's JSON log filter).
   * @default - 'INFO'
   */
  readonly logLevel?: ReleaseLogLevel;

  /**
   * The bus that carries "Release Requested" events in and the release's lifecycle events out.
   * @default - a new event bus, named after this construct
   */
  readonly eventBus?: events.IEventBus;

  /**
   * The state machine's name. Give one when something outside this stack (a pipeline in another
   * stack, a script) refers to the state machine by name.
   * @default - a name CloudFormation generates
   */
  readonly stateMachineName?: string;

  /**
   * Whether the table refuses to be deleted. It holds route locks, snapshots and release history, and
   * is retained when the stack is deleted either way; turn this off only for throwaway stacks.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
}

/**
 * Deploys stepshift: one bundled Lambda function per task state, the state machine from
 * statemachines/release.asl.json, its table and event bus, IAM generated from the release profiles,
 * and EventBridge rules that start releases.
 *
 * @example
 * const orchestrator = new ReleaseOrchestrator(this, 'Releases', { profiles: [ordersProfile] });
 * orchestrator.grantStartRelease(deployRole);
 */
export class ReleaseOrchestrator extends Construct {
  /** The release workflow; its executions are releases. */
  readonly stateMachine: sfn.IStateMachine;
  /** What must outlive one execution: route locks, snapshots, callback tokens, release history. */
  readonly table: dynamodb.ITableV2;
  /** "Release Requested" events in, lifecycle events out. */
  readonly eventBus: events.IEventBus;
  /** The task functions by the name the ASL's `${NameFunctionArn}` placeholders use. */
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  /**
   * Trigger events that could not start an execution after EventBridge's retries, and the status
   * changes the guard could not finish with through its retries (with the failure).
   */
  readonly deadLetterQueue: sqs.IQueue;
  /** The guard: restores a route after an execution that ended without doing so. */
  readonly guardFunction: lambda.IFunction;
  /**
   * Runs the guard on every ended execution (statemachines/guard.asl.json): its first step at once, its
   * second after a Wait that outlasts any task of the ended execution still running.
   */
  readonly guardStateMachine: sfn.IStateMachine;
  /**
   * Ends the bake of a release whose alarm went into ALARM; absent when no profile names an alarm.
   */
  readonly alarmFunction?: lambda.IFunction;
  /** The profiles as validated at synth. */
  readonly profiles: readonly ReleaseProfile[];

  constructor(scope: Construct, id: string, props: ReleaseOrchestratorProps) {
    super(scope, id);
    this.profiles = validateProfiles(props.profiles);
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logLevel = props.logLevel ?? 'INFO';

    this.eventBus = props.eventBus ?? new events.EventBus(this, 'EventBus');

    const table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: props.tableDeletionProtection ?? true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = table;

    const profilesLayer = createProfilesLayer(this, 'Profiles', props.profiles);

    const permissions = permissionsFor(this.profiles);
    const roles = {} as Record<DeployedFunction, iam.Role>;
    const deploy = (name: DeployedFunction) => {
      const { fn, role } = this.taskFunction(name, {
        retention,
        logLevel,
        ...(READS_PROFILES.has(name) ? { profiles: profilesLayer } : {}),
      });
      for (const statement of permissions[name].statements) role.addToPrincipalPolicy(statement);
      acknowledgeWildcards(role, permissions[name].wildcards);
      for (const statement of tableStatements(table, TABLE_ACCESS[name], 'Table')) {
        role.addToPrincipalPolicy(statement);
      }
      role.addToPrincipalPolicy(lifecycleEventsStatement(this.eventBus));
      roles[name] = role;
      return fn;
    };
    const functions = {} as Record<FunctionName, lambda.IFunction>;
    for (const name of FUNCTION_NAMES) functions[name] = deploy(name);
    this.functions = functions;

    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      ...(props.stateMachineName === undefined ? {} : { stateMachineName: props.stateMachineName }),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(DEFINITION),
      definitionSubstitutions: Object.fromEntries(
        FUNCTION_NAMES.map((name) => [`${name}FunctionArn`, functions[name].functionArn]),
      ),
      logs: {
        destination: new logs.LogGroup(this, 'StateMachineLogs', {
          retention,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
        level: props.executionLogging?.level ?? sfn.LogLevel.ALL,
        includeExecutionData: props.executionLogging?.includeExecutionData ?? false,
      },
      tracingEnabled: true,
    });
    // The ASL invokes the unqualified function ARNs only, so no version or alias wildcard.
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTaskFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: FUNCTION_NAMES.map((name) => functions[name].functionArn),
      }),
    );
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging and tracing: the CloudWatch Logs log-delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions support no resource-level permissions, so Step Functions requires them on "*" (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and "X-Ray").',
    });
    this.stateMachine = stateMachine;

    // Prepare asks whether the execution holding a route still runs before taking a stale lock over;
    // the guard asks how an execution failed when its event does not say. A policy of its own: a
    // function's default policy may not name the state machine, which names the function (a cycle).
    const readExecutions = new iam.Policy(this, 'ReadExecutions', {
      roles: [roles.Prepare],
      statements: [
        new iam.PolicyStatement({
          sid: 'IsLockHolderRunning',
          actions: ['states:DescribeExecution'],
          resources: [
            // The pseudo parameters, not the stack's env: the acknowledgement below names them, and a
            // stack with an explicit account and region would otherwise render literal values.
            `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${stateMachine.stateMachineName}:*`,
          ],
        }),
      ],
    });
    Validations.of(readExecutions).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(this).getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine)}.Name>:*]`,
      reason:
        'Executions are named when a release starts; the grant is to read (DescribeExecution) any execution of this one state machine: whether the one holding a route lock still runs, and how one that failed ended.',
    });

    const deadLetterQueue = new sqs.Queue(this, 'TriggerDeadLetterQueue', {
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the EventBridge rules that start releases; a dead-letter queue of its own would only move the same events one queue further.',
    });
    this.deadLetterQueue = deadLetterQueue;

    const startRelease = () =>
      new targets.SfnStateMachine(stateMachine, {
        deadLetterQueue,
        // A release that starts an hour late surprises no one; later than that, a person decides.
        retryAttempts: 8,
        maxEventAge: Duration.hours(1),
      });

    new events.Rule(this, 'ReleaseRequestedRule', {
      description: 'Starts a release for each "Release Requested" event on the stepshift bus.',
      eventBus: this.eventBus,
      eventPattern: { source: [RELEASE_REQUESTED.source], detailType: [RELEASE_REQUESTED.detailType] },
      targets: [startRelease()],
    });

    const repositories = [
      ...new Set(this.profiles.flatMap((p) => (p.source ? [p.source.ecrRepository] : []))),
    ];
    if (repositories.length > 0) {
      // ECR publishes image actions on the account's default bus only.
      new events.Rule(this, 'ImagePushedRule', {
        description: 'Starts a release when an image is pushed to a repository a release profile names.',
        eventPattern: {
          source: [ECR_IMAGE_ACTION.source],
          detailType: [ECR_IMAGE_ACTION.detailType],
          detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': repositories },
        },
        targets: [startRelease()],
      });
    }

    /**
     * A function an EventBridge rule invokes asynchronously: EventBridge's retries on the target,
     * Lambda's two retries of the invocation, then the dead-letter queue either way.
     */
    const asyncTarget = (fn: lambda.IFunction, ruleRetries: number, maxEventAge: Duration) => {
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge,
        onFailure: new destinations.SqsDestination(deadLetterQueue),
      });
      return new targets.LambdaFunction(fn, { deadLetterQueue, retryAttempts: ruleRetries, maxEventAge });
    };

    // The guard: StopExecution and timeouts skip Catch, and a rollback can run out of retries. Step
    // Functions reports every ended execution on the default bus; the guard's state machine puts the
    // route back at once, and lets go of it only after a Wait that outlasts any task of the ended
    // execution still running (a Lambda function goes on after StopExecution, up to its timeout). A
    // Wait rather than an EventBridge Scheduler schedule: nothing to create or clean up per release,
    // no function idle meanwhile, retries in ASL, and the rehearsal runs the same file.
    const guard = deploy('Guard');
    readExecutions.attachToRole(roles.Guard);
    const guardMachine = new sfn.StateMachine(this, 'GuardStateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(GUARD_DEFINITION),
      definitionSubstitutions: {
        GuardFunctionArn: guard.functionArn,
        DeadLetterQueueUrl: deadLetterQueue.queueUrl,
      },
      logs: {
        destination: new logs.LogGroup(this, 'GuardStateMachineLogs', {
          retention,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
        level: sfn.LogLevel.ALL,
        // Its input is the status change event, which carries the release execution's whole input.
        includeExecutionData: false,
      },
      tracingEnabled: true,
    });
    guardMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeGuardFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [guard.functionArn],
      }),
    );
    // What the guard could not finish through its retries goes to the dead-letter queue, for a person.
    deadLetterQueue.grantSendMessages(guardMachine);
    Validations.of(guardMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging and tracing: the CloudWatch Logs log-delivery actions (logs:CreateLogDelivery and the rest) and the X-Ray actions support no resource-level permissions, so Step Functions requires them on "*" (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and "X-Ray").',
    });
    new events.Rule(this, 'ExecutionEndedRule', {
      description: "Runs the guard's state machine when a release execution ends.",
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: GUARDED_STATUSES, stateMachineArn: [stateMachine.stateMachineArn] },
      },
      targets: [
        new targets.SfnStateMachine(guardMachine, {
          deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.guardFunction = guard;
    this.guardStateMachine = guardMachine;

    // Bake ends its own wait when an operator's request came between bakes; the alarm function ends
    // a bake when an alarm fires. A policy of its own, like ReadExecutions, to avoid a cycle.
    const taskResponses = new iam.Policy(this, 'EndBakes', {
      roles: [roles.Bake],
      statements: [
        new iam.PolicyStatement({
          sid: 'EndBakes',
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
          resources: [stateMachine.stateMachineArn],
        }),
      ],
    });
    const alarms = [...new Set(this.profiles.flatMap((p) => p.analysis.alarms))];
    if (alarms.length > 0) {
      const alarm = deploy('Alarm');
      taskResponses.attachToRole(roles.Alarm);
      new events.Rule(this, 'AlarmRule', {
        description: 'Ends the bake of a release whose profile names an alarm that went into ALARM.',
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          detail: { alarmName: alarms, state: { value: ['ALARM'] } },
        },
        // A late delivery is worth little: the next analysis reads the alarm anyway.
        targets: [asyncTarget(alarm, 2, Duration.minutes(15))],
      });
      this.alarmFunction = alarm;
    }

    // Only the functions put stepshift's lifecycle events on the bus, whatever else a role may do.
    denyForgedLifecycleEvents(this, this.eventBus, Object.values(roles));
  }

  /**
   * Lets the grantee start releases (StartExecution) and follow them (DescribeExecution), as a
   * pipeline or a deploy role does.
   */
  grantStartRelease(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine
      .grantStartExecution(grantee)
      .combine(this.stateMachine.grantExecution(grantee, 'states:DescribeExecution'));
  }

  /**
   * Lets the grantee put "Release Requested" events on the stepshift bus, and no other event: the
   * lifecycle events (Release Promoted, ...) only the functions put.
   */
  grantPutReleaseRequest(grantee: iam.IGrantable): iam.Grant {
    return grantReleaseRequests(this.eventBus, grantee);
  }

  /**
   * Lets the grantee end a bake early with the task token (SendTaskSuccess, SendTaskFailure,
   * SendTaskHeartbeat) on this state machine.
   */
  grantTaskResponse(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantTaskResponse(grantee);
  }

  /**
   * Lets the grantee run `stepshift abort|promote|pause|resume|approve|reject`: record requests in a
   * release's controls (UpdateItem on control# items only: no lock, snapshot or ledger item) and end the
   * bake it waits in.
   */
  grantOperate(grantee: iam.IGrantable): iam.Grant {
    const [controls] = tableStatements(this.table, TABLE_ACCESS.Operator, 'OperateReleases');
    return iam.Grant.addToPrincipal({
      grantee,
      actions: controls?.actions ?? [],
      resourceArns: [this.table.tableArn],
      conditions: controls?.conditions ?? {},
    }).combine(this.grantTaskResponse(grantee));
  }

  private taskFunction(
    name: DeployedFunction,
    options: { retention: logs.RetentionDays; logLevel: ReleaseLogLevel; profiles?: lambda.ILayerVersion },
  ): { fn: nodejs.NodejsFunction; role: iam.Role } {
    const logGroup = new logs.LogGroup(this, `${name}Logs`, {
      retention: options.retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of its own per function: each gets only the statements its state needs, and log writes
    // to its own log group instead of the AWSLambdaBasicExecutionRole managed policy.
    const role = new iam.Role(this, `${name}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `stepshift ${name} function`,
    });
    logGroup.grantWrite(role);
    const fn = new nodejs.NodejsFunction(this, `${name}Function`, {
      entry: `${ROOT}functions/${name.toLowerCase()}.ts`,
      handler: 'handler',
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
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
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'stepshift',
        POWERTOOLS_LOG_LEVEL: options.logLevel,
        STEPSHIFT_EVENT_BUS_NAME: this.eventBus.eventBusName,
        STEPSHIFT_TABLE_NAME: this.table.tableName,
        // Layers are extracted under /opt (Lambda developer guide, "Working with Lambda layers").
        ...(options.profiles ? { [PROFILES_FILE_VARIABLE]: `/opt/${PROFILES_IN_LAYER}` } : {}),
      },
      ...(options.profiles ? { layers: [options.profiles] } : {}),
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        logLevel: nodejs.LogLevel.WARNING,
        keepNames: true,
        // The SDK versions the rehearsal runs against, not whichever the Lambda runtime ships (its
        // App Mesh client may go at any time now that App Mesh is out of support).
        bundleAwsSDK: true,
      },
    });
    return { fn, role };
  }
}

/** Each profile parsed as Prepare would parse it; one profile per service. */
function validateProfiles(inputs: readonly ProfileInput[]): ReleaseProfile[] {
  if (inputs.length === 0) {
    throw new Error('ReleaseOrchestrator: profiles is empty; give at least one release profile');
  }
  const profiles = inputs.map((input, i) => {
    try {
      const profile = parseProfile(input, routerKinds);
      // Prepare stores the profile as canonical JSON: what it would refuse there fails the synth here.
      storedProfileOf('synth', profile);
      return profile;
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      const service = (input as { service?: unknown } | null)?.service;
      const which = typeof service === 'string' ? `profiles[${i}] (service "${service}")` : `profiles[${i}]`;
      throw new Error(`ReleaseOrchestrator: ${which} is not a valid release profile: ${error.message}`, {
        cause: error,
      });
    }
  });
  const seen = new Map<string, number>();
  for (const [i, profile] of profiles.entries()) {
    const first = seen.get(profile.service);
    if (first !== undefined) {
      throw new Error(
        `ReleaseOrchestrator: profiles[${first}] and profiles[${i}] are both for service "${profile.service}"; a service has one release profile`,
      );
    }
    seen.set(profile.service, i);
  }
  return profiles;
}
