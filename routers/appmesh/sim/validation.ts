/**
 * App Mesh's server-side checks of an UpdateRoute input, so the simulated App Mesh refuses what the real
 * one would (with BadRequestException) instead of storing it.
 *
 * Sources, cited per rule below as [model: Shape]: the App Mesh Smithy model (the AWS SDK's
 * aws-models/app-mesh.json), whose @required, @length, @range and enum traits and documentation are
 * what App Mesh enforces. The SDK does not check any of these on the client side, so without this the
 * rehearsal would accept writes AWS refuses. Rules the model does not state are left out.
 */

type Problems = string[];
type Json = Record<string, unknown>;

const ROUTE_KINDS = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'] as const;
// [model: HttpMethod, HttpScheme, DurationUnit, TcpRetryPolicyEvent, GrpcRetryPolicyEvent]
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
const HTTP_SCHEMES = ['http', 'https'];
const DURATION_UNITS = ['s', 'ms'];
const TCP_RETRY_EVENTS = ['connection-error'];
const GRPC_RETRY_EVENTS = ['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'];
const MATCH_METHODS = ['exact', 'regex', 'range', 'prefix', 'suffix'] as const;

/**
 * Every way this UpdateRoute input breaks App Mesh's rules, one readable line each
 * ("spec.httpRoute.action.weightedTargets[0].weight: 150 is above 100; ..."); empty when App Mesh
 * would accept it.
 */
export function validateUpdateRouteInput(input: unknown): string[] {
  const problems: Problems = [];
  if (!isObject(input)) {
    problems.push(
      `the input is ${describe(input)}; UpdateRoute takes an object with meshName, virtualRouterName, routeName and spec`,
    );
    return problems;
  }
  // [model: UpdateRouteInput, ResourceName] names are required, 1..255 characters.
  for (const name of ['meshName', 'virtualRouterName', 'routeName'] as const) {
    text(problems, name, input[name], { required: true, min: 1, max: 255 });
  }
  // [model: AccountId] exactly 12 characters.
  text(problems, 'meshOwner', input.meshOwner, { min: 12, max: 12, allowed: 'a 12-digit AWS account id' });
  // [model: UpdateRouteInput.clientToken] "Up to 36 letters, numbers, hyphens, and underscores are allowed."
  if (input.clientToken !== undefined) {
    if (typeof input.clientToken !== 'string' || !/^[A-Za-z0-9_-]{0,36}$/.test(input.clientToken)) {
      problems.push(
        `clientToken: ${describe(input.clientToken)} is not a client token; use up to 36 letters, digits, "-" and "_"`,
      );
    }
  }
  routeSpec(problems, 'spec', input.spec);
  return problems;
}

function routeSpec(problems: Problems, path: string, spec: unknown): void {
  if (!object(problems, path, spec, { required: true, what: 'a RouteSpec such as {"httpRoute": {...}}' }))
    return;
  // [model: RoutePriority] 0..1000.
  integer(problems, `${path}.priority`, spec.priority, { min: 0, max: 1000 });
  // [model: RouteSpec] "Specify one route type."
  const kinds = ROUTE_KINDS.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (kinds.length !== 1) {
    problems.push(
      `${path}: has ${kinds.length === 0 ? 'no route type' : kinds.join(' and ')}; give exactly one of ${ROUTE_KINDS.join(', ')}`,
    );
  }
  if (spec.httpRoute !== undefined) httpRoute(problems, `${path}.httpRoute`, spec.httpRoute);
  if (spec.http2Route !== undefined) httpRoute(problems, `${path}.http2Route`, spec.http2Route);
  if (spec.grpcRoute !== undefined) grpcRoute(problems, `${path}.grpcRoute`, spec.grpcRoute);
  if (spec.tcpRoute !== undefined) tcpRoute(problems, `${path}.tcpRoute`, spec.tcpRoute);
}

/** [model: HttpRoute] match and action are required; retryPolicy and timeout optional. */
function httpRoute(problems: Problems, path: string, route: unknown): void {
  if (!object(problems, path, route, { required: true, what: 'an HttpRoute with match and action' })) return;
  httpMatch(problems, `${path}.match`, route.match);
  action(problems, `${path}.action`, route.action);
  retryPolicy(problems, `${path}.retryPolicy`, route.retryPolicy, false);
  timeouts(problems, `${path}.timeout`, route.timeout, ['perRequest', 'idle']);
}

/** [model: GrpcRoute] action and match are required. */
function grpcRoute(problems: Problems, path: string, route: unknown): void {
  if (!object(problems, path, route, { required: true, what: 'a GrpcRoute with match and action' })) return;
  grpcMatch(problems, `${path}.match`, route.match);
  action(problems, `${path}.action`, route.action);
  retryPolicy(problems, `${path}.retryPolicy`, route.retryPolicy, true);
  timeouts(problems, `${path}.timeout`, route.timeout, ['perRequest', 'idle']);
}

/** [model: TcpRoute] only action is required; match holds just a port. */
function tcpRoute(problems: Problems, path: string, route: unknown): void {
  if (!object(problems, path, route, { required: true, what: 'a TcpRoute with an action' })) return;
  action(problems, `${path}.action`, route.action);
  if (object(problems, `${path}.match`, route.match, { what: 'a TcpRouteMatch such as {"port": 8080}' })) {
    port(problems, `${path}.match.port`, route.match.port);
  }
  timeouts(problems, `${path}.timeout`, route.timeout, ['idle']);
}

/** [model: HttpRouteMatch] every member is optional, each with its own constraints. */
function httpMatch(problems: Problems, path: string, match: unknown): void {
  if (!object(problems, path, match, { required: true, what: 'an HttpRouteMatch such as {"prefix": "/"}' }))
    return;
  // [model: HttpRouteMatch.prefix] "must always start with /".
  if (match.prefix !== undefined && (typeof match.prefix !== 'string' || !match.prefix.startsWith('/'))) {
    problems.push(
      `${path}.prefix: ${describe(match.prefix)} does not start with "/"; a prefix is a path such as "/" or "/orders"`,
    );
  }
  // [model: HttpPathMatch, HttpPathExact, HttpPathRegex] exact and regex are 1..255 characters.
  if (
    object(problems, `${path}.path`, match.path, { what: 'an HttpPathMatch such as {"exact": "/orders"}' })
  ) {
    text(problems, `${path}.path.exact`, match.path.exact, { min: 1, max: 255 });
    text(problems, `${path}.path.regex`, match.path.regex, { min: 1, max: 255 });
  }
  // [model: HttpQueryParameters] 1..10 entries, each with a required name.
  list(problems, `${path}.queryParameters`, match.queryParameters, 1, 10, (p, q) => {
    if (!object(problems, p, q, { required: true, what: 'a query parameter match such as {"name": "v"}' }))
      return;
    text(problems, `${p}.name`, q.name, { required: true, min: 0, max: Number.POSITIVE_INFINITY });
    if (object(problems, `${p}.match`, q.match, { what: 'a QueryParameterMatch such as {"exact": "2"}' })) {
      text(problems, `${p}.match.exact`, q.match.exact, { min: 0, max: Number.POSITIVE_INFINITY });
    }
  });
  oneOf(problems, `${path}.method`, match.method, HTTP_METHODS);
  oneOf(problems, `${path}.scheme`, match.scheme, HTTP_SCHEMES);
  // [model: HttpRouteHeaders] 1..10 headers.
  list(problems, `${path}.headers`, match.headers, 1, 10, (p, h) => headerMatch(problems, p, h));
  port(problems, `${path}.port`, match.port);
}

/** [model: GrpcRouteMatch] methodName is 1..50 characters and "you must also specify a serviceName". */
function grpcMatch(problems: Problems, path: string, match: unknown): void {
  if (
    !object(problems, path, match, {
      required: true,
      what: 'a GrpcRouteMatch such as {"serviceName": "orders"}',
    })
  ) {
    return;
  }
  text(problems, `${path}.serviceName`, match.serviceName, { min: 0, max: Number.POSITIVE_INFINITY });
  text(problems, `${path}.methodName`, match.methodName, { min: 1, max: 50 });
  if (match.methodName !== undefined && match.serviceName === undefined) {
    problems.push(
      `${path}.methodName: is given without serviceName; a gRPC method match also needs the serviceName`,
    );
  }
  // [model: GrpcRouteMetadataList] 1..10 entries.
  list(problems, `${path}.metadata`, match.metadata, 1, 10, (p, m) => headerMatch(problems, p, m));
  port(problems, `${path}.port`, match.port);
}

/**
 * [model: HttpRouteHeader, GrpcRouteMetadata, HeaderName, HeaderMatchMethod, HeaderMatch, MatchRange]
 * name is required, 1..50 characters; match is a union (exactly one method), strings 1..255, range
 * with a required start and end.
 */
function headerMatch(problems: Problems, path: string, header: unknown): void {
  if (
    !object(problems, path, header, { required: true, what: 'a header match such as {"name": "x-tenant"}' })
  )
    return;
  text(problems, `${path}.name`, header.name, { required: true, min: 1, max: 50 });
  if (header.invert !== undefined && typeof header.invert !== 'boolean') {
    problems.push(`${path}.invert: ${describe(header.invert)} is not true or false`);
  }
  const m = header.match;
  if (!object(problems, `${path}.match`, m, { what: `one match method: ${MATCH_METHODS.join(', ')}` }))
    return;
  const methods = MATCH_METHODS.filter((k) => m[k] !== undefined && m[k] !== null);
  if (methods.length !== 1) {
    problems.push(
      `${path}.match: has ${methods.length === 0 ? 'no match method' : methods.join(' and ')}; give exactly one of ${MATCH_METHODS.join(', ')}`,
    );
  }
  for (const k of ['exact', 'regex', 'prefix', 'suffix'] as const) {
    text(problems, `${path}.match.${k}`, m[k], { min: 1, max: 255 });
  }
  if (
    object(problems, `${path}.match.range`, m.range, { what: 'a range such as {"start": 1, "end": 100}' })
  ) {
    integer(problems, `${path}.match.range.start`, m.range.start, { required: true });
    integer(problems, `${path}.match.range.end`, m.range.end, { required: true });
  }
}

/**
 * [model: HttpRouteAction, WeightedTargets, WeightedTarget, PercentInt, ListenerPort] weightedTargets
 * is required with 1..10 entries; virtualNode (1..255 characters) and weight (0..100) are required,
 * port is 1..65535.
 */
function action(problems: Problems, path: string, value: unknown): void {
  if (!object(problems, path, value, { required: true, what: 'an action with weightedTargets' })) return;
  const targets = value.weightedTargets;
  if (targets === undefined || targets === null) {
    problems.push(`${path}.weightedTargets: is missing; give 1..10 weighted targets`);
  }
  list(problems, `${path}.weightedTargets`, targets, 1, 10, (p, t) => {
    if (
      !object(problems, p, t, {
        required: true,
        what: 'a weighted target such as {"virtualNode": "orders-v1", "weight": 100}',
      })
    ) {
      return;
    }
    text(problems, `${p}.virtualNode`, t.virtualNode, { required: true, min: 1, max: 255 });
    integer(problems, `${p}.weight`, t.weight, { required: true, min: 0, max: 100 });
    port(problems, `${p}.port`, t.port);
  });
  // [model: WeightedTarget] "The total weight for all targets combined must be less than or equal to
  // 100." stepshift's own rule too: a weight is the share of traffic in percent, so its router refuses
  // to write more than 100 in all before AWS is asked.
  if (Array.isArray(targets)) {
    const weights = targets.map((t) => (isObject(t) ? t.weight : undefined));
    if (weights.every((w) => typeof w === 'number')) {
      const sum = (weights as number[]).reduce((a, b) => a + b, 0);
      if (sum > 100) {
        problems.push(
          `${path}.weightedTargets: the weights add up to ${sum}; together they may be at most 100`,
        );
      }
    }
  }
}

/**
 * [model: HttpRetryPolicy, GrpcRetryPolicy, MaxRetries, HttpRetryPolicyEvents, TcpRetryPolicyEvents,
 * GrpcRetryPolicyEvents] perRetryTimeout and maxRetries (0 or more) are required; the model's
 * documentation asks for "at least one value for at least one of the types of RetryEvents".
 */
function retryPolicy(problems: Problems, path: string, value: unknown, grpc: boolean): void {
  if (
    !object(problems, path, value, {
      what: 'a retry policy with maxRetries, perRetryTimeout and retry events',
    })
  )
    return;
  integer(problems, `${path}.maxRetries`, value.maxRetries, { required: true, min: 0 });
  duration(problems, `${path}.perRetryTimeout`, value.perRetryTimeout, true);
  list(problems, `${path}.httpRetryEvents`, value.httpRetryEvents, 1, 25, (p, e) =>
    text(problems, p, e, { required: true, min: 1, max: 25 }),
  );
  list(problems, `${path}.tcpRetryEvents`, value.tcpRetryEvents, 1, 1, (p, e) =>
    oneOf(problems, p, e, TCP_RETRY_EVENTS, true),
  );
  if (grpc) {
    list(problems, `${path}.grpcRetryEvents`, value.grpcRetryEvents, 1, 5, (p, e) =>
      oneOf(problems, p, e, GRPC_RETRY_EVENTS, true),
    );
  } else if (value.grpcRetryEvents !== undefined) {
    problems.push(
      `${path}.grpcRetryEvents: is only for gRPC routes; use httpRetryEvents or tcpRetryEvents here`,
    );
  }
  const eventKinds = grpc
    ? ['httpRetryEvents', 'tcpRetryEvents', 'grpcRetryEvents']
    : ['httpRetryEvents', 'tcpRetryEvents'];
  if (!eventKinds.some((k) => Array.isArray(value[k]) && (value[k] as unknown[]).length > 0)) {
    problems.push(`${path}: names no retry events; give at least one in ${eventKinds.join(' or ')}`);
  }
}

/** [model: HttpTimeout, GrpcTimeout, TcpTimeout] each member is a Duration. */
function timeouts(problems: Problems, path: string, value: unknown, members: readonly string[]): void {
  if (!object(problems, path, value, { what: `timeouts (${members.join(', ')})` })) return;
  for (const m of members) duration(problems, `${path}.${m}`, value[m], false);
}

/** [model: Duration, DurationValue, DurationUnit] value is 0 or more, unit is "s" or "ms"; both optional. */
function duration(problems: Problems, path: string, value: unknown, required: boolean): void {
  if (!object(problems, path, value, { required, what: 'a duration such as {"unit": "ms", "value": 500}' }))
    return;
  integer(problems, `${path}.value`, value.value, { min: 0 });
  oneOf(problems, `${path}.unit`, value.unit, DURATION_UNITS);
}

/** [model: ListenerPort] 1..65535. */
function port(problems: Problems, path: string, value: unknown): void {
  integer(problems, path, value, { min: 1, max: 65535 });
}

function object(
  problems: Problems,
  path: string,
  value: unknown,
  options: { required?: boolean; what: string },
): value is Json {
  if (value === undefined || value === null) {
    if (options.required) problems.push(`${path}: is missing; give ${options.what}`);
    return false;
  }
  if (!isObject(value)) {
    problems.push(`${path}: ${describe(value)} is not an object; give ${options.what}`);
    return false;
  }
  return true;
}

function text(
  problems: Problems,
  path: string,
  value: unknown,
  options: { required?: boolean; min: number; max: number; allowed?: string },
): void {
  const allowed =
    options.allowed ??
    (options.max === Number.POSITIVE_INFINITY ? 'text' : `text of ${options.min}..${options.max} characters`);
  if (value === undefined || value === null) {
    if (options.required) problems.push(`${path}: is missing; it is required (${allowed})`);
    return;
  }
  if (typeof value !== 'string') {
    problems.push(`${path}: ${describe(value)} is not text; give ${allowed}`);
  } else if (value.length < options.min || value.length > options.max) {
    problems.push(`${path}: is ${value.length} characters long; give ${allowed}`);
  }
}

function integer(
  problems: Problems,
  path: string,
  value: unknown,
  options: { required?: boolean; min?: number; max?: number },
): void {
  const { min, max } = options;
  const allowed =
    min !== undefined && max !== undefined
      ? `a whole number ${min}..${max}`
      : min !== undefined
        ? `a whole number, ${min} or more`
        : 'a whole number';
  if (value === undefined || value === null) {
    if (options.required) problems.push(`${path}: is missing; it is required (${allowed})`);
    return;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push(`${path}: ${describe(value)} is not a whole number; give ${allowed}`);
  } else if (min !== undefined && value < min) {
    problems.push(`${path}: ${value} is below ${min}; give ${allowed}`);
  } else if (max !== undefined && value > max) {
    problems.push(`${path}: ${value} is above ${max}; give ${allowed}`);
  }
}

function oneOf(
  problems: Problems,
  path: string,
  value: unknown,
  allowed: readonly string[],
  required = false,
): void {
  if (value === undefined || value === null) {
    if (required) problems.push(`${path}: is missing; give one of ${allowed.join(', ')}`);
    return;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problems.push(`${path}: ${describe(value)} is not allowed; give one of ${allowed.join(', ')}`);
  }
}

function list(
  problems: Problems,
  path: string,
  value: unknown,
  min: number,
  max: number,
  each: (path: string, item: unknown) => void,
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    problems.push(`${path}: ${describe(value)} is not a list; give a list of ${min}..${max} entries`);
    return;
  }
  if (value.length < min || value.length > max) {
    problems.push(`${path}: has ${value.length} entries; give ${min}..${max}`);
  }
  value.forEach((item, i) => {
    each(`${path}[${i}]`, item);
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'an object';
}
