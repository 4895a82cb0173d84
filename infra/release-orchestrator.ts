import { RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { InvalidRequestError } from '#core/errors.ts';
import { type ProfileInput, parseProfile, type ReleaseProfile } from '#core/profile/profile.ts';
import { storedProfileOf } from '#core/release/wire.ts';
import type { FunctionName } from '#functions/index.ts';
import { acknowledgeWildcards } from '#routers/iam/wildcards.ts';
import { routerKinds } from '#routers/registry.ts';
import { ServiceDashboard } from './observability/dashboard.ts';
import { Notifications, type NotificationsOptions } from './observability/notifications.ts';
import { OwnAlarms } from './observability/own-alarms.ts';
import { endBakesPolicy, readExecutionsPolicy } from './orchestrator-grants.ts';
import {
  denyForgedLifecycleEvents,
  grantReleaseRequests,
  lifecycleEventsStatement,
} from './permissions/events.ts';
import { TABLE_ACCESS, tableStatements } from './permissions/table.ts';
import { type DeployedFunction, permissionsFor } from './profile-permissions.ts';
import { createProfilesLayer, READS_PROFILES } from './profiles-layer.ts';
import { alarmTrigger, releaseTriggers, triggerDeadLetterQueue } from './release-triggers.ts';
import { guardStateMachine, releaseStateMachine } from './state-machines.ts';
import { FUNCTION_NAMES, type ReleaseLogLevel, taskFunction } from './task-functions.ts';

/** The construct's log level prop, as the functions' logs understand it. */
export type { ReleaseLogLevel };

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
   * Whether the functions' code carries source maps, so that stack traces in their logs point at
   * the TypeScript sources (`NODE_OPTIONS=--enable-source-maps`). Off, the code is about a fifth
   * the size and loads faster on a cold start. From a checkout only: the package's prebuilt code
   * carries none, and the synth says so.
   * @default false
   */
  readonly sourceMaps?: boolean;

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

  /**
   * Whether each service gets a CloudWatch dashboard: its gating alarms, its metric checks for the
   * canary and the stable, release outcomes and the dead-letter queue (docs/operating.md).
   * @default true
   */
  readonly dashboards?: boolean;

  /**
   * What each service's dashboard is called: this, then the service name ("." becomes "_", which
   * dashboard names do not take). Two orchestrators in one account and region need different ones.
   * @default 'stepshift-'
   */
  readonly dashboardNamePrefix?: string;

  /**
   * Whether stepshift gets alarms on itself: a rollback that failed, a release that failed for a
   * reason other than a verdict or a person, events in the dead-letter queue. They notify the
   * notification topic, when there is one.
   * @default true
   */
  readonly ownAlarms?: boolean;

  /**
   * Lifecycle events as messages on an SNS topic (and through it a chat channel): absent, none.
   * @default - no notifications
   */
  readonly notifications?: NotificationsOptions;
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
  /** Each service's dashboard, by service name; empty with `dashboards: false`. */
  readonly dashboards: Readonly<Record<string, cloudwatch.Dashboard>>;
  /** stepshift's alarms on itself; absent with `ownAlarms: false`. */
  readonly ownAlarms?: OwnAlarms;
  /** Where lifecycle messages go; absent without `notifications`. */
  readonly notificationTopic?: sns.ITopic;

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
      const { fn, role } = taskFunction(this, name, {
        retention,
        logLevel,
        eventBus: this.eventBus,
        table,
        sourceMaps: props.sourceMaps ?? false,
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

    const stateMachine = releaseStateMachine(this, {
      functions,
      retention,
      ...(props.stateMachineName === undefined ? {} : { stateMachineName: props.stateMachineName }),
      level: props.executionLogging?.level ?? sfn.LogLevel.ALL,
      includeExecutionData: props.executionLogging?.includeExecutionData ?? false,
    });
    this.stateMachine = stateMachine;
    const readExecutions = readExecutionsPolicy(this, stateMachine, roles.Prepare);

    const deadLetterQueue = triggerDeadLetterQueue(this);
    this.deadLetterQueue = deadLetterQueue;
    releaseTriggers(this, {
      eventBus: this.eventBus,
      stateMachine,
      deadLetterQueue,
      profiles: this.profiles,
    });

    const guard = deploy('Guard');
    readExecutions.attachToRole(roles.Guard);
    this.guardFunction = guard;
    this.guardStateMachine = guardStateMachine(this, {
      guard,
      releases: stateMachine,
      deadLetterQueue,
      retention,
    });

    const taskResponses = endBakesPolicy(this, stateMachine, roles.Bake);
    const alarms = [...new Set(this.profiles.flatMap((p) => p.analysis.alarms))];
    if (alarms.length > 0) {
      const alarm = deploy('Alarm');
      taskResponses.attachToRole(roles.Alarm);
      alarmTrigger(this, alarm, alarms, deadLetterQueue);
      this.alarmFunction = alarm;
    }

    // Only the functions put stepshift's lifecycle events on the bus, whatever else a role may do.
    denyForgedLifecycleEvents(this, this.eventBus, Object.values(roles));

    if (props.notifications) {
      const notifications = new Notifications(this, 'Notifications', {
        ...props.notifications,
        eventBus: this.eventBus,
      });
      this.notificationTopic = notifications.topic;
    }
    if (props.ownAlarms ?? true) {
      const ownAlarms = new OwnAlarms(this, 'OwnAlarms', {
        eventBus: this.eventBus,
        stateMachine,
        deadLetterQueue,
      });
      const topic = this.notificationTopic;
      if (topic)
        for (const alarm of ownAlarms.alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      this.ownAlarms = ownAlarms;
    }
    const dashboards: Record<string, cloudwatch.Dashboard> = {};
    if (props.dashboards ?? true) {
      const prefix = props.dashboardNamePrefix ?? 'stepshift-';
      // CloudWatch's rule for dashboard names (PutDashboard): letters, digits, "-" and "_"; 255 at most,
      // and a service name takes up to 128.
      if (!/^[A-Za-z0-9_-]{0,127}$/.test(prefix)) {
        throw new Error(
          `ReleaseOrchestrator: dashboardNamePrefix "${prefix}" is not the start of a dashboard name; use up to 127 letters, digits, "-" and "_"`,
        );
      }
      for (const profile of this.profiles) {
        // By service, not position: reordering profiles must not replace a dashboard under the same name.
        dashboards[profile.service] = new ServiceDashboard(this, `Dashboard-${profile.service}`, {
          profile,
          dashboardName: `${prefix}${profile.service.replaceAll('.', '_')}`,
          stateMachine,
          deadLetterQueue,
          ownAlarms: this.ownAlarms?.alarms ?? [],
        }).dashboard;
      }
    }
    this.dashboards = dashboards;
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
   * Lets the grantee run `stepshift list`, `history`, `watch` and `status` with its view: read only,
   * ListExecutions on the state machine, DescribeExecution and GetExecutionHistory on its executions
   * (the resource types the Service Authorization Reference gives these actions). A history holds each
   * state's input and output: the release state (weights, reasons), never the profile (core/release/wire.ts).
   */
  grantObserve(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:ListExecutions'],
      resourceArns: [this.stateMachine.stateMachineArn],
    }).combine(
      this.stateMachine.grantExecution(grantee, 'states:DescribeExecution', 'states:GetExecutionHistory'),
    );
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

export { profilesFrom } from './profiles-from.ts';
