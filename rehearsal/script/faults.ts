import { ServiceError } from '#routers/sim/service.ts';
import {
  type ApiFault,
  CLOUDWATCH_OPERATIONS,
  FAULT_ERRORS,
  type FaultErrorName,
  type World,
} from '../sim/world.ts';

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
