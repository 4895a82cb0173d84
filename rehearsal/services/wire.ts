import type { HttpRequest } from '@smithy/core/protocols';
import { header, parseJsonObject, readBody } from '#routers/sim/http.ts';
import { type Call, type Json, ServiceError, type WireResponse } from '#routers/sim/service.ts';

/**
 * How the calls of the services other than the routers look on the wire: the AWS JSON protocols
 * (an X-Amz-Target naming the operation, a JSON body), and Lambda's Invoke (REST, the payload as the
 * body). Each router's service brings its own wire (routers/<name>/sim/).
 */

export type JsonServiceName =
  | 'cloudwatch'
  | 'events'
  | 'dynamodb'
  | 'states'
  | 'ecs'
  | 'lambda'
  | 'codedeploy'
  | 'secretsmanager';

export const SERVICE_TITLES: Record<JsonServiceName, string> = {
  cloudwatch: 'CloudWatch',
  events: 'EventBridge',
  dynamodb: 'DynamoDB',
  states: 'Step Functions',
  ecs: 'ECS',
  lambda: 'Lambda',
  codedeploy: 'CodeDeploy',
  secretsmanager: 'Secrets Manager',
};

export const TARGET_PREFIXES = {
  events: 'AWSEvents.',
  dynamodb: 'DynamoDB_20120810.',
  states: 'AWSStepFunctions.',
  ecs: 'AmazonEC2ContainerServiceV20141113.',
  codedeploy: 'CodeDeploy_20141006.',
  secretsmanager: 'secretsmanager.',
  cloudwatch: 'GraniteServiceVersion20100801.',
} as const;

const CONTENT_TYPES: Record<JsonServiceName, string> = {
  cloudwatch: 'application/x-amz-json-1.0',
  events: 'application/x-amz-json-1.1',
  dynamodb: 'application/x-amz-json-1.0',
  states: 'application/x-amz-json-1.0',
  ecs: 'application/x-amz-json-1.1',
  lambda: 'application/json',
  codedeploy: 'application/x-amz-json-1.1',
  secretsmanager: 'application/x-amz-json-1.1',
};

/** Whether a request is one of these services' (an X-Amz-Target, or Lambda's host). */
export function isJsonServiceRequest(request: HttpRequest): boolean {
  return header(request, 'x-amz-target') !== undefined || (request.hostname ?? '').startsWith('lambda.');
}

/** The service, operation and input of a request these services serve. */
export function readJsonCall(request: HttpRequest, region: string): Call & { service: JsonServiceName } {
  const target = header(request, 'x-amz-target');
  const body = readBody(request.body);
  if (target === undefined) {
    // GetFunction: GET /2015-03-31/functions/{FunctionName}.
    const got = /^\/2015-03-31\/functions\/([^/]+)$/.exec(request.path ?? '')?.[1];
    if (got !== undefined && (request.method ?? 'GET').toUpperCase() === 'GET') {
      return {
        service: 'lambda',
        operation: 'GetFunction',
        input: { FunctionName: decodeURIComponent(got) },
        region,
      };
    }
    // Invoke: POST /2015-03-31/functions/{FunctionName}/invocations, the payload as the body.
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.path ?? '')?.[1];
    return {
      service: 'lambda',
      operation: name === undefined ? 'Unknown' : 'Invoke',
      input: { FunctionName: decodeURIComponent(name ?? ''), Payload: body },
      region,
    };
  }
  const [service, prefix] = (Object.entries(TARGET_PREFIXES) as [JsonServiceName, string][]).find(([, p]) =>
    target.startsWith(p),
  ) ?? ['cloudwatch', ''];
  const parsed = parseJsonObject(body);
  return {
    service,
    operation: target.slice(prefix.length),
    input: parsed.value,
    region,
    ...(parsed.error === undefined ? {} : { unreadable: parsed.error }),
  };
}

/** A body that is not JSON: a SerializationException, as the JSON protocols answer. */
export function unreadableJson(message: string): ServiceError {
  return new ServiceError('SerializationException', 400, message);
}

export function jsonSuccess(service: JsonServiceName, requestId: string, body: Json): WireResponse {
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPES[service], 'x-amzn-requestid': requestId },
    body: JSON.stringify(body),
  };
}

/**
 * Errors in each protocol's own format, which is what decides the name the SDK gives the error:
 * - CloudWatch (awsJson1_0, awsQueryCompatible): {"__type": "<namespace>#<Shape>", "message"} and the
 *   x-amzn-query-error header "<Code>;<Sender|Receiver>". The SDK takes the Code as the error's name
 *   ("Throttling") or, when a modelled error carries that query code, the model's name for it.
 * - EventBridge (awsJson1_1): {"__type": "<Shape>", "message"}.
 * - DynamoDB (awsJson1_0): {"__type": "com.amazonaws.dynamodb.v20120810#<Shape>", "message"}.
 * - Step Functions (awsJson1_0), CodeDeploy and Secrets Manager (awsJson1_1): {"__type": "<Shape>", "message"}.
 * Retries follow from the status: the SDK treats 429 and throttling names as throttling, 5xx as
 * transient.
 */
export function jsonFailure(service: JsonServiceName, requestId: string, error: ServiceError): WireResponse {
  if (['events', 'dynamodb', 'states', 'codedeploy', 'secretsmanager'].includes(service)) {
    const type = service === 'dynamodb' ? `com.amazonaws.dynamodb.v20120810#${error.name}` : error.name;
    return {
      status: error.status,
      headers: { 'content-type': CONTENT_TYPES[service], 'x-amzn-requestid': requestId },
      body: JSON.stringify({ __type: type, message: error.message }),
    };
  }
  const namespace =
    error.name === 'Throttling' ? 'com.amazon.coral.availability' : 'com.amazonaws.cloudwatch';
  const shape = error.name === 'Throttling' ? 'ThrottlingException' : error.name;
  return {
    status: error.status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: `${namespace}#${shape}`, message: error.message }),
  };
}
