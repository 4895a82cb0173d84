import { type HttpHandler, type HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
import { parseJsonObject } from '#routers/sim/http.ts';
import {
  type Call,
  type CallContext,
  isWireResponse,
  type Json,
  ServiceError,
  type SimulatedService,
  type WireResponse,
} from '#routers/sim/service.ts';
import { createRouterServices, type RouterServices } from '#routers/simulators.ts';
import type { VirtualClock } from './script/clock.ts';
import {
  CODEDEPLOY_OPERATIONS,
  DYNAMODB_OPERATIONS,
  faultFor,
  injected,
  SECRETSMANAGER_OPERATIONS,
} from './script/faults.ts';
import { hookAnswer } from './script/hooks.ts';
import type { World } from './script/world.ts';
import { CLOUDWATCH_OPERATIONS, CloudWatchModel } from './services/cloudwatch/model.ts';
import { CodeDeployError, getDeploymentConfig, listDeployments } from './services/codedeploy/model.ts';
import { callDynamo, createReleaseTable, onTable } from './services/dynamodb/dynalite.ts';
import { describeServices, ECS_OPERATIONS } from './services/ecs/model.ts';
import { type BusEvent, EVENTBRIDGE_OPERATIONS, EventBridgeModel } from './services/eventbridge/model.ts';
import { LAMBDA_OPERATIONS, LambdaModel } from './services/lambda/model.ts';
import { getSecretValue, SecretsManagerError } from './services/secrets-manager/model.ts';
import {
  STEPFUNCTIONS_OPERATIONS,
  StepFunctionsModel,
  type TaskResponse,
} from './services/stepfunctions/model.ts';
import {
  isJsonServiceRequest,
  type JsonServiceName,
  jsonFailure,
  jsonSuccess,
  readJsonCall,
  SERVICE_TITLES,
  TARGET_PREFIXES,
  unreadableJson,
} from './services/wire.ts';

/** The table the functions are told to use (STEPSHIFT_TABLE_NAME on AWS), as calls show it. */
export const REHEARSAL_TABLE = 'stepshift-releases';
let tablesCreated = 0;

/** One call as the simulated AWS received it, in arrival order. */
export interface CallRecord {
  /** Virtual seconds since the rehearsal started, when the call arrived. */
  at: number;
  /** The service, as the calls log names it ("appmesh", "cloudwatch", "lattice", "elbv2", ...). */
  service: string;
  /** The API operation ("UpdateRoute"); for a request it does not serve, the target or "METHOD /path". */
  operation: string;
  /** The operation's input as the SDK command took it (path labels, query and body members together). */
  input: Record<string, unknown>;
  /** Set when the call was answered with an error, injected or not. */
  error?: { name: string; message: string };
}

export type { BusEvent, TaskResponse };

/** Statuses a service answers an injected error with where they differ from FAULT_ERRORS'. */
const JSON_FAULT_STATUS: Partial<Record<JsonServiceName, Readonly<Record<string, number>>>> = {
  secretsmanager: { ResourceNotFoundException: 400 },
};

/**
 * The simulated AWS as a rehearsal scenario scripts it, served through the SDK clients' transport:
 * pass `requestHandler` to a client and the real client serializes, signs, retries and parses as it
 * would against AWS, while state lives in the services and time is the VirtualClock's. Each request
 * goes to its service by protocol (each router's service by its own wire, routers/simulators.ts), meets
 * the scenario's faults, is logged in `calls` and takes `world.callLatency` of virtual time.
 */
export class SimulatedAws {
  readonly calls: CallRecord[] = [];
  readonly routers: RouterServices;
  readonly cloudWatch: CloudWatchModel;
  readonly eventBridge = new EventBridgeModel();
  readonly stepFunctions = new StepFunctionsModel();
  readonly lambda: LambdaModel;
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
  readonly #routerServices: readonly SimulatedService[];
  readonly #callsByOperation = new Map<string, number>();
  /** What happens just before the next call of an operation arrives (a person's action waiting for it). */
  readonly #beforeCalls: { operation: string; fire: () => void }[] = [];
  #requestCount = 0;
  /** This rehearsal's own table in the shared dynalite, created at the first DynamoDB call. */
  readonly #table = `stepshift-rehearsal-${++tablesCreated}`;
  #tableReady: Promise<void> | undefined;

  constructor(world: World, clock: VirtualClock) {
    this.#world = world;
    this.#clock = clock;
    this.passTime = async (seconds) => clock.advance(seconds);
    this.#epochMs = clock.now().getTime() - clock.seconds * 1000;
    this.routers = createRouterServices(world, () => clock.seconds);
    this.#routerServices = Object.values(this.routers);
    this.cloudWatch = new CloudWatchModel(world.alarms, world.metrics, this.#epochMs);
    this.lambda = new LambdaModel((hook, at) => hookAnswer(world, hook, at));
    this.requestHandler = {
      handle: async (request: HttpRequest) => {
        const response = toHttp(await this.#handle(request));
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

  /** Every event the release put on a bus, in order. */
  get busEvents(): BusEvent[] {
    return this.eventBridge.busEvents;
  }

  /** Executions the rehearsal runs, by ARN, with their status as DescribeExecution reports it. */
  get executions() {
    return this.stepFunctions.executions;
  }

  /** The error and cause of each failed execution, as DescribeExecution reports them. */
  get executionFailures() {
    return this.stepFunctions.executionFailures;
  }

  /** Where SendTaskSuccess and SendTaskFailure go (StepFunctionsModel.taskResponder). */
  set taskResponder(responder: (token: string, response: TaskResponse) => boolean) {
    this.stepFunctions.taskResponder = responder;
  }

  /** Lambda hook functions by name, and the hook each is (world.hooks is keyed by hook name). */
  get hookFunctions(): Map<string, string> {
    return this.lambda.hookFunctions;
  }

  /** Maps the Lambda hooks of a (raw) profile to their functions, as the release would call them. */
  hookFunctionsOf(profile: unknown): void {
    const hooks = (profile as { hooks?: { name?: unknown; functionName?: unknown }[] } | undefined)?.hooks;
    for (const hook of Array.isArray(hooks) ? hooks : []) {
      if (typeof hook.functionName === 'string' && typeof hook.name === 'string')
        this.hookFunctions.set(hook.functionName, hook.name);
    }
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

  async #handle(request: HttpRequest): Promise<WireResponse> {
    const region =
      /^[a-z0-9-]+\.([a-z0-9-]+)\.amazonaws\.com/.exec(request.hostname ?? '')?.[1] ?? SIMULATED_REGION;
    // A router's service first: Lambda's alias paths are the Lambda router's, its Invoke the hooks'.
    const router = this.#routerServices.find((s) => s.wire.claims(request));
    if (!router && isJsonServiceRequest(request)) {
      const call = readJsonCall(request, region);
      return call.service === 'dynamodb' ? this.#serveDynamo(call) : this.#serveJson(call);
    }
    if (!router) {
      throw new Error(
        `The simulated AWS serves no service at ${request.hostname}; it serves ${this.#routerServices.map((s) => s.title).join(', ')} and the JSON-protocol services`,
      );
    }
    return this.#serveRouter(router, router.wire.read(request, region));
  }

  /** Has `fire` happen just before the next call of this operation arrives, at the same instant. */
  beforeNextCall(operation: string, fire: () => void): void {
    this.#beforeCalls.push({ operation, fire });
  }

  /** Logs the call as it arrives; returns its record and which call of its operation it is. */
  #arrive(service: string, call: Call, at: number): { record: CallRecord; number: number } {
    const waiting = this.#beforeCalls.filter((b) => b.operation === call.operation);
    for (const b of waiting) this.#beforeCalls.splice(this.#beforeCalls.indexOf(b), 1);
    for (const b of waiting) b.fire();
    const record: CallRecord = { at, service, operation: call.operation, input: call.input };
    this.calls.push(record);
    const number = (this.#callsByOperation.get(call.operation) ?? 0) + 1;
    this.#callsByOperation.set(call.operation, number);
    return { record, number };
  }

  #serveRouter(service: SimulatedService, call: Call): WireResponse {
    const at = this.#clock.seconds;
    const { record, number } = this.#arrive(service.name, call, at);
    const requestId = this.#nextRequestId();
    try {
      const fault = faultFor(this.#world.faults, call.operation, number, at);
      if (fault) throw injected(fault, call.operation, number, at, service.faultStatuses);
      if (call.unreadable !== undefined) throw service.wire.unreadable(call.unreadable);
      const context: CallContext = { at, requestId, epochSeconds: (s) => this.#epochSeconds(s) };
      const answer = service.serve(call, context);
      if (answer instanceof Promise) throw new Error(`The simulated ${service.title} answers at once`);
      return isWireResponse(answer) ? answer : service.wire.answer(call, answer, requestId);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      record.error = { name: error.name, message: error.message };
      return service.wire.refuse(error, requestId);
    }
  }

  /**
   * DynamoDB calls go to dynalite, with the scenario's faults and latency applied here. The table the
   * functions name is mapped onto this rehearsal's own, so rehearsals never see each other's items.
   */
  async #serveDynamo(call: Call & { service: JsonServiceName }): Promise<WireResponse> {
    const at = this.#clock.seconds;
    const { record, number } = this.#arrive(call.service, call, at);
    const requestId = this.#nextRequestId();
    const fault = faultFor(this.#world.faults, call.operation, number, at);
    if (fault || call.unreadable !== undefined) {
      const error = fault
        ? injected(fault, call.operation, number, at)
        : unreadableJson(call.unreadable ?? '');
      record.error = { name: error.name, message: error.message };
      return jsonFailure(call.service, requestId, error);
    }
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
    return {
      status: answer.status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
      body: answer.body.replaceAll(this.#table, REHEARSAL_TABLE),
    };
  }

  #serveJson(call: Call & { service: JsonServiceName }): WireResponse {
    const at = this.#clock.seconds;
    const { record, number } = this.#arrive(call.service, call, at);
    const requestId = this.#nextRequestId();
    try {
      const fault = faultFor(this.#world.faults, call.operation, number, at);
      if (fault) throw injected(fault, call.operation, number, at, JSON_FAULT_STATUS[call.service]);
      if (call.unreadable !== undefined) throw unreadableJson(call.unreadable);
      if (call.service === 'lambda' && call.operation === 'GetFunction')
        return jsonSuccess('lambda', requestId, this.lambda.getFunction(call, call.region, at));
      return call.service === 'lambda'
        ? this.lambda.invoke(call, requestId, at)
        : jsonSuccess(call.service, requestId, this.#answer(call, at));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      record.error = { name: error.name, message: error.message };
      return jsonFailure(call.service, requestId, error);
    }
  }

  #answer(call: Call & { service: JsonServiceName }, at: number): Json {
    switch (call.operation) {
      case 'DescribeAlarmHistory':
        return this.cloudWatch.describeAlarmHistory(call.input, at);
      case 'DescribeAlarms':
        return this.cloudWatch.describeAlarms(call.input, call.region, at);
      case 'GetMetricData':
        return this.cloudWatch.getMetricData(call.input, at);
      case 'PutEvents':
        return this.eventBridge.putEvents(call.input, at);
      case 'DescribeExecution':
        return this.stepFunctions.describeExecution(call.input);
      case 'ListExecutions':
        return this.stepFunctions.listExecutions(call.input);
      case 'GetExecutionHistory':
        return this.stepFunctions.getExecutionHistory(call.input);
      case 'DescribeServices':
        return describeServices(this.#world.ecs, call.input, call.region, at);
      case 'SendTaskSuccess':
        return this.stepFunctions.respond(call.input, { output: String(call.input.output ?? '{}') });
      case 'SendTaskFailure':
        return this.stepFunctions.respond(call.input, {
          error: String(call.input.error ?? ''),
          cause: String(call.input.cause ?? ''),
        });
      case 'GetDeploymentConfig':
      case 'ListDeployments':
        try {
          return call.operation === 'ListDeployments'
            ? listDeployments(this.#world.codedeploy, call.input)
            : getDeploymentConfig(this.#world.codedeploy, call.input, this.#epochSeconds(0));
        } catch (error) {
          if (error instanceof CodeDeployError)
            throw new ServiceError(error.name, error.status, error.message);
          throw error;
        }
      case 'GetSecretValue':
        try {
          const where = { region: call.region, account: SIMULATED_ACCOUNT, createdAt: this.#epochSeconds(0) };
          return getSecretValue(this.#world.secrets, call.input, where);
        } catch (error) {
          if (error instanceof SecretsManagerError)
            throw new ServiceError(error.name, error.status, error.message);
          throw error;
        }
      default:
        throw notServedJson(call.service, call.operation);
    }
  }

  /** Epoch seconds for a virtual time, as AWS puts timestamps on the wire. */
  #epochSeconds(virtualSeconds: number): number {
    return (this.#epochMs + Math.round(virtualSeconds * 1000)) / 1000;
  }

  #nextRequestId(): string {
    this.#requestCount += 1;
    // Deterministic, UUID-shaped, so two runs of a scenario log the same request ids.
    return `00000000-0000-4000-8000-${this.#requestCount.toString(16).padStart(12, '0')}`;
  }
}

const SERVED: Record<JsonServiceName, readonly string[]> = {
  cloudwatch: CLOUDWATCH_OPERATIONS.map((o) => `${TARGET_PREFIXES.cloudwatch}${o}`),
  events: EVENTBRIDGE_OPERATIONS.map((o) => `${TARGET_PREFIXES.events}${o}`),
  dynamodb: DYNAMODB_OPERATIONS.map((o) => `${TARGET_PREFIXES.dynamodb}${o}`),
  states: STEPFUNCTIONS_OPERATIONS.map((o) => `${TARGET_PREFIXES.states}${o}`),
  ecs: ECS_OPERATIONS.map((o) => `${TARGET_PREFIXES.ecs}${o}`),
  lambda: LAMBDA_OPERATIONS,
  codedeploy: CODEDEPLOY_OPERATIONS.map((o) => `${TARGET_PREFIXES.codedeploy}${o}`),
  secretsmanager: SECRETSMANAGER_OPERATIONS.map((o) => `${TARGET_PREFIXES.secretsmanager}${o}`),
};

function notServedJson(service: JsonServiceName, operation: string): ServiceError {
  return new ServiceError(
    'UnknownOperationException',
    400,
    `The simulated ${SERVICE_TITLES[service]} does not serve ${operation}; it serves ${SERVED[service].join(', ')}`,
  );
}

function toHttp(answer: WireResponse): HttpResponse {
  return new HttpResponse({
    statusCode: answer.status,
    headers: { ...answer.headers },
    body: new TextEncoder().encode(answer.body),
  });
}
