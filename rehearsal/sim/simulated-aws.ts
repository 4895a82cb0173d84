import { createHash } from 'node:crypto';
import { type HttpHandler, type HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { VirtualClock } from '#rehearsal/script/clock.ts';
import { SimulatedAlb } from '#routers/alb/sim/model.ts';
import { queryCall, queryError, queryResponse } from '#routers/alb/sim/wire.ts';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
import { ServiceError } from '#routers/sim/service.ts';
import type { FinalTargetGroupRoute } from '#routers/target-groups/sim/route.ts';
import { SimulatedLattice } from '#routers/vpc-lattice/sim/model.ts';
import { latticeCall } from '#routers/vpc-lattice/sim/wire.ts';
import { hookAnswer } from '../script/hooks.ts';
import { CodeDeployError, getDeploymentConfig } from '../services/codedeploy/model.ts';
import { callDynamo, createReleaseTable, onTable } from '../services/dynamodb/dynalite.ts';
import { overPutEventsLimit, PUT_EVENTS_TOO_LARGE } from '../services/eventbridge/limits.ts';
import { getSecretValue, SecretsManagerError } from '../services/secrets-manager/model.ts';
import {
  ALARM_STATES,
  ALB_OPERATIONS,
  type AlarmStateValue,
  APPMESH_OPERATIONS,
  type ApiFault,
  CLOUDWATCH_OPERATIONS,
  CODEDEPLOY_OPERATIONS,
  DYNAMODB_OPERATIONS,
  ECS_OPERATIONS,
  EVENTBRIDGE_OPERATIONS,
  FAULT_ERRORS,
  type FaultErrorName,
  LATTICE_OPERATIONS,
  SECRETSMANAGER_OPERATIONS,
  STEPFUNCTIONS_OPERATIONS,
  type World,
  type WorldAlarm,
} from './world.ts';

type Json = Record<string, unknown>;
export type SimulatedService =
  | 'appmesh'
  | 'cloudwatch'
  | 'events'
  | 'dynamodb'
  | 'states'
  | 'lattice'
  | 'elbv2'
  | 'ecs'
  | 'lambda'
  | 'codedeploy'
  | 'secretsmanager';

const SERVICE_NAMES: Record<SimulatedService, string> = {
  appmesh: 'App Mesh',
  cloudwatch: 'CloudWatch',
  events: 'EventBridge',
  dynamodb: 'DynamoDB',
  states: 'Step Functions',
  lattice: 'VPC Lattice',
  elbv2: 'Elastic Load Balancing',
  ecs: 'ECS',
  lambda: 'Lambda',
  codedeploy: 'CodeDeploy',
  secretsmanager: 'Secrets Manager',
};

/** The table the functions are told to use (STEPSHIFT_TABLE_NAME on AWS), as calls show it. */
export const REHEARSAL_TABLE = 'stepshift-releases';
let tablesCreated = 0;

/** One call as the simulated AWS received it, in arrival order. */
export interface CallRecord {
  /** Virtual seconds since the rehearsal started, when the call arrived. */
  at: number;
  service: SimulatedService;
  /** The API operation ("UpdateRoute"); for a request it does not serve, the target or "METHOD /path". */
  operation: string;
  /** The operation's input as the SDK command took it (path labels, query and body members together). */
  input: Record<string, unknown>;
  /** Set when the call was answered with an error, injected or not. */
  error?: { name: string; message: string };
}

/** Which route: App Mesh's route key. */
export interface RouteKey {
  readonly meshName: string;
  readonly virtualRouterName: string;
  readonly routeName: string;
  readonly meshOwner?: string | undefined;
}

type Spec = Record<string, { action?: { weightedTargets?: { virtualNode: string; weight: number }[] } }>;

/** The weighted targets of a RouteSpec as target -> percent; lenient, as a timeline must never throw. */
export function weightsInSpec(spec: unknown): Record<string, number> {
  const kind = Object.values((spec ?? {}) as Spec).find((k) => k?.action?.weightedTargets);
  return Object.fromEntries((kind?.action?.weightedTargets ?? []).map((t) => [t.virtualNode, t.weight]));
}

function sameRoute(a: RouteKey, b: RouteKey): boolean {
  return (
    a.meshName === b.meshName &&
    a.virtualRouterName === b.virtualRouterName &&
    a.routeName === b.routeName &&
    a.meshOwner === b.meshOwner
  );
}

/** A route as the rehearsal ends with it. */
export interface FinalRoute {
  meshName: string;
  virtualRouterName: string;
  routeName: string;
  meshOwner?: string;
  /** The RouteSpec as DescribeRoute would return it. */
  spec: Record<string, unknown>;
  version: number;
}

/** An event as it reached a bus through PutEvents. */
export interface BusEvent {
  /** Virtual seconds since the rehearsal started. */
  at: number;
  eventBusName: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** DescribeAlarms returns 50 records a page unless MaxRecords says otherwise (1..100). */
const ALARMS_PAGE_SIZE = 50;
const MAX_ALARMS_PAGE_SIZE = 100;
const MAX_ALARM_NAMES = 100;
/** GetMetricData: at most 500 queries a call, and 100,800 datapoints a page unless MaxDatapoints says fewer. */
const MAX_METRIC_QUERIES = 500;
const MAX_METRIC_DATAPOINTS = 100_800;
const METRIC_QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const EVENTBRIDGE_TARGET_PREFIX = 'AWSEvents.';
const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
const STEPFUNCTIONS_TARGET_PREFIX = 'AWSStepFunctions.';
const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const CODEDEPLOY_TARGET_PREFIX = 'CodeDeploy_20141006.';
const SECRETSMANAGER_TARGET_PREFIX = 'secretsmanager.';
/** PutEvents takes 1..10 entries a call. */
const MAX_PUT_EVENTS_ENTRIES = 10;
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm', 'LogAlarm'] as const;
const ROUTE_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualRouter\/([^/]+)\/routes\/([^/]+)$/;
const ROUTES_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualRouter\/([^/]+)\/routes$/;
const VIRTUAL_NODE_PATH = /^\/v20190125\/meshes\/([^/]+)\/virtualNodes\/([^/]+)$/;

/** An AWS error on its way to becoming an HTTP error response. */
class AwsError extends Error {
  constructor(
    override readonly name: string,
    readonly status: number,
    message: string,
    /** CloudWatch's query-compatible code when it differs from the name (x-amzn-query-error). */
    readonly queryCode: string = name,
  ) {
    super(message);
  }
}

interface RouteState {
  readonly meshName: string;
  readonly virtualRouterName: string;
  readonly routeName: string;
  readonly meshOwner: string | undefined;
  readonly uid: string;
  spec: Json;
  version: number;
  lastUpdatedAt: number;
  /** clientToken -> the canonical JSON of the spec it applied and the answer it got, for replays. */
  readonly tokens: Map<string, { spec: string; result: Json }>;
}

interface ParsedCall {
  service: SimulatedService;
  operation: string;
  input: Json;
  /** Set when the request could not be read (a body that is not JSON); answered as a 400. */
  unreadable?: string;
  region: string;
}

/** What SendTaskSuccess or SendTaskFailure told a waiting task. */
export type TaskResponse = { readonly output: string } | { readonly error: string; readonly cause: string };

/**
 * AWS App Mesh and CloudWatch as a rehearsal scenario scripts them, served through the SDK clients'
 * transport: pass `requestHandler` to AppMeshClient and CloudWatchClient and the real clients
 * serialize, sign, retry and parse as they would against AWS, while state lives here and time is the
 * VirtualClock's. Every call is logged in `calls` and takes `world.callLatency` of virtual time.
 */
export class SimulatedAws {
  readonly calls: CallRecord[] = [];
  /** Every event the release put on a bus, in order. */
  readonly busEvents: BusEvent[] = [];
  /** Executions the rehearsal runs, by ARN, with their status as DescribeExecution reports it. */
  readonly executions = new Map<string, 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT'>();
  /** The error and cause of each failed execution, as DescribeExecution reports them. */
  readonly executionFailures = new Map<string, { error: string; cause: string }>();
  /**
   * Where SendTaskSuccess and SendTaskFailure go: the rehearsal ends the bake waiting with that token
   * and answers true, or false when no task waits with it (Step Functions then answers TaskTimedOut).
   */
  taskResponder: (token: string, response: TaskResponse) => boolean = () => false;
  /** Lambda hook functions by name, and the hook each is (world.hooks is keyed by hook name). */
  readonly hookFunctions = new Map<string, string>();
  readonly requestHandler: HttpHandler;
  /**
   * How a call's latency passes: the rehearsal fires what falls due meanwhile (a person's stop, the
   * guard), so a task is not one instant. Alone, the clock simply moves on.
   */
  passTime: (seconds: number) => Promise<void>;

  readonly #world: World;
  readonly #clock: VirtualClock;
  /** Wall-clock milliseconds at virtual time 0: timestamps AWS returns are epoch-based. */
  readonly #epochMs: number;
  readonly #routes: RouteState[];
  readonly #lattice: SimulatedLattice;
  readonly #alb: SimulatedAlb;
  readonly #callsByOperation = new Map<string, number>();
  /** CreateRoute's clientTokens: the route they created and the answer, for replays. */
  readonly #createTokens = new Map<string, { key: string; spec: string; result: Json }>();
  #requestCount = 0;
  /** This rehearsal's own table in the shared dynalite, created at the first DynamoDB call. */
  readonly #table = `stepshift-rehearsal-${++tablesCreated}`;
  #tableReady: Promise<void> | undefined;

  constructor(world: World, clock: VirtualClock) {
    this.#world = world;
    this.#clock = clock;
    this.passTime = async (seconds) => clock.advance(seconds);
    this.#epochMs = clock.now().getTime() - clock.seconds * 1000;
    this.#routes = world.appmesh.routes.map((r) => ({
      meshName: r.meshName,
      virtualRouterName: r.virtualRouterName,
      routeName: r.routeName,
      meshOwner: r.meshOwner,
      uid: uidFor(`route/${r.meshOwner ?? ''}/${r.meshName}/${r.virtualRouterName}/${r.routeName}`),
      spec: structuredClone(r.spec),
      version: 1,
      lastUpdatedAt: 0,
      tokens: new Map(),
    }));
    this.#lattice = new SimulatedLattice(world.lattice);
    this.#alb = new SimulatedAlb(world.alb);
    this.requestHandler = {
      handle: async (request: HttpRequest) => {
        const response = header(request, 'x-amz-target')?.startsWith(DYNAMODB_TARGET_PREFIX)
          ? await this.#serveDynamo(request)
          : this.#serve(request);
        // The call takes its latency after it is answered from the state at arrival, so a call arriving
        // exactly when an alarm changes sees the new state; what falls due meanwhile happens then.
        await this.passTime(this.#world.callLatency);
        return { response };
      },
      // The SDK may pass its logger and socket timeout along; a simulated transport needs neither.
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
  }

  /**
   * The route locks still held in this rehearsal's table, as "<route key> by <execution>": empty when
   * every release let go of its route.
   */
  async heldLocks(): Promise<string[]> {
    if (!this.#tableReady) return [];
    await this.#tableReady;
    const answer = await callDynamo('Scan', {
      TableName: this.#table,
      FilterExpression: 'sk = :lock',
      ExpressionAttributeValues: { ':lock': { S: 'lock' } },
    });
    const items = (JSON.parse(answer.body) as { Items?: Record<string, { S?: string }>[] }).Items ?? [];
    return items.map((i) => `${i.routeKey?.S} by ${i.executionId?.S}`);
  }

  /**
   * The weights a route holds now, target -> percent, read from its live spec without copying it:
   * the timeline asks at every entry. Empty for a route the world does not have.
   */
  weightsOf(key: RouteKey): Record<string, number> {
    const route = this.#routes.find((r) => sameRoute(r, key));
    return route ? weightsInSpec(route.spec) : {};
  }

  /**
   * The weights of the VPC Lattice rule (or listener default action) a profile names, target group
   * name -> weight, with a person's edits due by now applied. Empty for a route the world does not have.
   */
  latticeWeightsOf(key: {
    serviceIdentifier?: string;
    listenerIdentifier?: string;
    ruleIdentifier?: string;
  }) {
    this.#lattice.applyEdits(this.#clock.seconds);
    return this.#lattice.weightsOf(key);
  }

  /** The weights of the ALB rule (or listener default actions) a profile names, as latticeWeightsOf. */
  albWeightsOf(key: { listenerArn?: string; ruleArn?: string }) {
    this.#alb.applyEdits(this.#clock.seconds);
    return this.#alb.weightsOf(key);
  }

  /** Every Lattice and ALB route as it is now: its fields as the service holds them, and its updates. */
  finalTargetGroupRoutes(): { lattice: FinalTargetGroupRoute[]; alb: FinalTargetGroupRoute[] } {
    this.#lattice.applyEdits(this.#clock.seconds);
    this.#alb.applyEdits(this.#clock.seconds);
    return { lattice: this.#lattice.final(), alb: this.#alb.final() };
  }

  /** Every route with its current spec and version, in the order the scenario declared them. */
  finalRoutes(): FinalRoute[] {
    return this.#routes.map((r) => ({
      meshName: r.meshName,
      virtualRouterName: r.virtualRouterName,
      routeName: r.routeName,
      ...(r.meshOwner === undefined ? {} : { meshOwner: r.meshOwner }),
      spec: structuredClone(r.spec),
      version: r.version,
    }));
  }

  /**
   * A person changing the route by hand (the console or the CLI calling UpdateRoute): the whole spec
   * is replaced and the version rises, as UpdateRoute does. It is not a call of the release, so it is
   * not in `calls`, takes no latency and meets no injected fault. Returns the route as it is now.
   * @throws Error with App Mesh's reasons when App Mesh would refuse the spec, or when no such route exists.
   */
  editRoute(key: RouteKey, spec: Record<string, unknown>): FinalRoute {
    const problems = validateUpdateRouteInput({ ...key, spec });
    if (problems.length > 0)
      throw new Error(`App Mesh would refuse this UpdateRoute: ${problems.join('; ')}`);
    let route: RouteState;
    try {
      route = this.#findRoute({ ...key });
    } catch (error) {
      throw new Error((error as Error).message);
    }
    route.spec = structuredClone(spec);
    route.version += 1;
    route.lastUpdatedAt = this.#clock.seconds;
    return this.finalRoutes().find((r) => sameRoute(r, route)) as FinalRoute;
  }

  /** Logs the call as it arrives; returns its record and which call of its operation it is. */
  #arrive(call: ParsedCall, at: number): { record: CallRecord; number: number } {
    const record: CallRecord = { at, service: call.service, operation: call.operation, input: call.input };
    this.calls.push(record);
    const number = (this.#callsByOperation.get(call.operation) ?? 0) + 1;
    this.#callsByOperation.set(call.operation, number);
    return { record, number };
  }

  /**
   * DynamoDB calls go to dynalite, with the scenario's faults and latency applied here. The table the
   * functions name is mapped onto this rehearsal's own, so rehearsals never see each other's items.
   */
  async #serveDynamo(request: HttpRequest): Promise<HttpResponse> {
    const at = this.#clock.seconds;
    const call = parseCall(request);
    const { record, number } = this.#arrive(call, at);
    const requestId = this.#nextRequestId();
    let response: HttpResponse;
    const fault = this.#faultFor(call.operation, number, at);
    if (fault || call.unreadable !== undefined) {
      const error = fault
        ? injected(fault, call.operation, number, at)
        : unreadable(call.service, call.unreadable ?? '');
      record.error = { name: error.name, message: error.message };
      response = failure(call.service, requestId, error);
    } else {
      this.#tableReady ??= createReleaseTable(this.#table);
      await this.#tableReady;
      const answer = await callDynamo(call.operation, onTable(call.input, REHEARSAL_TABLE, this.#table));
      if (answer.status !== 200) {
        const body = parseJsonObject(answer.body).value;
        const name =
          String(body.__type ?? 'UnknownError')
            .split('#')
            .pop() ?? 'UnknownError';
        record.error = { name, message: String(body.message ?? body.Message ?? '') };
      }
      response = new HttpResponse({
        statusCode: answer.status,
        headers: { 'content-type': CONTENT_TYPES.dynamodb, 'x-amzn-requestid': requestId },
        body: new TextEncoder().encode(answer.body.replaceAll(this.#table, REHEARSAL_TABLE)),
      });
    }
    return response;
  }

  #serve(request: HttpRequest): HttpResponse {
    const at = this.#clock.seconds;
    const call = parseCall(request);
    const { record, number } = this.#arrive(call, at);
    const requestId = this.#nextRequestId();

    let response: HttpResponse;
    try {
      const fault = this.#faultFor(call.operation, number, at);
      if (fault) throw injected(fault, call.operation, number, at, SERVICE_FAULT_STATUS[call.service]);
      if (call.unreadable !== undefined) throw unreadable(call.service, call.unreadable);
      response =
        call.service === 'lambda'
          ? this.#invokeHook(call, requestId, at)
          : success(call.service, requestId, this.#answer(call, at), call.operation);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      record.error = { name: error.name, message: error.message };
      response = failure(call.service, requestId, error);
    }
    return response;
  }

  #answer(call: ParsedCall, at: number): Json {
    if (call.service === 'lattice' || call.service === 'elbv2') return this.#answerTargetGroups(call, at);
    switch (call.operation) {
      case 'DescribeRoute':
        return this.#routeData(this.#findRoute(call.input), call.region);
      case 'UpdateRoute':
        return this.#updateRoute(call.input, call.region, at);
      case 'CreateRoute':
        return this.#createRoute(call.input, call.region, at);
      case 'DeleteRoute':
        return this.#deleteRoute(call.input, call.region);
      case 'DescribeVirtualNode':
        return this.#describeVirtualNode(call.input, call.region);
      case 'DescribeAlarmHistory':
        return this.#describeAlarmHistory(call.input, at);
      case 'DescribeAlarms':
        return this.#describeAlarms(call.input, call.region, at);
      case 'GetMetricData':
        return this.#getMetricData(call.input, at);
      case 'PutEvents':
        return this.#putEvents(call.input, at);
      case 'DescribeExecution':
        return this.#describeExecution(call.input);
      case 'DescribeServices':
        return this.#describeServices(call.input, call.region, at);
      case 'SendTaskSuccess':
        return this.#respond(call.input, { output: String(call.input.output ?? '{}') });
      case 'SendTaskFailure':
        return this.#respond(call.input, {
          error: String(call.input.error ?? ''),
          cause: String(call.input.cause ?? ''),
        });
      case 'GetDeploymentConfig':
        try {
          return getDeploymentConfig(this.#world.codedeploy, call.input, this.#epochSeconds(0));
        } catch (error) {
          if (error instanceof CodeDeployError) throw new AwsError(error.name, error.status, error.message);
          throw error;
        }
      case 'GetSecretValue':
        try {
          const where = { region: call.region, account: SIMULATED_ACCOUNT, createdAt: this.#epochSeconds(0) };
          return getSecretValue(this.#world.secrets, call.input, where);
        } catch (error) {
          if (error instanceof SecretsManagerError)
            throw new AwsError(error.name, error.status, error.message);
          throw error;
        }
      default: {
        const served = {
          appmesh: APPMESH_OPERATIONS.join(', '),
          cloudwatch: CLOUDWATCH_OPERATIONS.map((o) => `${CLOUDWATCH_TARGET_PREFIX}${o}`).join(', '),
          events: EVENTBRIDGE_OPERATIONS.map((o) => `${EVENTBRIDGE_TARGET_PREFIX}${o}`).join(', '),
          dynamodb: DYNAMODB_OPERATIONS.map((o) => `${DYNAMODB_TARGET_PREFIX}${o}`).join(', '),
          states: STEPFUNCTIONS_OPERATIONS.map((o) => `${STEPFUNCTIONS_TARGET_PREFIX}${o}`).join(', '),
          lattice: LATTICE_OPERATIONS.join(', '),
          elbv2: ALB_OPERATIONS.join(', '),
          ecs: ECS_OPERATIONS.map((o) => `${ECS_TARGET_PREFIX}${o}`).join(', '),
          lambda: 'Invoke',
          codedeploy: CODEDEPLOY_OPERATIONS.map((o) => `${CODEDEPLOY_TARGET_PREFIX}${o}`).join(', '),
          secretsmanager: SECRETSMANAGER_OPERATIONS.map((o) => `${SECRETSMANAGER_TARGET_PREFIX}${o}`).join(
            ', ',
          ),
        }[call.service];
        throw new AwsError(
          'UnknownOperationException',
          400,
          `The simulated ${SERVICE_NAMES[call.service]} does not serve ${call.operation}; it serves ${served}`,
        );
      }
    }
  }

  /**
   * VPC Lattice and ELB: a person's edits due by now land first (they happened before this call), then
   * the call is answered from the route's state.
   */
  #answerTargetGroups(call: ParsedCall, at: number): Json {
    try {
      if (call.service === 'lattice') {
        this.#lattice.applyEdits(at);
        // Lattice's timestamps are RFC 3339 date-times on the wire.
        const answer = this.#lattice.answer(call.operation, call.input, call.region, at, (s) =>
          new Date(this.#epochSeconds(s) * 1000).toISOString(),
        );
        if (answer) return answer;
      } else {
        this.#alb.applyEdits(at);
        const answer = this.#alb.answer(call.operation, call.input);
        if (answer) return answer;
      }
    } catch (error) {
      if (error instanceof ServiceError) throw new AwsError(error.name, error.status, error.message);
      throw error;
    }
    const served = call.service === 'lattice' ? LATTICE_OPERATIONS : ALB_OPERATIONS;
    throw new AwsError(
      call.service === 'lattice' ? 'ValidationException' : 'InvalidAction',
      400,
      `The simulated ${SERVICE_NAMES[call.service]} does not serve ${call.operation}; it serves ${served.join(', ')}`,
    );
  }

  /**
   * EventBridge takes each entry on its own: a malformed one is refused in its result entry (and
   * counted in FailedEntryCount) while the others go through, as PutEvents does.
   */
  #putEvents(input: Json, at: number): Json {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
      throw new AwsError(
        'ValidationException',
        400,
        `Entries must hold 1 to ${MAX_PUT_EVENTS_ENTRIES} events; got ${Array.isArray(entries) ? entries.length : 'none'}`,
      );
    }
    if (overPutEventsLimit(entries)) throw new AwsError('ValidationException', 400, PUT_EVENTS_TOO_LARGE);
    const results = entries.map((raw: unknown, i: number): Json => {
      const entry = (raw ?? {}) as Json;
      const missing = ['Source', 'DetailType', 'Detail'].find(
        (k) => typeof entry[k] !== 'string' || entry[k] === '',
      );
      if (missing)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${missing} is not valid.` };
      const detail = parseJsonObject(entry.Detail as string);
      if (detail.error !== undefined)
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      this.busEvents.push({
        at,
        eventBusName: typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default',
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: detail.value,
      });
      return { EventId: uidFor(`event/${this.busEvents.length}/${i}`) };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  }

  #describeExecution(input: Json): Json {
    const arn = String(input.executionArn ?? '');
    const status = this.executions.get(arn);
    if (!status) throw new AwsError('ExecutionDoesNotExist', 400, `Execution Does Not Exist: '${arn}'`);
    return {
      executionArn: arn,
      status,
      ...this.executionFailures.get(arn),
      stateMachineArn: arn.replace(/:execution:([^:]+):[^:]+$/, ':stateMachine:$1'),
    };
  }

  /**
   * ECS DescribeServices: each named service in its latest scripted state at this time, or a
   * "MISSING" failure before its first (or when the world does not have it), as ECS answers.
   */
  #describeServices(input: Json, region: string, at: number): Json {
    const cluster = String(input.cluster ?? 'default');
    const names = Array.isArray(input.services) ? input.services.map(String) : [];
    const services: Json[] = [];
    const failures: Json[] = [];
    for (const name of names) {
      const arn = `arn:aws:ecs:${region}:${SIMULATED_ACCOUNT}:service/${cluster}/${name}`;
      const scripted = this.#world.ecs.services.find((s) => s.cluster === cluster && s.serviceName === name);
      const state = scripted?.states.findLast((s) => s.at <= at);
      if (!state) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      services.push({
        serviceArn: arn,
        serviceName: name,
        clusterArn: `arn:aws:ecs:${region}:${SIMULATED_ACCOUNT}:cluster/${cluster}`,
        status: state.status,
        desiredCount: state.desiredCount,
        runningCount: state.runningCount,
        pendingCount: Math.max(0, state.desiredCount - state.runningCount),
        deployments: Array.from({ length: state.deployments }, (_, i) => ({
          id: `ecs-svc/${i + 1}`,
          status: i === 0 ? 'PRIMARY' : 'ACTIVE',
          rolloutState:
            state.deployments === 1 && state.runningCount === state.desiredCount
              ? 'COMPLETED'
              : 'IN_PROGRESS',
        })),
      });
    }
    return { services, failures };
  }

  /**
   * Lambda Invoke of a hook function: answered from world.hooks by the hook's name (the profile maps
   * function names to hooks: `hookFunctions`). "error" answers as a function error (the
   * X-Amz-Function-Error header), "timeout" as one after the hook's time; a function the world does not
   * script is not found.
   */
  #invokeHook(call: ParsedCall, requestId: string, at: number): HttpResponse {
    if (call.operation !== 'Invoke') {
      throw new AwsError('UnknownOperationException', 400, 'The simulated Lambda serves Invoke only');
    }
    const fn = String(call.input.FunctionName);
    const hook = this.hookFunctions.get(fn);
    const answer = hook === undefined ? undefined : hookAnswer(this.#world, hook, at);
    if (answer === undefined) {
      throw new AwsError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${fn} (world.hooks scripts no answer for it${hook ? ` as hook ${hook}` : ''} at ${at}s)`,
      );
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
    };
    let payload: Json;
    if (answer.result === 'error' || answer.result === 'timeout') {
      headers['x-amz-function-error'] = 'Unhandled';
      payload =
        answer.result === 'timeout'
          ? { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out' }
          : { errorType: 'Error', errorMessage: answer.reason ?? 'the hook threw' };
    } else {
      payload = { result: answer.result, ...(answer.reason ? { reason: answer.reason } : {}) };
    }
    return new HttpResponse({
      statusCode: 200,
      headers,
      body: new TextEncoder().encode(JSON.stringify(payload)),
    });
  }

  #respond(input: Json, response: TaskResponse): Json {
    const token = String(input.taskToken ?? '');
    if (!this.taskResponder(token, response)) {
      throw new AwsError('TaskTimedOut', 400, `Task Timed Out: '${token}'`);
    }
    return {};
  }

  #faultFor(operation: string, number: number, at: number): ApiFault | undefined {
    return this.#world.faults.find((f): f is ApiFault => {
      if (!('operation' in f) || f.operation !== operation) return false;
      if (f.call !== undefined) return number >= f.call && number < f.call + (f.count ?? 1);
      return f.from !== undefined && at >= f.from && (f.until === undefined || at < f.until);
    });
  }

  #findRoute(input: Json): RouteState {
    const owner = typeof input.meshOwner === 'string' ? input.meshOwner : undefined;
    const route = this.#routes.find(
      (r) =>
        r.meshName === input.meshName &&
        r.virtualRouterName === input.virtualRouterName &&
        r.routeName === input.routeName &&
        r.meshOwner === owner,
    );
    if (!route) {
      throw new AwsError(
        'NotFoundException',
        404,
        `Route "${String(input.routeName)}" of virtual router "${String(input.virtualRouterName)}" in mesh "${String(input.meshName)}"${
          owner === undefined ? '' : ` owned by ${owner}`
        } does not exist`,
      );
    }
    return route;
  }

  #updateRoute(input: Json, region: string, at: number): Json {
    const problems = validateUpdateRouteInput(input);
    if (problems.length > 0) {
      const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'}`;
      throw new AwsError('BadRequestException', 400, `${count} detected: ${problems.join('; ')}`);
    }
    const route = this.#findRoute(input);
    const spec = input.spec as Json;
    const canonical = canonicalJson(spec);
    const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
    const applied = token === undefined ? undefined : route.tokens.get(token);
    if (applied !== undefined) {
      // A replay is answered with the first write's result and changes nothing, even if the route
      // has been written since; that is why a clientToken must never be reused for another write.
      if (applied.spec === canonical) return structuredClone(applied.result);
      throw new AwsError(
        'ConflictException',
        409,
        `clientToken "${token}" was already used to update this route with a different spec; use a new client token for a new spec`,
      );
    }
    route.spec = structuredClone(spec);
    route.version += 1;
    route.lastUpdatedAt = at;
    const result = this.#routeData(route, region);
    if (token !== undefined) route.tokens.set(token, { spec: canonical, result: structuredClone(result) });
    return result;
  }

  /**
   * CreateRoute, validated as UpdateRoute is (the same RouteSpec rules). A clientToken seen before with
   * the same route and spec is answered with the first call's result and creates nothing; a name the
   * virtual router already has is a ConflictException.
   */
  #createRoute(input: Json, region: string, at: number): Json {
    const problems = validateUpdateRouteInput(input);
    if (problems.length > 0) {
      const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'}`;
      throw new AwsError('BadRequestException', 400, `${count} detected: ${problems.join('; ')}`);
    }
    const owner = typeof input.meshOwner === 'string' ? input.meshOwner : undefined;
    const key = `${owner ?? ''}/${String(input.meshName)}/${String(input.virtualRouterName)}/${String(input.routeName)}`;
    const token = typeof input.clientToken === 'string' ? input.clientToken : undefined;
    const canonical = canonicalJson(input.spec as Json);
    const replayed = token === undefined ? undefined : this.#createTokens.get(token);
    if (replayed !== undefined && replayed.key === key && replayed.spec === canonical) {
      return structuredClone(replayed.result);
    }
    const router = this.#routes.some(
      (r) =>
        r.meshName === input.meshName &&
        r.virtualRouterName === input.virtualRouterName &&
        r.meshOwner === owner,
    );
    if (!router) {
      throw new AwsError(
        'NotFoundException',
        404,
        `Virtual router "${String(input.virtualRouterName)}" in mesh "${String(input.meshName)}" does not exist`,
      );
    }
    if (this.#routes.some((r) => sameRoute(r, input as unknown as RouteKey) && r.meshOwner === owner)) {
      throw new AwsError(
        'ConflictException',
        409,
        `Route "${String(input.routeName)}" already exists on virtual router "${String(input.virtualRouterName)}"`,
      );
    }
    const route: RouteState = {
      meshName: String(input.meshName),
      virtualRouterName: String(input.virtualRouterName),
      routeName: String(input.routeName),
      meshOwner: owner,
      uid: uidFor(`route/${key}/${at}`),
      spec: structuredClone(input.spec as Json),
      version: 1,
      lastUpdatedAt: at,
      tokens: new Map(),
    };
    this.#routes.push(route);
    const result = this.#routeData(route, region);
    if (token !== undefined)
      this.#createTokens.set(token, { key, spec: canonical, result: structuredClone(result) });
    return result;
  }

  /** DeleteRoute: the route is gone at once, answered with its last state and status DELETED. */
  #deleteRoute(input: Json, region: string): Json {
    const route = this.#findRoute(input);
    this.#routes.splice(this.#routes.indexOf(route), 1);
    return { ...this.#routeData(route, region), status: { status: 'DELETED' } };
  }

  #describeVirtualNode(input: Json, region: string): Json {
    const owner = typeof input.meshOwner === 'string' ? input.meshOwner : undefined;
    const node = this.#world.appmesh.virtualNodes.find(
      (n) =>
        n.meshName === input.meshName && n.virtualNodeName === input.virtualNodeName && n.meshOwner === owner,
    );
    if (!node) {
      throw new AwsError(
        'NotFoundException',
        404,
        `Virtual node "${String(input.virtualNodeName)}" in mesh "${String(input.meshName)}"${
          owner === undefined ? '' : ` owned by ${owner}`
        } does not exist`,
      );
    }
    const account = node.meshOwner ?? SIMULATED_ACCOUNT;
    return {
      meshName: node.meshName,
      virtualNodeName: node.virtualNodeName,
      spec: {},
      metadata: {
        arn: `arn:aws:appmesh:${region}:${account}:mesh/${node.meshName}/virtualNode/${node.virtualNodeName}`,
        version: 1,
        uid: uidFor(`node/${node.meshOwner ?? ''}/${node.meshName}/${node.virtualNodeName}`),
        createdAt: this.#epochSeconds(0),
        lastUpdatedAt: this.#epochSeconds(0),
        meshOwner: account,
        resourceOwner: account,
      },
      status: { status: 'ACTIVE' },
    };
  }

  #routeData(route: RouteState, region: string): Json {
    const account = route.meshOwner ?? SIMULATED_ACCOUNT;
    return {
      meshName: route.meshName,
      virtualRouterName: route.virtualRouterName,
      routeName: route.routeName,
      spec: structuredClone(route.spec),
      metadata: {
        arn: `arn:aws:appmesh:${region}:${account}:mesh/${route.meshName}/virtualRouter/${route.virtualRouterName}/route/${route.routeName}`,
        version: route.version,
        uid: route.uid,
        createdAt: this.#epochSeconds(0),
        lastUpdatedAt: this.#epochSeconds(route.lastUpdatedAt),
        meshOwner: account,
        resourceOwner: account,
      },
      status: { status: 'ACTIVE' },
    };
  }

  #describeAlarms(input: Json, region: string, at: number): Json {
    const query = alarmsQuery(input);
    const matching = this.#world.alarms
      .filter((a) => query.types.has(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
      .filter((a) => query.names === undefined || query.names.has(a.name))
      .filter((a) => query.prefix === undefined || a.name.startsWith(query.prefix))
      .map((a) => ({ alarm: a, ...stateAt(a, at) }))
      .filter((a) => query.state === undefined || a.state === query.state)
      // CloudWatch lists alarms by name; both kinds share one sequence of pages here.
      .sort((a, b) => (a.alarm.name < b.alarm.name ? -1 : a.alarm.name > b.alarm.name ? 1 : 0));

    const page = matching.slice(query.offset, query.offset + query.pageSize);
    const next = query.offset + query.pageSize;
    const records = page.map(({ alarm, state, since, reason, value }) => {
      const evaluated = this.#evaluation(alarm, since, value);
      return {
        type: alarm.type,
        record: {
          AlarmName: alarm.name,
          AlarmArn: `arn:aws:cloudwatch:${region}:${SIMULATED_ACCOUNT}:alarm:${alarm.name}`,
          StateValue: state,
          ...((reason ?? evaluated.reason) === undefined ? {} : { StateReason: reason ?? evaluated.reason }),
          ...evaluated.fields,
          StateUpdatedTimestamp: this.#epochSeconds(since),
          StateTransitionedTimestamp: this.#epochSeconds(since),
        },
      };
    });
    return {
      ...(query.types.has('MetricAlarm')
        ? { MetricAlarms: records.filter((r) => r.type === 'metric').map((r) => r.record) }
        : {}),
      ...(query.types.has('CompositeAlarm')
        ? { CompositeAlarms: records.filter((r) => r.type === 'composite').map((r) => r.record) }
        : {}),
      ...(query.types.has('LogAlarm') ? { LogAlarms: [] } : {}),
      ...(next < matching.length ? { NextToken: pageToken(next) } : {}),
    };
  }

  /**
   * A metric alarm's threshold fields, and for a scripted datapoint the StateReasonData and
   * StateReason CloudWatch writes when it evaluates one (recentDatapoints is what operators look at).
   */
  #evaluation(
    alarm: WorldAlarm,
    since: number,
    value: number | undefined,
  ): { fields: Json; reason?: string } {
    if (alarm.type !== 'metric' || alarm.threshold === undefined) return { fields: {} };
    const comparison = alarm.comparison ?? 'GreaterThanThreshold';
    const fields: Json = { Threshold: alarm.threshold, ComparisonOperator: comparison };
    if (value === undefined) return { fields };
    const when = new Date(this.#epochSeconds(since) * 1000).toISOString();
    fields.StateReasonData = JSON.stringify({
      version: '1.0',
      queryDate: when,
      statistic: 'Average',
      period: 60,
      recentDatapoints: [value],
      threshold: alarm.threshold,
    });
    const crossed = compare(value, comparison, alarm.threshold);
    const verb = COMPARISON_WORDS[comparison];
    return {
      fields,
      reason: `Threshold Crossed: 1 datapoint [${value} (${when})] was ${crossed ? '' : 'not '}${verb} the threshold (${alarm.threshold}).`,
    };
  }

  /**
   * The alarm's state changes (HistoryItemType StateUpdate) in [StartDate, EndDate], up to now, as
   * CloudWatch reports them: a summary line and HistoryData, a JSON document with oldState/newState.
   */
  #describeAlarmHistory(input: Json, at: number): Json {
    if (input.HistoryItemType !== undefined && input.HistoryItemType !== 'StateUpdate') {
      throw new AwsError(
        'InvalidParameterValueException',
        400,
        'The simulated CloudWatch keeps only StateUpdate history; ask for HistoryItemType StateUpdate',
        'InvalidParameterValue',
      );
    }
    const types = new Set(Array.isArray(input.AlarmTypes) ? (input.AlarmTypes as string[]) : ['MetricAlarm']);
    const toVirtual = (epoch: unknown) =>
      typeof epoch === 'number' ? epoch - this.#epochMs / 1000 : undefined;
    const start = toVirtual(input.StartDate) ?? Number.NEGATIVE_INFINITY;
    const end = Math.min(toVirtual(input.EndDate) ?? Number.POSITIVE_INFINITY, at);
    const pageSize = typeof input.MaxRecords === 'number' ? input.MaxRecords : ALARMS_PAGE_SIZE;
    const offset = typeof input.NextToken === 'string' ? (pageOffset(input.NextToken) ?? 0) : 0;
    const items = this.#world.alarms
      .filter((a) => input.AlarmName === undefined || a.name === input.AlarmName)
      .filter((a) => types.has(a.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm'))
      .flatMap((alarm) =>
        alarm.states
          .map((entry, i) => ({ alarm, entry, before: alarm.states[i - 1]?.state ?? 'INSUFFICIENT_DATA' }))
          // History records transitions; a repeated state is a new datapoint, not an update.
          .filter(({ entry, before }) => entry.state !== before),
      )
      .filter(({ entry }) => entry.at >= start && entry.at <= end)
      .sort((a, b) => a.entry.at - b.entry.at);
    if (input.ScanBy !== 'TimestampAscending') items.reverse();
    const page = items.slice(offset, offset + pageSize).map(({ alarm, entry, before }) => ({
      AlarmName: alarm.name,
      AlarmType: alarm.type === 'metric' ? 'MetricAlarm' : 'CompositeAlarm',
      Timestamp: this.#epochSeconds(entry.at),
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${before} to ${entry.state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: before },
        newState: {
          stateValue: entry.state,
          ...(entry.reason === undefined ? {} : { stateReason: entry.reason }),
        },
      }),
    }));
    return {
      AlarmHistoryItems: page,
      ...(offset + pageSize < items.length ? { NextToken: pageToken(offset + pageSize) } : {}),
    };
  }

  /**
   * GetMetricData answered from world.metrics. The simulator cannot evaluate metrics or metric math,
   * so it serves each query that returns data from the series the scenario scripted for it: the check
   * is the query's Label (stepshift labels a check's judged query with the check's name) and the target
   * is its Id's prefix ("canary_" or "stable_", as stepshift namespaces ids). Datapoints with `at` in
   * [StartTime rounded down to the minute, EndTime) come back, as CloudWatch rounds a recent StartTime
   * and treats EndTime as exclusive; pages hold MaxDatapoints (default 100,800) datapoints.
   */
  #getMetricData(input: Json, at: number): Json {
    const invalid = (message: string) =>
      new AwsError('InvalidParameterValueException', 400, message, 'InvalidParameterValue');
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length < 1 || queries.length > MAX_METRIC_QUERIES) {
      throw invalid(`MetricDataQueries must hold 1 to ${MAX_METRIC_QUERIES} queries`);
    }
    const ids = new Set<string>();
    for (const raw of queries as Json[]) {
      const id = raw?.Id;
      if (typeof id !== 'string' || !METRIC_QUERY_ID.test(id) || id.length > 255) {
        throw invalid(
          `The query Id ${JSON.stringify(id)} must start with a lowercase letter and hold only letters, digits and underscores (1..255 characters)`,
        );
      }
      if (ids.has(id)) throw invalid(`The query Id "${id}" is used more than once`);
      ids.add(id);
      if ((raw.Expression === undefined) === (raw.MetricStat === undefined)) {
        throw invalid(`The query "${id}" must have exactly one of Expression and MetricStat`);
      }
    }
    const toVirtual = (epoch: unknown) =>
      typeof epoch === 'number' ? epoch - this.#epochMs / 1000 : undefined;
    const start = toVirtual(input.StartTime);
    const end = toVirtual(input.EndTime);
    if (start === undefined || end === undefined) throw invalid('StartTime and EndTime are required');
    if (!(start < end)) throw invalid('The parameter StartTime must be less than the parameter EndTime');
    const from = Math.floor(start / 60) * 60;
    const until = Math.min(end, at);
    const pageSize = typeof input.MaxDatapoints === 'number' ? input.MaxDatapoints : MAX_METRIC_DATAPOINTS;
    const offset = input.NextToken === undefined ? 0 : pageOffset(String(input.NextToken));
    if (offset === undefined) {
      throw new AwsError(
        'InvalidNextToken',
        400,
        'NextToken is not one this CloudWatch returned; start again without it',
      );
    }
    const descending = input.ScanBy !== 'TimestampAscending';
    const series = (queries as Json[])
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const side = /^(canary|stable)_/.exec(String(q.Id))?.[1] as 'canary' | 'stable' | undefined;
        const scripted =
          side && typeof q.Label === 'string' ? this.#world.metrics[q.Label]?.[side] : undefined;
        const points = (scripted ?? []).filter((p) => p.at >= from && p.at < until);
        return { query: q, points: descending ? [...points].reverse() : points };
      });
    // One sequence of datapoints across the results, cut into pages of pageSize.
    let skip = offset;
    let room = pageSize;
    let total = 0;
    const results = series.map(({ query, points }) => {
      total += points.length;
      const first = Math.min(skip, points.length);
      skip -= first;
      const taken = points.slice(first, first + room);
      room -= taken.length;
      return {
        Id: query.Id,
        ...(typeof query.Label === 'string' ? { Label: query.Label } : {}),
        Timestamps: taken.map((p) => this.#epochSeconds(p.at)),
        Values: taken.map((p) => p.value),
        StatusCode: first + taken.length < points.length ? 'PartialData' : 'Complete',
      };
    });
    const next = offset + pageSize;
    return {
      MetricDataResults: results,
      Messages: [],
      ...(next < total ? { NextToken: pageToken(next) } : {}),
    };
  }

  /** Epoch seconds for a virtual time, as App Mesh and CloudWatch put timestamps on the wire. */
  #epochSeconds(virtualSeconds: number): number {
    return (this.#epochMs + Math.round(virtualSeconds * 1000)) / 1000;
  }

  #nextRequestId(): string {
    this.#requestCount += 1;
    // Deterministic, UUID-shaped, so two runs of a scenario log the same request ids.
    return `00000000-0000-4000-8000-${this.#requestCount.toString(16).padStart(12, '0')}`;
  }
}

type Comparison = NonNullable<WorldAlarm['comparison']>;

const COMPARISON_WORDS: Record<Comparison, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** The alarm's state at a virtual time: its last entry at or before it; INSUFFICIENT_DATA before the first. */
function stateAt(
  alarm: WorldAlarm,
  at: number,
): { state: AlarmStateValue; since: number; reason?: string; value?: number } {
  let current: WorldAlarm['states'][number] | undefined;
  // A scripted entry that repeats the state (a new datapoint, OK to OK) is no transition: the state
  // dates from the first entry of the run, as StateTransitionedTimestamp does.
  let since = 0;
  for (const entry of alarm.states) {
    if (entry.at > at) break;
    if (entry.state !== current?.state) since = entry.at;
    current = entry;
  }
  // CloudWatch's own reason for an alarm that has not been evaluated yet; later states carry the
  // scenario's reason, or none when it gives none, so rehearsal output shows only what it scripted.
  if (!current) return { state: 'INSUFFICIENT_DATA', since: 0, reason: 'Unchecked: Initial alarm creation' };
  return {
    state: current.state,
    since,
    ...(current.reason === undefined ? {} : { reason: current.reason }),
    ...(current.value === undefined ? {} : { value: current.value }),
  };
}

interface AlarmsQuery {
  names?: Set<string>;
  prefix?: string;
  types: Set<string>;
  state?: AlarmStateValue;
  pageSize: number;
  offset: number;
}

/** Reads DescribeAlarms' input, refusing what CloudWatch refuses (and the filters this simulator lacks). */
function alarmsQuery(input: Json): AlarmsQuery {
  const invalid = (message: string) =>
    new AwsError('InvalidParameterValueException', 400, message, 'InvalidParameterValue');
  for (const unsupported of ['ChildrenOfAlarmName', 'ParentsOfAlarmName', 'ActionPrefix']) {
    if (input[unsupported] !== undefined) {
      throw invalid(
        `The simulated CloudWatch does not filter by ${unsupported}; use AlarmNames, AlarmNamePrefix, AlarmTypes or StateValue`,
      );
    }
  }
  const query: AlarmsQuery = { types: new Set(['MetricAlarm']), pageSize: ALARMS_PAGE_SIZE, offset: 0 };
  if (input.AlarmNames !== undefined) {
    const names = input.AlarmNames;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length < 1 || n.length > 255)) {
      throw invalid('AlarmNames must be a list of alarm names, each 1..255 characters');
    }
    if (names.length > MAX_ALARM_NAMES) {
      throw invalid(
        `AlarmNames lists ${names.length} names; DescribeAlarms takes at most ${MAX_ALARM_NAMES}`,
      );
    }
    query.names = new Set(names as string[]);
  }
  if (input.AlarmNamePrefix !== undefined) {
    if (query.names !== undefined) {
      throw new AwsError(
        'InvalidParameterCombinationException',
        400,
        'AlarmNamePrefix and AlarmNames cannot be used together; give one of them',
        'InvalidParameterCombination',
      );
    }
    if (
      typeof input.AlarmNamePrefix !== 'string' ||
      input.AlarmNamePrefix.length < 1 ||
      input.AlarmNamePrefix.length > 255
    ) {
      throw invalid('AlarmNamePrefix must be 1..255 characters');
    }
    query.prefix = input.AlarmNamePrefix;
  }
  if (input.AlarmTypes !== undefined) {
    const types = input.AlarmTypes;
    if (!Array.isArray(types) || types.some((t) => !(ALARM_TYPES as readonly unknown[]).includes(t))) {
      throw invalid(`AlarmTypes must list alarm types from: ${ALARM_TYPES.join(', ')}`);
    }
    // AWS: without AlarmTypes only metric alarms come back; an empty list behaves the same.
    if (types.length > 0) query.types = new Set(types as string[]);
  }
  if (input.StateValue !== undefined) {
    if (!(ALARM_STATES as readonly unknown[]).includes(input.StateValue)) {
      throw invalid(`StateValue must be one of: ${ALARM_STATES.join(', ')}`);
    }
    query.state = input.StateValue as AlarmStateValue;
  }
  if (input.MaxRecords !== undefined) {
    const max = input.MaxRecords;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_ALARMS_PAGE_SIZE) {
      throw invalid(`MaxRecords must be a whole number 1..${MAX_ALARMS_PAGE_SIZE}, not ${String(max)}`);
    }
    query.pageSize = max;
  }
  if (input.NextToken !== undefined) {
    const offset = typeof input.NextToken === 'string' ? pageOffset(input.NextToken) : undefined;
    if (offset === undefined) {
      throw new AwsError(
        'InvalidNextToken',
        400,
        'NextToken is not one this CloudWatch returned; start again without it',
      );
    }
    query.offset = offset;
  }
  return query;
}

function pageToken(offset: number): string {
  return Buffer.from(`stepshift-sim:${offset}`, 'utf8').toString('base64');
}

function pageOffset(token: string): number | undefined {
  const match = /^stepshift-sim:(0|[1-9][0-9]*)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Works out service, operation and input from the HTTP request the SDK built. */
function parseCall(request: HttpRequest): ParsedCall {
  const region =
    /^[a-z0-9-]+\.([a-z0-9-]+)\.amazonaws\.com/.exec(request.hostname ?? '')?.[1] ?? SIMULATED_REGION;
  const target = header(request, 'x-amz-target');
  const body = readBody(request.body);

  if (target !== undefined) {
    const [service, prefix] = (
      [
        ['events', EVENTBRIDGE_TARGET_PREFIX],
        ['dynamodb', DYNAMODB_TARGET_PREFIX],
        ['states', STEPFUNCTIONS_TARGET_PREFIX],
        ['ecs', ECS_TARGET_PREFIX],
        ['codedeploy', CODEDEPLOY_TARGET_PREFIX],
        ['secretsmanager', SECRETSMANAGER_TARGET_PREFIX],
        ['cloudwatch', CLOUDWATCH_TARGET_PREFIX],
      ] as const
    ).find(([, p]) => target.startsWith(p)) ?? ['cloudwatch', ''];
    const operation = target.slice(prefix.length);
    const parsed = parseJsonObject(body);
    return {
      service,
      operation,
      input: parsed.value,
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }

  // VPC Lattice (restJson1) and ELB (awsQuery) are told apart by their endpoints' host names.
  const host = request.hostname ?? '';
  if (host.startsWith('vpc-lattice.')) {
    const parsed = body === '' ? { value: {} } : parseJsonObject(body);
    const query = Object.fromEntries(
      Object.keys(request.query ?? {}).map((k) => [k, queryValue(request, k)] as const),
    );
    const { operation, input } = latticeCall(request, { ...query, ...parsed.value });
    return {
      service: 'lattice',
      operation,
      input,
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }
  if (host.startsWith('lambda.')) {
    // Invoke: POST /2015-03-31/functions/{FunctionName}/invocations, the payload as the body.
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.path ?? '')?.[1];
    return {
      service: 'lambda',
      operation: name === undefined ? 'Unknown' : 'Invoke',
      input: { FunctionName: decodeURIComponent(name ?? ''), Payload: body },
      region,
    };
  }
  if (host.startsWith('elasticloadbalancing.')) {
    const { operation, input } = queryCall(body);
    return { service: 'elbv2', operation, input, region };
  }

  const path = request.path ?? '/';
  const method = (request.method ?? 'GET').toUpperCase();
  const owner = queryValue(request, 'meshOwner');
  const withOwner = owner === undefined ? {} : { meshOwner: owner };
  const route = ROUTE_PATH.exec(path);
  if (route && method === 'DELETE') {
    const key = { meshName: label(route[1]), virtualRouterName: label(route[2]), routeName: label(route[3]) };
    return { service: 'appmesh', operation: 'DeleteRoute', input: { ...key, ...withOwner }, region };
  }
  if (route && (method === 'GET' || method === 'PUT')) {
    const key = {
      meshName: label(route[1]),
      virtualRouterName: label(route[2]),
      routeName: label(route[3]),
      ...withOwner,
    };
    if (method === 'GET') return { service: 'appmesh', operation: 'DescribeRoute', input: key, region };
    const parsed = parseJsonObject(body);
    return {
      service: 'appmesh',
      operation: 'UpdateRoute',
      input: { ...key, ...parsed.value },
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }
  const routes = ROUTES_PATH.exec(path);
  if (routes && method === 'PUT') {
    const parsed = parseJsonObject(body);
    return {
      service: 'appmesh',
      operation: 'CreateRoute',
      input: {
        ...parsed.value,
        meshName: label(routes[1]),
        virtualRouterName: label(routes[2]),
        ...withOwner,
      },
      region,
      ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
    };
  }
  const node = VIRTUAL_NODE_PATH.exec(path);
  if (node && method === 'GET') {
    return {
      service: 'appmesh',
      operation: 'DescribeVirtualNode',
      input: { meshName: label(node[1]), virtualNodeName: label(node[2]), ...withOwner },
      region,
    };
  }
  const parsed = body === '' ? { value: {} } : parseJsonObject(body);
  return {
    service: 'appmesh',
    operation: `${method} ${path}`,
    input: { ...parsed.value, ...withOwner },
    region,
  };
}

function header(request: HttpRequest, name: string): string | undefined {
  const key = Object.keys(request.headers ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

function queryValue(request: HttpRequest, name: string): string | undefined {
  const value = request.query?.[name];
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' ? value : undefined;
}

function label(segment: string | undefined): string {
  return decodeURIComponent(segment ?? '');
}

function readBody(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error('The simulated AWS reads string or byte bodies only; this request body is a stream');
}

function parseJsonObject(text: string): { value: Json; error?: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { value: value as Json };
    return { value: {}, error: 'The request body is not a JSON object' };
  } catch (error) {
    return { value: {}, error: `The request body is not JSON: ${(error as Error).message}` };
  }
}

/** A body that is not JSON: App Mesh calls that a bad request, JSON-protocol services a SerializationException. */
function unreadable(service: SimulatedService, message: string): AwsError {
  const name =
    service === 'appmesh'
      ? 'BadRequestException'
      : service === 'lattice'
        ? 'ValidationException'
        : 'SerializationException';
  return new AwsError(name, 400, message);
}

/** What AWS says with each injected error, before the note that the scenario injected it. */
const FAULT_MESSAGES: Record<FaultErrorName, string> = {
  TooManyRequestsException: 'Rate exceeded',
  Throttling: 'Rate exceeded',
  InternalServerErrorException: 'The request processing has failed because of an unknown error',
  ServiceUnavailableException: 'The service is unavailable; try again later',
  AccessDeniedException: 'The caller is not authorized to perform this operation',
  ForbiddenException: 'The caller does not have permission to perform this action',
  BadRequestException: 'The request was malformed',
  NotFoundException: 'The specified resource does not exist',
  ConflictException: 'The request conflicts with an earlier request',
  LimitExceededException: 'A service limit was exceeded',
  InternalServiceError: 'Internal service error',
  ServiceUnavailable: 'The service is unavailable; try again later',
  AccessDenied: 'User is not authorized to perform: cloudwatch:<operation>',
  InvalidNextToken: 'The next token specified is invalid',
  ThrottlingException: 'Rate exceeded',
  InternalException: 'This exception occurs due to unexpected causes',
  ProvisionedThroughputExceededException:
    'The level of configured provisioned throughput for the table was exceeded',
  RequestLimitExceeded: 'Throughput exceeds the current throughput limit for your account',
  InternalServerError: 'Internal server error',
  InternalServerException: 'An unexpected error occurred while processing the request',
  ResourceNotFoundException: 'The request references a resource that does not exist',
  ValidationException:
    'The input does not satisfy the constraints specified by an Amazon Web Services service',
  InternalFailure: 'The request processing has failed because of an unknown error, exception or failure',
  RuleNotFound: 'One or more rules not found',
  ListenerNotFound: 'One or more listeners not found',
  TargetGroupNotFound: 'One or more target groups not found',
  PriorityInUse: 'The specified priority is in use',
  ServerException: 'Server exception',
  ServiceException: 'The AWS Lambda service encountered an internal error.',
};

/** Statuses a service answers an error with where they differ from FAULT_ERRORS' (Lattice throttles with 429). */
const SERVICE_FAULT_STATUS: Partial<Record<SimulatedService, Partial<Record<FaultErrorName, number>>>> = {
  lattice: { ThrottlingException: 429 },
  secretsmanager: { ResourceNotFoundException: 400 },
};

function injected(
  fault: ApiFault,
  operation: string,
  number: number,
  at: number,
  statuses: Partial<Record<FaultErrorName, number>> = {},
): AwsError {
  const which =
    fault.call !== undefined ? `call ${number} of ${operation}` : `${operation} at ${at}s of virtual time`;
  // CloudWatch and ELB share the query code AccessDenied; the refusal names the action refused, which
  // is the operation called, in its own service's namespace.
  const refused = FAULT_MESSAGES[fault.error].replace('<operation>', operation);
  const message =
    fault.error === 'AccessDenied' && !CLOUDWATCH_OPERATIONS.includes(operation as never)
      ? refused.replace(`cloudwatch:${operation}`, `elasticloadbalancing:${operation}`)
      : refused;
  return new AwsError(
    fault.error,
    statuses[fault.error] ?? FAULT_ERRORS[fault.error],
    `${message} (fault injected by the scenario: ${which})`,
  );
}

const CONTENT_TYPES: Record<SimulatedService, string> = {
  appmesh: 'application/json',
  cloudwatch: 'application/x-amz-json-1.0',
  events: 'application/x-amz-json-1.1',
  dynamodb: 'application/x-amz-json-1.0',
  states: 'application/x-amz-json-1.0',
  lattice: 'application/json',
  elbv2: 'text/xml',
  ecs: 'application/x-amz-json-1.1',
  lambda: 'application/json',
  codedeploy: 'application/x-amz-json-1.1',
  secretsmanager: 'application/x-amz-json-1.1',
};

function success(service: SimulatedService, requestId: string, body: Json, operation = ''): HttpResponse {
  if (service === 'elbv2') {
    return new HttpResponse({
      statusCode: 200,
      headers: { 'content-type': CONTENT_TYPES.elbv2, 'x-amzn-requestid': requestId },
      body: new TextEncoder().encode(queryResponse(operation, requestId, body)),
    });
  }
  return new HttpResponse({
    statusCode: 200,
    headers: {
      'content-type': CONTENT_TYPES[service],
      'x-amzn-requestid': requestId,
    },
    body: new TextEncoder().encode(JSON.stringify(body)),
  });
}

/**
 * Errors in each protocol's own format, which is what decides the name the SDK gives the error:
 * - App Mesh (restJson1): the name in the x-amzn-errortype header, {"message"} in the body.
 * - CloudWatch (awsJson1_0, awsQueryCompatible): {"__type": "<namespace>#<Shape>", "message"} and the
 *   x-amzn-query-error header "<Code>;<Sender|Receiver>". The SDK takes the Code as the error's name
 *   ("Throttling") or, when a modelled error carries that query code, the model's name for it.
 * - EventBridge (awsJson1_1): {"__type": "<Shape>", "message"}.
 * - DynamoDB (awsJson1_0): {"__type": "com.amazonaws.dynamodb.v20120810#<Shape>", "message"}.
 * - Step Functions (awsJson1_0), CodeDeploy and Secrets Manager (awsJson1_1): {"__type": "<Shape>", "message"}.
 * Retries follow from the status: the SDK treats 429 and throttling names as throttling, 5xx as
 * transient.
 */
function failure(service: SimulatedService, requestId: string, error: AwsError): HttpResponse {
  if (service === 'elbv2') {
    return new HttpResponse({
      statusCode: error.status,
      headers: { 'content-type': CONTENT_TYPES.elbv2, 'x-amzn-requestid': requestId },
      body: new TextEncoder().encode(queryError(requestId, error.name, error.status, error.message)),
    });
  }
  if (service === 'appmesh' || service === 'lattice') {
    return new HttpResponse({
      statusCode: error.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': `${error.name}:http://internal.amazon.com/coral/com.amazonaws.${service === 'lattice' ? 'vpclattice' : 'appmesh'}/`,
      },
      body: new TextEncoder().encode(JSON.stringify({ message: error.message })),
    });
  }
  if (['events', 'dynamodb', 'states', 'codedeploy', 'secretsmanager'].includes(service)) {
    const type = service === 'dynamodb' ? `com.amazonaws.dynamodb.v20120810#${error.name}` : error.name;
    return new HttpResponse({
      statusCode: error.status,
      headers: { 'content-type': CONTENT_TYPES[service], 'x-amzn-requestid': requestId },
      body: new TextEncoder().encode(JSON.stringify({ __type: type, message: error.message })),
    });
  }
  const namespace =
    error.name === 'Throttling' ? 'com.amazon.coral.availability' : 'com.amazonaws.cloudwatch';
  const shape = error.name === 'Throttling' ? 'ThrottlingException' : error.name;
  return new HttpResponse({
    statusCode: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: new TextEncoder().encode(
      JSON.stringify({ __type: `${namespace}#${shape}`, message: error.message }),
    ),
  });
}

/** JSON with object keys sorted, so two specs that differ only in key order compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function uidFor(key: string): string {
  const hex = createHash('sha256').update(key, 'utf8').digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
