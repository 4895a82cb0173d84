import { z } from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, requiredString, show } from '#core/validation.ts';
import { validateUpdateRouteInput } from './appmesh-validation.ts';

/** The operations the simulated AWS serves; a fault may target any of them. */
export const APPMESH_OPERATIONS = ['DescribeRoute', 'UpdateRoute', 'DescribeVirtualNode'] as const;
export const CLOUDWATCH_OPERATIONS = ['DescribeAlarms', 'DescribeAlarmHistory'] as const;
export const EVENTBRIDGE_OPERATIONS = ['PutEvents'] as const;
export const DYNAMODB_OPERATIONS = ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem'] as const;
export const STEPFUNCTIONS_OPERATIONS = ['DescribeExecution'] as const;
export const OPERATIONS = [
  ...APPMESH_OPERATIONS,
  ...CLOUDWATCH_OPERATIONS,
  ...EVENTBRIDGE_OPERATIONS,
  ...DYNAMODB_OPERATIONS,
  ...STEPFUNCTIONS_OPERATIONS,
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

/** The errors each operation can really answer with; a scenario may inject only these. */
export const OPERATION_ERRORS: Record<Operation, readonly FaultErrorName[]> = {
  DescribeRoute: APPMESH_READ_ERRORS,
  DescribeVirtualNode: APPMESH_READ_ERRORS,
  UpdateRoute: [...APPMESH_READ_ERRORS, 'ConflictException', 'LimitExceededException'],
  DescribeAlarms: CLOUDWATCH_READ_ERRORS,
  DescribeAlarmHistory: CLOUDWATCH_READ_ERRORS,
  // EventBridge's modelled InternalException, its throttling, and IAM's refusal.
  PutEvents: ['ThrottlingException', 'InternalException', 'AccessDeniedException'],
  PutItem: DYNAMODB_ERRORS,
  GetItem: DYNAMODB_ERRORS,
  UpdateItem: DYNAMODB_ERRORS,
  DeleteItem: DYNAMODB_ERRORS,
  DescribeExecution: ['ThrottlingException', 'AccessDeniedException'],
};

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATES)[number];
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
export const COMPARISONS = [
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

const FAULT_FIELDS = ['operation', 'error', 'call', 'count', 'from', 'until'] as const;
const wholeNumberFrom1 = (what: string) =>
  z
    .number({
      error: (iss) => `${show(iss.input)} is not a number; give ${what} as a whole number, 1 or more`,
    })
    .int({
      error: (iss) => `${show(iss.input)} is not a whole number; give ${what} as a whole number, 1 or more`,
    })
    .min(1, { error: (iss) => `${show(iss.input)} is below 1; give ${what} as a whole number, 1 or more` });

const faultSchema = z
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
    { error: objectError('a fault', FAULT_FIELDS) },
  )
  .superRefine((fault, ctx) => {
    const byCall = fault.call !== undefined;
    const byTime = fault.from !== undefined;
    if (byCall === byTime) {
      ctx.addIssue({
        code: 'custom',
        message: byCall
          ? 'has both "call" and "from"; a fault fails calls by number ("call", "count") or by time ("from", "until"), not both'
          : 'says neither which calls fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")',
      });
    }
    if (fault.count !== undefined && !byCall) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: 'goes with "call"; "count" says how many calls from "call" on fail',
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
    const allowed = OPERATION_ERRORS[fault.operation];
    if (!allowed.includes(fault.error)) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `"${fault.error}" is not an error ${fault.operation} answers with; use one of: ${allowed.join(', ')}`,
      });
    }
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
export const DEFAULT_CALL_LATENCY_SECONDS = 0.05;

const APPMESH_FIELDS = ['routes', 'virtualNodes'] as const;
const WORLD_FIELDS = ['appmesh', 'alarms', 'faults', 'callLatency'] as const;

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
      alarms: listOf(alarmSchema, 'CloudWatch alarms').default([]),
      faults: listOf(
        faultSchema,
        'faults such as {"operation": "UpdateRoute", "call": 1, "error": "TooManyRequestsException"}',
      ).default([]),
      callLatency: latencySchema.default(DEFAULT_CALL_LATENCY_SECONDS),
    },
    { error: objectError('the world', WORLD_FIELDS) },
  )
  .superRefine((world, ctx) => {
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
export type WorldRoute = World['appmesh']['routes'][number];
export type WorldAlarm = World['alarms'][number];
export type WorldFault = World['faults'][number];

/** Parses a world block; throws zod's error (use describeIssues from core for readable lines). */
export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}
