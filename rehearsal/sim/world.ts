import { z } from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, requiredString, show } from '#core/validation.ts';
import { ALB_OPERATIONS } from '#routers/alb/sim/service.ts';
import { albWorldSchema } from '#routers/alb/sim/world.ts';
import { APPMESH_OPERATIONS } from '#routers/appmesh/sim/service.ts';
import { validateUpdateRouteInput } from '#routers/appmesh/sim/validation.ts';
import { LATTICE_OPERATIONS } from '#routers/vpc-lattice/sim/service.ts';
import { latticeWorldSchema } from '#routers/vpc-lattice/sim/world.ts';
import { loadDefinition, taskFunctions } from '../platform/definition.ts';
import { codedeployWorldSchema } from '../scenario-codedeploy.ts';
import { hooksWorldSchema, unknownSigningSecrets } from '../script/hooks.ts';
import { ALARM_STATES, type AlarmStateValue, CLOUDWATCH_OPERATIONS } from '../services/cloudwatch/model.ts';
import { ECS_OPERATIONS } from '../services/ecs/model.ts';
import { EVENTBRIDGE_OPERATIONS } from '../services/eventbridge/model.ts';
import { LAMBDA_OPERATIONS } from '../services/lambda/model.ts';
import { secretsWorldSchema } from '../services/secrets-manager/model.ts';
import { STEPFUNCTIONS_OPERATIONS } from '../services/stepfunctions/model.ts';

export {
  ALARM_STATES,
  ALB_OPERATIONS,
  type AlarmStateValue,
  APPMESH_OPERATIONS,
  CLOUDWATCH_OPERATIONS,
  ECS_OPERATIONS,
  EVENTBRIDGE_OPERATIONS,
  LAMBDA_OPERATIONS,
  LATTICE_OPERATIONS,
  STEPFUNCTIONS_OPERATIONS,
};

/** The operations the simulated AWS serves; a fault may target any of them. */
export const DYNAMODB_OPERATIONS = [
  'PutItem',
  'GetItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
] as const;
export const CODEDEPLOY_OPERATIONS = ['GetDeploymentConfig'] as const;
export const SECRETSMANAGER_OPERATIONS = ['GetSecretValue'] as const;
export const OPERATIONS = [
  ...APPMESH_OPERATIONS,
  ...CLOUDWATCH_OPERATIONS,
  ...EVENTBRIDGE_OPERATIONS,
  ...DYNAMODB_OPERATIONS,
  ...STEPFUNCTIONS_OPERATIONS,
  ...LATTICE_OPERATIONS,
  ...ALB_OPERATIONS,
  ...ECS_OPERATIONS,
  ...LAMBDA_OPERATIONS,
  ...CODEDEPLOY_OPERATIONS,
  ...SECRETSMANAGER_OPERATIONS,
] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * Errors a scenario can inject, with the HTTP status the service answers each with. App Mesh's names
 * come from its API model; CloudWatch's are its query-compatible codes (throttling is "Throttling",
 * HTTP 400), which the SDK reports as the error's name.
 */
export const FAULT_ERRORS = {
  TooManyRequestsException: 429,
  InternalServerErrorException: 500,
  ServiceUnavailableException: 503,
  AccessDeniedException: 403,
  ForbiddenException: 403,
  BadRequestException: 400,
  NotFoundException: 404,
  ConflictException: 409,
  LimitExceededException: 400,
  Throttling: 400,
  InternalServiceError: 500,
  ServiceUnavailable: 503,
  AccessDenied: 403,
  InvalidNextToken: 400,
  ThrottlingException: 400,
  InternalException: 500,
  ProvisionedThroughputExceededException: 400,
  RequestLimitExceeded: 400,
  InternalServerError: 500,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ValidationException: 400,
  InternalFailure: 500,
  RuleNotFound: 400,
  ListenerNotFound: 400,
  TargetGroupNotFound: 400,
  PriorityInUse: 400,
  ServerException: 500,
  ServiceException: 500,
} as const;
export type FaultErrorName = keyof typeof FAULT_ERRORS;
const FAULT_ERROR_NAMES = Object.keys(FAULT_ERRORS) as FaultErrorName[];

/** App Mesh's read operations' modelled errors, plus IAM's AccessDeniedException, which every call can meet. */
const APPMESH_READ_ERRORS: readonly FaultErrorName[] = [
  'TooManyRequestsException',
  'InternalServerErrorException',
  'ServiceUnavailableException',
  'AccessDeniedException',
  'ForbiddenException',
  'BadRequestException',
  'NotFoundException',
];

/** CloudWatch's query-compatible codes for its read operations (InvalidNextToken is their modelled error). */
const CLOUDWATCH_READ_ERRORS: readonly FaultErrorName[] = [
  'Throttling',
  'InternalServiceError',
  'ServiceUnavailable',
  'AccessDenied',
  'InvalidNextToken',
];

/** DynamoDB's throttling and server errors for item operations, and IAM's refusal. */
const DYNAMODB_ERRORS: readonly FaultErrorName[] = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'AccessDeniedException',
];

/** VPC Lattice's modelled errors for its rule, listener and target group calls (throttling is HTTP 429). */
const LATTICE_READ_ERRORS: readonly FaultErrorName[] = [
  'ThrottlingException',
  'InternalServerException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ValidationException',
];

/** ELB's query-protocol codes for throttling and server errors, and IAM's refusal (each call adds its not-found codes). */
const ELB_ERRORS: readonly FaultErrorName[] = [
  'Throttling',
  'InternalFailure',
  'ServiceUnavailable',
  'AccessDenied',
];

/** The errors each operation can really answer with; a scenario may inject only these. */
export const OPERATION_ERRORS: Record<Operation, readonly FaultErrorName[]> = {
  DescribeRoute: APPMESH_READ_ERRORS,
  DescribeVirtualNode: APPMESH_READ_ERRORS,
  UpdateRoute: [...APPMESH_READ_ERRORS, 'ConflictException', 'LimitExceededException'],
  CreateRoute: [...APPMESH_READ_ERRORS, 'ConflictException', 'LimitExceededException'],
  // [model: DeleteRoute] adds ResourceInUseException, which a route never meets (nothing refers to one).
  DeleteRoute: APPMESH_READ_ERRORS,
  DescribeAlarms: CLOUDWATCH_READ_ERRORS,
  DescribeAlarmHistory: CLOUDWATCH_READ_ERRORS,
  GetMetricData: CLOUDWATCH_READ_ERRORS,
  // EventBridge's modelled InternalException, its throttling, and IAM's refusal.
  PutEvents: ['ThrottlingException', 'InternalException', 'AccessDeniedException'],
  PutItem: DYNAMODB_ERRORS,
  GetItem: DYNAMODB_ERRORS,
  UpdateItem: DYNAMODB_ERRORS,
  DeleteItem: DYNAMODB_ERRORS,
  TransactWriteItems: DYNAMODB_ERRORS,
  DescribeExecution: ['ThrottlingException', 'AccessDeniedException'],
  // ECS's server fault, its throttling, and IAM's refusal.
  DescribeServices: ['ServerException', 'ThrottlingException', 'AccessDeniedException'],
  // Lambda's throttling, its service error, and IAM's refusal: a hook that cannot be invoked fails.
  Invoke: ['TooManyRequestsException', 'ServiceException', 'AccessDeniedException'],
  SendTaskSuccess: ['ThrottlingException', 'AccessDeniedException'],
  SendTaskFailure: ['ThrottlingException', 'AccessDeniedException'],
  GetRule: LATTICE_READ_ERRORS,
  GetListener: LATTICE_READ_ERRORS,
  ListTargetGroups: LATTICE_READ_ERRORS,
  ListTargets: LATTICE_READ_ERRORS,
  UpdateRule: [...LATTICE_READ_ERRORS, 'ConflictException'],
  UpdateListener: [...LATTICE_READ_ERRORS, 'ConflictException'],
  // Lattice's and ELB's (both serve CreateRule and DeleteRule). [model: CreateRule] adds quota errors
  // (ServiceQuotaExceededException, TooManyRules); a side rule is one rule, so they are left out.
  CreateRule: [
    ...LATTICE_READ_ERRORS,
    'ConflictException',
    ...ELB_ERRORS,
    'ListenerNotFound',
    'PriorityInUse',
    'TargetGroupNotFound',
  ],
  DeleteRule: [...LATTICE_READ_ERRORS, 'ConflictException', ...ELB_ERRORS, 'RuleNotFound'],
  DescribeTags: [...ELB_ERRORS, 'RuleNotFound', 'ListenerNotFound'],
  ListRules: LATTICE_READ_ERRORS,
  DescribeRules: [...ELB_ERRORS, 'RuleNotFound'],
  DescribeListeners: [...ELB_ERRORS, 'ListenerNotFound'],
  DescribeTargetGroups: [...ELB_ERRORS, 'TargetGroupNotFound'],
  DescribeTargetHealth: [...ELB_ERRORS, 'TargetGroupNotFound'],
  ModifyRule: [...ELB_ERRORS, 'RuleNotFound', 'TargetGroupNotFound'],
  ModifyListener: [...ELB_ERRORS, 'ListenerNotFound', 'TargetGroupNotFound'],
  // CodeDeploy's modelled throttling, the JSON protocols' common server errors, and IAM's refusal.
  GetDeploymentConfig: [
    'ThrottlingException',
    'InternalFailure',
    'ServiceUnavailable',
    'AccessDeniedException',
  ],
  // Secrets Manager's throttling, its InternalServiceError, a missing secret, and IAM's refusal.
  GetSecretValue: [
    'ThrottlingException',
    'InternalServiceError',
    'ResourceNotFoundException',
    'AccessDeniedException',
  ],
};

const ALARM_TYPES = ['metric', 'composite'] as const;

const MILLISECONDS = /^(0|[1-9][0-9]*)ms$/;

/** "50ms" (and "0ms") in seconds; undefined for anything else. */
export function parseMilliseconds(text: string): number | undefined {
  const match = MILLISECONDS.exec(text);
  return match ? Number(match[1]) / 1000 : undefined;
}

function durationSeconds(what: string) {
  const problem = (input: unknown) =>
    `${show(input)} is not a duration; write ${what} as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"`;
  return z.string({ error: (iss) => problem(iss.input) }).transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: problem(text) });
      return z.NEVER;
    }
    return seconds;
  });
}

function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: (iss) => `is ${show(iss.input)}; give a list of ${what}` });
}

const meshOwner = z
  .string({ error: (iss) => `${show(iss.input)} is not text; give the mesh owner's 12-digit AWS account id` })
  .regex(/^[0-9]{12}$/, {
    error: (iss) => `${show(iss.input)} is not a 12-digit AWS account id (the owner of a shared mesh)`,
  })
  .optional();

const ROUTE_FIELDS = ['meshName', 'virtualRouterName', 'routeName', 'meshOwner', 'spec'] as const;
const routeSchema = z
  .strictObject(
    {
      meshName: requiredString('the mesh the route lives in'),
      virtualRouterName: requiredString('the virtual router that owns the route'),
      routeName: requiredString('the route name'),
      meshOwner,
      // The spec is kept as written: DescribeRoute hands it back to the SDK exactly, so fields the
      // simulator does not model still round-trip.
      spec: z.record(z.string(), z.unknown(), {
        error: (iss) =>
          `is ${show(iss.input)}; give the route's RouteSpec as DescribeRoute returns it, e.g. {"httpRoute": {...}}`,
      }),
    },
    { error: objectError('a route', ROUTE_FIELDS) },
  )
  .superRefine((route, ctx) => {
    // A route App Mesh would never hold makes a rehearsal that proves nothing: check it as App Mesh
    // checks a write of it.
    const { meshName, virtualRouterName, routeName, spec } = route;
    for (const problem of validateUpdateRouteInput({ meshName, virtualRouterName, routeName, spec })) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec'],
        message: `App Mesh would not hold this route: ${problem}`,
      });
    }
  });

const NODE_FIELDS = ['meshName', 'virtualNodeName', 'meshOwner'] as const;
const virtualNodeSchema = z.strictObject(
  {
    meshName: requiredString('the mesh the virtual node lives in'),
    virtualNodeName: requiredString('the virtual node name'),
    meshOwner,
  },
  { error: objectError('a virtual node', NODE_FIELDS) },
);

const STATE_FIELDS = ['at', 'state', 'reason', 'value'] as const;
const alarmStateSchema = z.strictObject(
  {
    at: durationSeconds('when the alarm enters this state'),
    state: z.enum(ALARM_STATES, {
      error: (iss) => `${show(iss.input)} is not an alarm state; use one of: ${ALARM_STATES.join(', ')}`,
    }),
    reason: z
      .string({ error: (iss) => `${show(iss.input)} is not text; give CloudWatch's StateReason text` })
      .optional(),
    value: z
      .number({
        error: (iss) => `${show(iss.input)} is not a number; give the datapoint the alarm evaluated`,
      })
      .optional(),
  },
  { error: objectError('an alarm state', STATE_FIELDS) },
);

/** CloudWatch's static-threshold comparison operators. */
const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

const ALARM_FIELDS = ['name', 'type', 'states', 'threshold', 'comparison'] as const;
const alarmSchema = z.strictObject(
  {
    // CloudWatch alarm names are 1..255 characters.
    name: requiredString('the CloudWatch alarm name'),
    type: z.enum(ALARM_TYPES, {
      error: (iss) => `${show(iss.input)} is not an alarm type; use one of: ${ALARM_TYPES.join(', ')}`,
    }),
    threshold: z
      .number({ error: (iss) => `${show(iss.input)} is not a number; give the metric alarm's Threshold` })
      .optional(),
    comparison: z
      .enum(COMPARISONS, {
        error: (iss) => `${show(iss.input)} is not a comparison; use one of: ${COMPARISONS.join(', ')}`,
      })
      .optional(),
    states: listOf(alarmStateSchema, 'states such as {"at": "0s", "state": "OK"}').superRefine(
      (states, ctx) => {
        for (let i = 1; i < states.length; i++) {
          const previous = states[i - 1]!.at;
          if (states[i]!.at <= previous) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'at'],
              message: `comes at ${states[i]!.at}s, not after the previous state (${previous}s); list states in time order, each later than the one before`,
            });
          }
        }
      },
    ),
  },
  { error: objectError('an alarm', ALARM_FIELDS) },
);

const POINT_FIELDS = ['at', 'value'] as const;
const metricPointSchema = z.strictObject(
  {
    at: durationSeconds("the datapoint's timestamp"),
    value: z
      .number({ error: (iss) => `${show(iss.input)} is not a number; give the datapoint's value` })
      .refine(Number.isFinite, { error: "is not a finite number; give the datapoint's value" }),
  },
  { error: objectError('a datapoint', POINT_FIELDS) },
);

const metricSeriesSchema = listOf(
  metricPointSchema,
  'datapoints such as {"at": "1m", "value": 0.001}',
).superRefine((points, ctx) => {
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.at <= points[i - 1]!.at) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'at'],
        message: `comes at ${points[i]!.at}s, not after the previous datapoint (${points[i - 1]!.at}s); list datapoints in time order, one per timestamp`,
      });
    }
  }
});

const METRIC_TARGET_FIELDS = ['canary', 'stable'] as const;
/** Per metric check (by its name in the profile), the datapoints of each target's series. */
const metricsSchema = z.record(
  z.string(),
  z.strictObject(
    { canary: metricSeriesSchema.default([]), stable: metricSeriesSchema.default([]) },
    { error: objectError("a check's series", METRIC_TARGET_FIELDS) },
  ),
  {
    error: (iss) =>
      `is ${show(iss.input)}; give each metric check's datapoints by its name, e.g. {"error-rate": {"canary": [{"at": "0s", "value": 0.001}]}}`,
  },
);

export type { WorldHookAnswer } from '../script/hooks.ts';

const ECS_STATE_FIELDS = ['at', 'status', 'desiredCount', 'runningCount', 'deployments'] as const;
const count = (what: string) =>
  z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number, 0 or more`,
    })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; give ${what}` })
    .min(0, { error: (iss) => `${show(iss.input)} is below 0; give ${what}` });
const ecsStateSchema = z.strictObject(
  {
    at: durationSeconds('when the service is in this state'),
    status: z
      .enum(['ACTIVE', 'DRAINING', 'INACTIVE'], {
        error: (iss) => `${show(iss.input)} is not an ECS service status; use ACTIVE, DRAINING or INACTIVE`,
      })
      .default('ACTIVE'),
    desiredCount: count('the tasks the service wants'),
    runningCount: count('the tasks running'),
    deployments: count('the deployments the service has (more than one while a rollout runs)')
      .min(1, { error: 'is below 1; a service has at least its primary deployment' })
      .default(1),
  },
  { error: objectError('an ECS service state', ECS_STATE_FIELDS) },
);

const ECS_SERVICE_FIELDS = ['cluster', 'serviceName', 'states'] as const;
/** An ECS service over virtual time: DescribeServices answers with its latest state; before it, MISSING. */
const ecsServiceSchema = z.strictObject(
  {
    cluster: requiredString('the ECS cluster'),
    serviceName: requiredString('the ECS service name'),
    states: listOf(ecsStateSchema, 'states such as {"at": "0s", "desiredCount": 3, "runningCount": 1}'),
  },
  { error: objectError('an ECS service', ECS_SERVICE_FIELDS) },
);

const API_FAULT_FIELDS = ['operation', 'error', 'call', 'count', 'from', 'until'] as const;
const LAMBDA_FAULT_FIELDS = ['state', 'fault', 'when', 'call', 'count', 'from', 'until'] as const;
const wholeNumberFrom1 = (what: string) =>
  z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number, 1 or more`,
    })
    .int({
      error: (iss) => `${show(iss.input)} is not a whole number; give ${what} as a whole number, 1 or more`,
    })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; give ${what} as a whole number, 1 or more` });

interface Schedule {
  readonly call?: number | undefined;
  readonly count?: number | undefined;
  readonly from?: number | undefined;
  readonly until?: number | undefined;
}

/**
 * Which calls (or invocations) a fault fails: by number ("call", "count") or by time ("from",
 * "until"), never both. `many` names what is counted: "calls" for AWS calls, "invocations" for Lambda.
 */
function checkSchedule(fault: Schedule, ctx: z.RefinementCtx, many: string): void {
  const byCall = fault.call !== undefined;
  const byTime = fault.from !== undefined;
  if (byCall === byTime) {
    ctx.addIssue({
      code: 'custom',
      message: byCall
        ? `has both "call" and "from"; a fault fails ${many} by number ("call", "count") or by time ("from", "until"), not both`
        : `says neither which ${many} fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")`,
    });
  }
  if (fault.count !== undefined && !byCall) {
    ctx.addIssue({
      code: 'custom',
      path: ['count'],
      message: `goes with "call"; "count" says how many ${many} from "call" on fail`,
    });
  }
  if (fault.until !== undefined) {
    if (!byTime) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'goes with "from"; a time window starts at "from" and ends at "until"',
      });
    } else if (fault.until <= (fault.from as number)) {
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: `(${fault.until}s) is not after "from" (${fault.from}s); the window must end after it starts`,
      });
    }
  }
}

const apiFaultSchema = z
  .strictObject(
    {
      operation: z.enum(OPERATIONS, {
        error: (iss) =>
          `${show(iss.input)} is not an operation the simulated AWS serves; use one of: ${OPERATIONS.join(', ')}`,
      }),
      error: z.enum(FAULT_ERROR_NAMES as [FaultErrorName, ...FaultErrorName[]], {
        error: (iss) =>
          `${show(iss.input)} is not an error the simulator can raise; use one of: ${FAULT_ERROR_NAMES.join(', ')}`,
      }),
      call: wholeNumberFrom1('the first failing call of the operation (1 is its first call)').optional(),
      count: wholeNumberFrom1('how many calls in a row fail').optional(),
      from: durationSeconds('when the failures start').optional(),
      until: durationSeconds('when the failures end').optional(),
    },
    { error: objectError('a fault', API_FAULT_FIELDS) },
  )
  .superRefine((fault, ctx) => {
    checkSchedule(fault, ctx, 'calls');
    const allowed = OPERATION_ERRORS[fault.operation];
    if (!allowed.includes(fault.error)) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `"${fault.error}" is not an error ${fault.operation} answers with; use one of: ${allowed.join(', ')}`,
      });
    }
  });

/**
 * What goes wrong with a Lambda invocation. Each is reported to the state machine under the error
 * name Step Functions' lambda:invoke integration gives it (see LAMBDA_FAILURES in
 * rehearsal/lambda-emulation.ts, which cites the sources).
 */
const LAMBDA_FAULTS = ['crash', 'timeout'] as const;
const LAMBDA_FAULT_MOMENTS = ['before', 'after'] as const;

let taskStates: readonly string[] | undefined;
let functionNames: readonly string[] | undefined;

/** The Task states of statemachines/release.asl.json, in the definition's order. */
function taskStateNames(): readonly string[] {
  taskStates ??= [...taskFunctions(loadDefinition()).keys()];
  return taskStates;
}

/** The functions the Task states invoke ("Prepare", "Shift", ...), each once. */
function taskFunctionNames(): readonly string[] {
  functionNames ??= [...new Set(taskFunctions(loadDefinition()).values())];
  return functionNames;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

const lambdaFaultSchema = z
  .strictObject(
    {
      state: z
        .string({
          error: (iss) =>
            iss.input === undefined
              ? `is missing; name the task state whose Lambda invocation fails, one of: ${quoted(taskStateNames())}`
              : `${show(iss.input)} is not text; name a task state of statemachines/release.asl.json, one of: ${quoted(taskStateNames())}`,
        })
        .refine((name) => taskStateNames().includes(name), {
          error: (iss) =>
            `${show(iss.input)} is not a task state of statemachines/release.asl.json; use one of: ${quoted(taskStateNames())}`,
        }),
      fault: z.enum(LAMBDA_FAULTS, {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not a Lambda fault`}; use "crash" (the function's runtime exits: Runtime.ExitError) or "timeout" (the function runs out of time: Sandbox.Timedout)`,
      }),
      when: z.enum(LAMBDA_FAULT_MOMENTS, {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `${show(iss.input)} is not a moment`}; use "before" (the invocation fails before the handler runs) or "after" (the handler runs and its AWS calls happen, then the invocation fails and its result is lost)`,
      }),
      call: wholeNumberFrom1(
        "the first failing invocation of the state (1 is its first invocation; Step Functions' retries count)",
      ).optional(),
      count: wholeNumberFrom1('how many invocations in a row fail').optional(),
      from: durationSeconds('when the failures start').optional(),
      until: durationSeconds('when the failures end').optional(),
    },
    { error: objectError('a Lambda fault', LAMBDA_FAULT_FIELDS) },
  )
  .superRefine((fault, ctx) => checkSchedule(fault, ctx, 'invocations'));

export type ApiFault = z.output<typeof apiFaultSchema>;
export type LambdaFault = z.output<typeof lambdaFaultSchema>;

/**
 * A schema that picks, from the input itself, which schema to apply (or refuses with a sentence). Its
 * issues keep their own messages and paths, which a plain union would replace with "Invalid input".
 */
function chooseSchema<Output, Input>(pick: (input: unknown) => z.ZodType | string) {
  return z.unknown().transform((input, ctx) => {
    const chosen = pick(input);
    if (typeof chosen === 'string') {
      ctx.addIssue({ code: 'custom', message: chosen });
      return z.NEVER;
    }
    const result = chosen.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
      return z.NEVER;
    }
    return result.data;
  }) as unknown as z.ZodType<Output, Input>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An AWS call that fails ("operation") or a task's Lambda invocation that fails ("state"). */
const faultSchema = chooseSchema<
  ApiFault | LambdaFault,
  z.input<typeof apiFaultSchema> | z.input<typeof lambdaFaultSchema>
>((input) => {
  if (!isObject(input)) {
    return `is ${show(input)}; a fault is a JSON object: {"operation", "error", ...} fails an AWS call, {"state", "fault", "when", ...} fails a task's Lambda invocation`;
  }
  if ('state' in input && 'operation' in input) {
    return 'has both "operation" and "state"; a fault fails either an AWS call ("operation", "error") or a task\'s Lambda invocation ("state", "fault", "when"), not both';
  }
  return 'state' in input ? lambdaFaultSchema : apiFaultSchema;
});

/** Lambda's largest function timeout: 900 seconds. */
const MAX_FUNCTION_TIMEOUT_SECONDS = 900;

const functionTimeoutsSchema = z
  .record(
    z.string(),
    durationSeconds("the function's timeout").refine(
      (seconds) => seconds >= 1 && seconds <= MAX_FUNCTION_TIMEOUT_SECONDS,
      {
        error: (iss) =>
          `${iss.input}s is outside Lambda's function timeouts; give 1 second to 15 minutes ("1s" to "15m")`,
      },
    ),
    {
      error: (iss) =>
        `is ${show(iss.input)}; give each function's timeout by its name, e.g. {"Analyze": "2m"}`,
    },
  )
  .superRefine((timeouts, ctx) => {
    for (const name of Object.keys(timeouts)) {
      if (!taskFunctionNames().includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is not a function of the release state machine; use one of: ${taskFunctionNames().join(', ')}`,
        });
      }
    }
  });

/**
 * What a person does during a rehearsal, at a virtual time: Step Functions' StopExecution, an edit of
 * the route by hand, a second release, or one of stepshift's own commands (abort, promote, pause,
 * resume), run as the CLI runs them.
 */
const OPERATOR_ACTIONS = [
  'stop-execution',
  'edit-route',
  'start-release',
  'abort',
  'promote',
  'pause',
  'resume',
  'approve',
  'reject',
] as const;
export type OperatorActionName = (typeof OPERATOR_ACTIONS)[number];

/** When a person acts: whole seconds like the other times, or milliseconds ("10250ms") to land inside a task. */
function actedAt() {
  const problem = (input: unknown) =>
    `${show(input)} is not a duration; write when the person acts as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"`;
  return z.string({ error: (iss) => problem(iss.input) }).transform((text, ctx) => {
    const seconds = parseMilliseconds(text) ?? parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: problem(text) });
      return z.NEVER;
    }
    return seconds;
  });
}

const ROUTE_KEY_FIELDS = ['meshName', 'virtualRouterName', 'routeName', 'meshOwner'] as const;
const routeKeySchema = z.strictObject(
  {
    meshName: requiredString('the mesh the route lives in'),
    virtualRouterName: requiredString('the virtual router that owns the route'),
    routeName: requiredString('the route name'),
    meshOwner,
  },
  { error: objectError('a route key', ROUTE_KEY_FIELDS) },
);

const STOP_FIELDS = ['at', 'action'] as const;
const stopExecutionSchema = z.strictObject(
  { at: actedAt(), action: z.literal('stop-execution') },
  { error: objectError('a stop-execution action', STOP_FIELDS) },
);

const EDIT_FIELDS = ['at', 'action', 'route', 'spec'] as const;
const editRouteSchema = z
  .strictObject(
    {
      at: actedAt(),
      action: z.literal('edit-route'),
      route: routeKeySchema.optional(),
      spec: z.record(z.string(), z.unknown(), {
        error: (iss) =>
          `${iss.input === undefined ? 'is missing' : `is ${show(iss.input)}`}; give the whole RouteSpec the person writes, as DescribeRoute returns it, e.g. {"httpRoute": {...}}`,
      }),
    },
    { error: objectError('an edit-route action', EDIT_FIELDS) },
  )
  .superRefine((action, ctx) => {
    // UpdateRoute replaces the whole spec: the person's spec must be one App Mesh accepts.
    const key = action.route ?? { meshName: 'mesh', virtualRouterName: 'router', routeName: 'route' };
    for (const problem of validateUpdateRouteInput({ ...key, spec: action.spec })) {
      ctx.addIssue({
        code: 'custom',
        path: ['spec'],
        message: `App Mesh would refuse this UpdateRoute: ${problem}`,
      });
    }
  });

const START_FIELDS = ['at', 'action', 'request'] as const;
const startReleaseSchema = z.strictObject(
  {
    at: actedAt(),
    action: z.literal('start-release'),
    // Any JSON: Prepare validates it in the second execution, as it would on AWS.
    request: z.custom<unknown>((value) => value !== undefined, {
      error:
        'is missing; give the input the second execution starts with, as a trigger would send it, e.g. {"service": "orders", "version": "v3"}',
    }),
  },
  { error: objectError('a start-release action', START_FIELDS) },
);

const COMMAND_FIELDS = {
  abort: ['at', 'action', 'releaseId', 'reason'],
  promote: ['at', 'action', 'releaseId', 'full'],
  pause: ['at', 'action', 'releaseId'],
  resume: ['at', 'action', 'releaseId'],
  approve: ['at', 'action', 'releaseId'],
  reject: ['at', 'action', 'releaseId', 'reason'],
} as const;

/** `stepshift <command> <releaseId>`; the release id defaults to the scenario's own release. */
function commandSchema<C extends keyof typeof COMMAND_FIELDS>(command: C) {
  return z.strictObject(
    {
      at: actedAt(),
      action: z.literal(command),
      releaseId: requiredString("the release to act on (default: the scenario's release)", 64).optional(),
      ...(command === 'abort' || command === 'reject'
        ? { reason: requiredString('why, in the words the rollback reports', 1000).optional() }
        : {}),
      ...(command === 'promote'
        ? {
            full: z
              .boolean({
                error: (iss) =>
                  `${show(iss.input)} is not true or false; "full": true skips every remaining step`,
              })
              .optional(),
          }
        : {}),
    },
    { error: objectError(`${command === 'abort' ? 'an' : 'a'} ${command} action`, COMMAND_FIELDS[command]) },
  );
}

const abortSchema = commandSchema('abort');
const promoteSchema = commandSchema('promote');
const pauseSchema = commandSchema('pause');
const resumeSchema = commandSchema('resume');
const approveSchema = commandSchema('approve');
const rejectSchema = commandSchema('reject');

/** One of stepshift's operator commands, as a scenario scripts it. */
export interface CommandAction {
  readonly at: number;
  readonly action: 'abort' | 'promote' | 'pause' | 'resume' | 'approve' | 'reject';
  readonly releaseId?: string | undefined;
  readonly reason?: string | undefined;
  readonly full?: boolean | undefined;
}

export type StopExecutionAction = z.output<typeof stopExecutionSchema>;
export type EditRouteAction = z.output<typeof editRouteSchema>;
export type StartReleaseAction = z.output<typeof startReleaseSchema>;
export type OperatorAction = StopExecutionAction | EditRouteAction | StartReleaseAction | CommandAction;

const ACTION_SCHEMAS = {
  'stop-execution': stopExecutionSchema,
  'edit-route': editRouteSchema,
  'start-release': startReleaseSchema,
  abort: abortSchema,
  promote: promoteSchema,
  pause: pauseSchema,
  resume: resumeSchema,
  approve: approveSchema,
  reject: rejectSchema,
} as const;

const operatorActionSchema = chooseSchema<
  OperatorAction,
  | z.input<typeof stopExecutionSchema>
  | z.input<typeof editRouteSchema>
  | z.input<typeof startReleaseSchema>
  | z.input<typeof abortSchema>
  | z.input<typeof promoteSchema>
  | z.input<typeof pauseSchema>
  | z.input<typeof resumeSchema>
  | z.input<typeof approveSchema>
  | z.input<typeof rejectSchema>
>((input) => {
  if (!isObject(input)) {
    return `is ${show(input)}; an operator action is a JSON object with "at", "action" and the action's own fields, e.g. {"at": "7m", "action": "stop-execution"}`;
  }
  const action = input.action;
  if (typeof action === 'string' && action in ACTION_SCHEMAS) {
    return ACTION_SCHEMAS[action as OperatorActionName];
  }
  return z.unknown().superRefine((_, ctx) =>
    ctx.addIssue({
      code: 'custom',
      path: ['action'],
      message: `${action === undefined ? 'is missing' : `${show(action)} is not an operator action`}; use one of: ${OPERATOR_ACTIONS.join(', ')}`,
    }),
  );
});

const latencySchema = z
  .string({
    error: (iss) => `${show(iss.input)} is not a latency; write whole milliseconds such as "50ms" or "0ms"`,
  })
  .transform((text, ctx) => {
    const seconds = parseMilliseconds(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(text)} is not a latency; write whole milliseconds such as "50ms" or "0ms"`,
      });
      return z.NEVER;
    }
    return seconds;
  });

/** Virtual seconds each call takes when the scenario does not say. */
const DEFAULT_CALL_LATENCY_SECONDS = 0.05;

const APPMESH_FIELDS = ['routes', 'virtualNodes'] as const;
const WORLD_FIELDS = [
  'appmesh',
  'lattice',
  'alb',
  'codedeploy',
  'alarms',
  'metrics',
  'faults',
  'callLatency',
  'functionTimeouts',
  'operator',
  'alarmEventDelay',
  'alarmEvents',
  'ecs',
  'hooks',
  'secrets',
] as const;

/**
 * The scenario's `world`: what AWS holds when the rehearsal starts, how alarms change over virtual
 * time, and which calls fail. Durations come out as seconds; callLatency too.
 */
export const worldSchema = z
  .strictObject(
    {
      appmesh: z
        .strictObject(
          {
            routes: listOf(routeSchema, 'App Mesh routes').default([]),
            virtualNodes: listOf(virtualNodeSchema, 'App Mesh virtual nodes').default([]),
          },
          { error: objectError('the appmesh block', APPMESH_FIELDS) },
        )
        .default({ routes: [], virtualNodes: [] }),
      lattice: latticeWorldSchema,
      alb: albWorldSchema,
      codedeploy: codedeployWorldSchema,
      alarms: listOf(alarmSchema, 'CloudWatch alarms').default([]),
      metrics: metricsSchema.default({}),
      faults: listOf(
        faultSchema,
        'faults such as {"operation": "UpdateRoute", "call": 1, "error": "TooManyRequestsException"}',
      ).default([]),
      callLatency: latencySchema.default(DEFAULT_CALL_LATENCY_SECONDS),
      functionTimeouts: functionTimeoutsSchema.default({}),
      operator: listOf(
        operatorActionSchema,
        'operator actions such as {"at": "7m", "action": "stop-execution"}',
      ).default([]),
      // EventBridge publishes no delivery latency for CloudWatch's alarm events; by default the
      // rehearsal delivers at once, so detectionDelaySeconds measures what stepshift itself adds.
      alarmEventDelay: latencySchema.default(0),
      // "lost": no alarm event arrives (a missing rule, a failed delivery), so only polling notices.
      alarmEvents: z
        .enum(['delivered', 'lost'], {
          error: (iss) =>
            `${show(iss.input)} is not a delivery; use "delivered" (the default) or "lost" (no alarm event reaches the alarm function)`,
        })
        .default('delivered'),
      hooks: hooksWorldSchema,
      secrets: secretsWorldSchema,
      ecs: z
        .strictObject(
          { services: listOf(ecsServiceSchema, 'ECS services').default([]) },
          { error: objectError('the ecs block', ['services']) },
        )
        .default({ services: [] }),
    },
    { error: objectError('the world', WORLD_FIELDS) },
  )
  .superRefine((world, ctx) => {
    for (const issue of unknownSigningSecrets(world.hooks, world.secrets))
      ctx.addIssue({ code: 'custom', ...issue });
    duplicates(
      world.appmesh.routes.map(
        (r) => `${r.meshOwner ?? ''}/${r.meshName}/${r.virtualRouterName}/${r.routeName}`,
      ),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['appmesh', 'routes', i],
          message:
            'repeats a route (same mesh, virtual router, route name and mesh owner); declare each route once',
        }),
    );
    duplicates(
      world.appmesh.virtualNodes.map((n) => `${n.meshOwner ?? ''}/${n.meshName}/${n.virtualNodeName}`),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['appmesh', 'virtualNodes', i],
          message: 'repeats a virtual node (same mesh, name and mesh owner); declare each virtual node once',
        }),
    );
    duplicates(
      world.alarms.map((a) => a.name),
      (i) =>
        ctx.addIssue({
          code: 'custom',
          path: ['alarms', i, 'name'],
          message: 'repeats an alarm name; CloudWatch alarm names are unique in an account and region',
        }),
    );
    world.operator.forEach((action, i) => {
      if (action.action !== 'edit-route') return;
      const routes = world.appmesh.routes;
      if (action.route === undefined) {
        if (routes.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['operator', i],
            message:
              'edits a route, but world.appmesh.routes declares none; declare the route the person edits',
          });
        }
        return;
      }
      const { meshName, virtualRouterName, routeName, meshOwner } = action.route;
      const found = routes.some(
        (r) =>
          r.meshName === meshName &&
          r.virtualRouterName === virtualRouterName &&
          r.routeName === routeName &&
          r.meshOwner === meshOwner,
      );
      if (!found) {
        ctx.addIssue({
          code: 'custom',
          path: ['operator', i, 'route'],
          message: `names ${meshName}/${virtualRouterName}/${routeName}${meshOwner ? ` (owner ${meshOwner})` : ''}, which is not in world.appmesh.routes; name one of: ${routes.map((r) => `${r.meshName}/${r.virtualRouterName}/${r.routeName}`).join(', ') || '(none declared)'}`,
        });
      }
    });
  });

function duplicates(keys: string[], report: (index: number) => void): void {
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    if (seen.has(key)) report(i);
    seen.add(key);
  });
}

/** The parsed world: durations and callLatency in seconds, defaults filled in. */
export type World = z.output<typeof worldSchema>;
/** The world as a scenario file writes it. */
export type WorldInput = z.input<typeof worldSchema>;
export type WorldAlarm = World['alarms'][number];

/** Parses a world block; throws zod's error (use describeIssues from core for readable lines). */
export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}
