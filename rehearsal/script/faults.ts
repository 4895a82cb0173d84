import { ALB_OPERATIONS } from '#routers/alb/sim/service.ts';
import { APPMESH_OPERATIONS } from '#routers/appmesh/sim/service.ts';
import { LAMBDA_ALIAS_OPERATIONS } from '#routers/lambda/sim/service.ts';
import { ServiceError } from '#routers/sim/service.ts';
import { LATTICE_OPERATIONS } from '#routers/vpc-lattice/sim/service.ts';
import { CLOUDWATCH_OPERATIONS } from '../services/cloudwatch/model.ts';
import { ECS_OPERATIONS } from '../services/ecs/model.ts';
import { EVENTBRIDGE_OPERATIONS } from '../services/eventbridge/model.ts';
import { LAMBDA_OPERATIONS } from '../services/lambda/model.ts';
import { STEPFUNCTIONS_OPERATIONS } from '../services/stepfunctions/model.ts';
import type { ApiFault } from './fault-schema.ts';
import type { World } from './world.ts';

/** The operations the simulated AWS serves; a fault may target any of them. */
export const DYNAMODB_OPERATIONS = [
  'PutItem',
  'GetItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
] as const;
export const CODEDEPLOY_OPERATIONS = ['GetDeploymentConfig', 'ListDeployments'] as const;
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
  ...LAMBDA_ALIAS_OPERATIONS,
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
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
} as const;
export type FaultErrorName = keyof typeof FAULT_ERRORS;
export const FAULT_ERROR_NAMES = Object.keys(FAULT_ERRORS) as FaultErrorName[];

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

/** Lambda's throttling and service error, IAM's refusal and a missing function or alias. */
const LAMBDA_ERRORS: readonly FaultErrorName[] = [
  'TooManyRequestsException',
  'ServiceException',
  'AccessDeniedException',
  'ResourceNotFoundException',
];

/** The errors each operation can really answer with; a scenario may inject only these. */
export const OPERATION_ERRORS: Record<Operation, readonly FaultErrorName[]> = {
  DescribeRoute: APPMESH_READ_ERRORS,
  DescribeVirtualNode: APPMESH_READ_ERRORS,
  ListVirtualNodes: APPMESH_READ_ERRORS,
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
  // Read by the CLI's list, history, status and watch, never by the functions.
  ListExecutions: ['ThrottlingException', 'AccessDeniedException'],
  GetExecutionHistory: ['ThrottlingException', 'AccessDeniedException'],
  // ECS's server fault, its throttling, and IAM's refusal.
  DescribeServices: ['ServerException', 'ThrottlingException', 'AccessDeniedException'],
  // Lambda's throttling, its service error, and IAM's refusal: a hook that cannot be invoked fails.
  Invoke: ['TooManyRequestsException', 'ServiceException', 'AccessDeniedException'],
  GetFunction: LAMBDA_ERRORS,
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
  // Lambda's alias calls (API reference: GetAlias, UpdateAlias, ...): throttling, its service error,
  // IAM's refusal and a missing function or alias; UpdateAlias adds another operation in progress and a
  // stale RevisionId.
  GetAlias: LAMBDA_ERRORS,
  GetFunctionConfiguration: LAMBDA_ERRORS,
  GetProvisionedConcurrencyConfig: LAMBDA_ERRORS,
  ListVersionsByFunction: LAMBDA_ERRORS,
  UpdateAlias: [...LAMBDA_ERRORS, 'ResourceConflictException', 'PreconditionFailedException'],
  // CodeDeploy's modelled throttling, the JSON protocols' common server errors, and IAM's refusal.
  GetDeploymentConfig: [
    'ThrottlingException',
    'InternalFailure',
    'ServiceUnavailable',
    'AccessDeniedException',
  ],
  // As GetDeploymentConfig (API reference: ListDeployments).
  ListDeployments: ['ThrottlingException', 'InternalFailure', 'ServiceUnavailable', 'AccessDeniedException'],
  // Secrets Manager's throttling, its InternalServiceError, a missing secret, and IAM's refusal.
  GetSecretValue: [
    'ThrottlingException',
    'InternalServiceError',
    'ResourceNotFoundException',
    'AccessDeniedException',
  ],
};

/** The scenario's API faults as the calls meet them: which call a fault hits, and the error it answers. */

/** The fault, if any, that the scenario scripts for this call of this operation at this time. */
export function faultFor(
  faults: World['faults'],
  operation: string,
  number: number,
  at: number,
): ApiFault | undefined {
  return faults.find((f): f is ApiFault => {
    if (!('operation' in f) || f.operation !== operation) return false;
    if (f.call !== undefined) return number >= f.call && number < f.call + (f.count ?? 1);
    return f.from !== undefined && at >= f.from && (f.until === undefined || at < f.until);
  });
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
  ResourceConflictException:
    'The operation cannot be performed at this time. An update is in progress for resource',
  PreconditionFailedException:
    'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id',
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

export function injected(
  fault: ApiFault,
  operation: string,
  number: number,
  at: number,
  statuses: Readonly<Record<string, number>> = {},
): ServiceError {
  const which =
    fault.call !== undefined ? `call ${number} of ${operation}` : `${operation} at ${at}s of virtual time`;
  // CloudWatch and ELB share the query code AccessDenied; the refusal names the action refused, which
  // is the operation called, in its own service's namespace.
  const refused = FAULT_MESSAGES[fault.error].replace('<operation>', operation);
  const message =
    fault.error === 'AccessDenied' && !CLOUDWATCH_OPERATIONS.includes(operation as never)
      ? refused.replace(`cloudwatch:${operation}`, `elasticloadbalancing:${operation}`)
      : refused;
  return new ServiceError(
    fault.error,
    statuses[fault.error] ?? FAULT_ERRORS[fault.error],
    `${message} (fault injected by the scenario: ${which})`,
  );
}
