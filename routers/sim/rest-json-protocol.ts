import type { HttpRequest } from '@smithy/core/protocols';
import { jsonResponse, parseJsonObject, queryOf, readBody } from './http.ts';
import { type Json, ServiceError, type Wire } from './service.ts';

/** One REST route of a service: the method, the path with its labels, the operation and its labels' members. */
export type RestRoute = readonly [method: string, path: RegExp, operation: string, labels: readonly string[]];

/**
 * The REST-JSON protocol (restJson1) of a service reached at its own host ("appmesh.<region>..."):
 * the operation is the route its method and path match, its input the query, the JSON body and the
 * path's labels together (labels last); an unmatched request is named "METHOD /path". Errors carry
 * their name in x-amzn-errortype and {"message"} in the body.
 */
export interface RestJsonProtocol {
  /** The start of the service's host name ("appmesh."). */
  readonly host: string;
  readonly routes: readonly RestRoute[];
  /** The coral namespace errors are typed in ("appmesh"). */
  readonly namespace: string;
  /** What the service calls a body it cannot read. */
  readonly unreadableError: string;
  /** A member that takes the body as it came, not as JSON (Lambda's Invoke payload). */
  readonly rawBody?: string;
}

export function restJsonWire(protocol: RestJsonProtocol): Wire {
  return {
    claims: (request) => (request.hostname ?? '').startsWith(protocol.host),
    read: (request, region) => read(protocol, request, region),
    answer: (_call, body, requestId) => jsonResponse(200, 'application/json', requestId, body),
    refuse: (error, requestId) =>
      jsonResponse(
        error.status,
        'application/json',
        requestId,
        { message: error.message },
        {
          'x-amzn-errortype': `${error.name}:http://internal.amazon.com/coral/com.amazonaws.${protocol.namespace}/`,
        },
      ),
    unreadable: (message) => new ServiceError(protocol.unreadableError, 400, message),
  };
}

function read(protocol: RestJsonProtocol, request: HttpRequest, region: string) {
  const path = request.path ?? '/';
  const method = (request.method ?? 'GET').toUpperCase();
  const body = readBody(request.body);
  const parsed = protocol.rawBody ? { value: { [protocol.rawBody]: body } } : parseJsonObject(body);
  const input: Json = { ...queryOf(request), ...parsed.value };
  const unreadable = 'error' in parsed && parsed.error !== undefined ? { unreadable: parsed.error } : {};
  for (const [m, pattern, operation, labels] of protocol.routes) {
    const match = m === method ? pattern.exec(path) : null;
    if (!match) continue;
    labels.forEach((label, i) => {
      input[label] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { operation, input, region, ...unreadable };
  }
  return { operation: `${method} ${path}`, input, region, ...unreadable };
}
