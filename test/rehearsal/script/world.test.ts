import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '#core/duration.ts';
import { describeIssues } from '#core/validation.ts';
import { parseMilliseconds } from '#rehearsal/script/operator-actions.ts';
import { parseWorld, worldSchema } from '#rehearsal/script/world.ts';

const ROUTE = {
  meshName: 'shop',
  virtualRouterName: 'orders',
  routeName: 'orders',
  spec: {
    httpRoute: {
      match: { prefix: '/' },
      action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 100 }] },
    },
  },
};

/** The readable problems for a world, as a scenario author would see them. */
function problems(world: unknown): string[] {
  const result = worldSchema.safeParse(world);
  return result.success ? [] : describeIssues(result.error, 'world');
}

describe('durations', () => {
  it.each([
    ['0s', 0],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['0m', 0],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '5', '1.5m', '05s', '-1s', '10 s', '1d', '50ms'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    ['0ms', 0],
    ['50ms', 0.05],
    ['1500ms', 1.5],
  ])('reads latency %s as %f seconds', (text, seconds) => {
    expect(parseMilliseconds(text)).toBe(seconds);
  });
});

describe('parseWorld', () => {
  it('parses the README example world, turning durations into seconds', () => {
    // Act
    const world = parseWorld({
      appmesh: {
        routes: [{ ...ROUTE, meshOwner: '111122223333' }],
        virtualNodes: [{ meshName: 'shop', virtualNodeName: 'orders-v1' }],
      },
      alarms: [
        {
          name: 'orders-5xx',
          type: 'metric',
          states: [
            { at: '0s', state: 'OK', reason: 'fine' },
            { at: '12m', state: 'ALARM' },
          ],
        },
      ],
      metrics: {
        'error-rate': {
          canary: [
            { at: '0s', value: 0.001 },
            { at: '12m', value: 0.05 },
          ],
        },
      },
      faults: [
        { operation: 'UpdateRoute', call: 2, error: 'TooManyRequestsException' },
        { operation: 'DescribeAlarms', from: '6m', until: '7m', error: 'ServiceUnavailable' },
        { operation: 'UpdateRoute', call: 1, count: 2, error: 'TooManyRequestsException' },
      ],
      callLatency: '50ms',
    });

    // Assess
    expect(world).toEqual({
      appmesh: {
        routes: [{ ...ROUTE, meshOwner: '111122223333' }],
        virtualNodes: [{ meshName: 'shop', virtualNodeName: 'orders-v1' }],
      },
      lattice: { routes: [], targetGroups: [] },
      alb: { routes: [], targetGroups: [] },
      lambda: { functions: [] },
      codedeploy: { configs: [], deployments: [] },
      alarms: [
        {
          name: 'orders-5xx',
          type: 'metric',
          states: [
            { at: 0, state: 'OK', reason: 'fine' },
            { at: 720, state: 'ALARM' },
          ],
        },
      ],
      metrics: {
        'error-rate': {
          canary: [
            { at: 0, value: 0.001 },
            { at: 720, value: 0.05 },
          ],
          stable: [],
        },
      },
      faults: [
        { operation: 'UpdateRoute', call: 2, error: 'TooManyRequestsException' },
        { operation: 'DescribeAlarms', from: 360, until: 420, error: 'ServiceUnavailable' },
        { operation: 'UpdateRoute', call: 1, count: 2, error: 'TooManyRequestsException' },
      ],
      callLatency: 0.05,
      functionTimeouts: {},
      operator: [],
      alarmEventDelay: 0,
      alarmEvents: 'delivered',
      ecs: { services: [] },
      hooks: {},
      secrets: [],
    });
  });

  it('fills in an empty world: no routes, alarms or faults, 50 ms per call', () => {
    expect(parseWorld({})).toEqual({
      appmesh: { routes: [], virtualNodes: [] },
      lattice: { routes: [], targetGroups: [] },
      alb: { routes: [], targetGroups: [] },
      lambda: { functions: [] },
      codedeploy: { configs: [], deployments: [] },
      alarms: [],
      metrics: {},
      faults: [],
      callLatency: 0.05,
      functionTimeouts: {},
      operator: [],
      alarmEventDelay: 0,
      alarmEvents: 'delivered',
      ecs: { services: [] },
      hooks: {},
      secrets: [],
    });
  });

  it.each([
    'canary-healthy.json',
    'canary-alarm-rollback.json',
    'canary-throttled.json',
    'operator-stop.json',
    'operator-edit-route.json',
    'concurrent-release.json',
  ])('accepts the world of examples/%s', (file) => {
    const scenario = JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8'));
    expect(problems(scenario.world)).toEqual([]);
  });
});

describe('world errors name what is wrong and what is allowed', () => {
  it.each<[string, unknown, string[]]>([
    [
      'a world that is not an object',
      'x',
      [
        'world: is "x"; the world is a JSON object with appmesh, lattice, alb, lambda, codedeploy, alarms, metrics, faults, callLatency, functionTimeouts, operator, alarmEventDelay, alarmEvents, ecs, hooks, secrets',
      ],
    ],
    [
      'a misspelt field',
      { alarm: [] },
      [
        'world: has unknown field "alarm"; the world takes only appmesh, lattice, alb, lambda, codedeploy, alarms, metrics, faults, callLatency, functionTimeouts, operator, alarmEventDelay, alarmEvents, ecs, hooks, secrets',
      ],
    ],
    [
      'a route missing names',
      { appmesh: { routes: [{ spec: {} }] } },
      [
        'world.appmesh.routes[0].meshName: is missing; give the mesh the route lives in',
        'world.appmesh.routes[0].virtualRouterName: is missing; give the virtual router that owns the route',
        'world.appmesh.routes[0].routeName: is missing; give the route name',
      ],
    ],
    [
      'a route whose spec is not an object',
      { appmesh: { routes: [{ ...ROUTE, spec: [] }] } },
      [
        'world.appmesh.routes[0].spec: is a list; give the route\'s RouteSpec as DescribeRoute returns it, e.g. {"httpRoute": {...}}',
      ],
    ],
    [
      'a mesh owner that is not an account id',
      { appmesh: { routes: [{ ...ROUTE, meshOwner: 'me' }] } },
      [
        'world.appmesh.routes[0].meshOwner: "me" is not a 12-digit AWS account id (the owner of a shared mesh)',
      ],
    ],
    [
      'the same route twice',
      { appmesh: { routes: [ROUTE, ROUTE] } },
      [
        'world.appmesh.routes[1]: repeats a route (same mesh, virtual router, route name and mesh owner); declare each route once',
      ],
    ],
    [
      'the same virtual node twice',
      {
        appmesh: {
          virtualNodes: [
            { meshName: 'm', virtualNodeName: 'n' },
            { meshName: 'm', virtualNodeName: 'n' },
          ],
        },
      },
      [
        'world.appmesh.virtualNodes[1]: repeats a virtual node (same mesh, name and mesh owner); declare each virtual node once',
      ],
    ],
    [
      'an unknown alarm type and state',
      { alarms: [{ name: 'a', type: 'log', states: [{ at: '0s', state: 'FIRING' }] }] },
      [
        'world.alarms[0].type: "log" is not an alarm type; use one of: metric, composite',
        'world.alarms[0].states[0].state: "FIRING" is not an alarm state; use one of: OK, ALARM, INSUFFICIENT_DATA',
      ],
    ],
    [
      'a bad duration',
      { alarms: [{ name: 'a', type: 'metric', states: [{ at: '5 minutes', state: 'OK' }] }] },
      [
        'world.alarms[0].states[0].at: "5 minutes" is not a duration; write when the alarm enters this state as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"',
      ],
    ],
    [
      'states out of time order',
      {
        alarms: [
          {
            name: 'a',
            type: 'metric',
            states: [
              { at: '5m', state: 'OK' },
              { at: '5m', state: 'ALARM' },
            ],
          },
        ],
      },
      [
        'world.alarms[0].states[1].at: comes at 300s, not after the previous state (300s); list states in time order, each later than the one before',
      ],
    ],
    [
      'two alarms with one name',
      {
        alarms: [
          { name: 'a', type: 'metric', states: [] },
          { name: 'a', type: 'composite', states: [] },
        ],
      },
      [
        'world.alarms[1].name: repeats an alarm name; CloudWatch alarm names are unique in an account and region',
      ],
    ],
    [
      'an unknown operation and error',
      { faults: [{ operation: 'DeleteMesh', call: 1, error: 'Boom' }] },
      [
        'world.faults[0].operation: "DeleteMesh" is not an operation the simulated AWS serves; use one of: DescribeRoute, UpdateRoute, CreateRoute, DeleteRoute, DescribeVirtualNode, ListVirtualNodes, DescribeAlarms, DescribeAlarmHistory, GetMetricData, PutEvents, PutItem, GetItem, UpdateItem, DeleteItem, TransactWriteItems, DescribeExecution, SendTaskSuccess, SendTaskFailure, ListExecutions, GetExecutionHistory, GetRule, UpdateRule, GetListener, UpdateListener, ListTargetGroups, ListTargets, CreateRule, DeleteRule, ListRules, DescribeRules, ModifyRule, DescribeListeners, ModifyListener, DescribeTargetGroups, DescribeTargetHealth, DescribeTags, DescribeServices, Invoke, GetFunction, GetAlias, UpdateAlias, GetFunctionConfiguration, GetProvisionedConcurrencyConfig, ListVersionsByFunction, GetDeploymentConfig, ListDeployments, GetSecretValue',
        'world.faults[0].error: "Boom" is not an error the simulator can raise; use one of: TooManyRequestsException, InternalServerErrorException, ServiceUnavailableException, AccessDeniedException, ForbiddenException, BadRequestException, NotFoundException, ConflictException, LimitExceededException, Throttling, InternalServiceError, ServiceUnavailable, AccessDenied, InvalidNextToken, ThrottlingException, InternalException, ProvisionedThroughputExceededException, RequestLimitExceeded, InternalServerError, InternalServerException, ResourceNotFoundException, ValidationException, InternalFailure, RuleNotFound, ListenerNotFound, TargetGroupNotFound, PriorityInUse, ServerException, ServiceException, ResourceConflictException, PreconditionFailedException',
      ],
    ],
    [
      'a fault with neither call nor from',
      { faults: [{ operation: 'UpdateRoute', error: 'ConflictException' }] },
      [
        'world.faults[0]: says neither which calls fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")',
      ],
    ],
    [
      'a fault with both call and from',
      { faults: [{ operation: 'UpdateRoute', call: 1, from: '0s', error: 'ConflictException' }] },
      [
        'world.faults[0]: has both "call" and "from"; a fault fails calls by number ("call", "count") or by time ("from", "until"), not both',
      ],
    ],
    [
      'call 0 and a fractional count',
      { faults: [{ operation: 'UpdateRoute', call: 0, count: 1.5, error: 'ConflictException' }] },
      [
        'world.faults[0].call: 0 is below 1; give the first failing call of the operation (1 is its first call) as a whole number, 1 or more',
        'world.faults[0].count: 1.5 is not a whole number; give how many calls in a row fail as a whole number, 1 or more',
      ],
    ],
    [
      'count without call and until without from',
      { faults: [{ operation: 'UpdateRoute', count: 2, until: '1m', error: 'ConflictException' }] },
      [
        'world.faults[0]: says neither which calls fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")',
        'world.faults[0].count: goes with "call"; "count" says how many calls from "call" on fail',
        'world.faults[0].until: goes with "from"; a time window starts at "from" and ends at "until"',
      ],
    ],
    [
      'a window that ends before it starts',
      { faults: [{ operation: 'DescribeAlarms', from: '7m', until: '6m', error: 'Throttling' }] },
      ['world.faults[0].until: (360s) is not after "from" (420s); the window must end after it starts'],
    ],
    [
      'Throttling on App Mesh',
      { faults: [{ operation: 'UpdateRoute', call: 1, error: 'Throttling' }] },
      [
        'world.faults[0].error: "Throttling" is not an error UpdateRoute answers with; use one of: TooManyRequestsException, InternalServerErrorException, ServiceUnavailableException, AccessDeniedException, ForbiddenException, BadRequestException, NotFoundException, ConflictException, LimitExceededException',
      ],
    ],
    [
      'an App Mesh error on CloudWatch, and a write error on a read',
      {
        faults: [
          { operation: 'DescribeAlarms', call: 1, error: 'TooManyRequestsException' },
          { operation: 'DescribeRoute', call: 1, error: 'ConflictException' },
        ],
      },
      [
        'world.faults[0].error: "TooManyRequestsException" is not an error DescribeAlarms answers with; use one of: Throttling, InternalServiceError, ServiceUnavailable, AccessDenied, InvalidNextToken',
        'world.faults[1].error: "ConflictException" is not an error DescribeRoute answers with; use one of: TooManyRequestsException, InternalServerErrorException, ServiceUnavailableException, AccessDeniedException, ForbiddenException, BadRequestException, NotFoundException',
      ],
    ],
    [
      'a latency in seconds',
      { callLatency: '1s' },
      ['world.callLatency: "1s" is not a latency; write whole milliseconds such as "50ms" or "0ms"'],
    ],
    [
      'a numeric latency',
      { callLatency: 50 },
      ['world.callLatency: 50 is not a latency; write whole milliseconds such as "50ms" or "0ms"'],
    ],
  ])('%s', (_label, world, expected) => {
    expect(problems(world)).toEqual(expected);
  });

  it('gives every issue its own message rather than zod defaults', () => {
    // Prepare: wrong types everywhere.
    const world = {
      appmesh: {
        routes: [{ meshName: 1, virtualRouterName: null, routeName: [], spec: 'x', meshOwner: 7 }],
        virtualNodes: 'n',
      },
      alarms: [{ name: '', type: 1, states: [{ at: 5, state: null, reason: 3 }] }],
      faults: [{ operation: 1, error: 2, call: '1', from: 3 }],
    };

    // Act
    const issues = worldSchema.safeParse(world).error?.issues ?? [];

    // Assess
    expect(issues.length).toBeGreaterThan(10);
    for (const issue of issues) {
      expect(issue.message).not.toMatch(/^(Invalid input|Invalid option|Expected|Too small)/);
      expect(issue.message).toMatch(/; /);
    }
  });
});

const TASK_STATES =
  '"Prepare the release", "Shift traffic", "Wait for the step to bake", "Analyze health", "Promote the new version", "Finish the release", "Roll back"';

describe('Lambda faults name a task state of the definition', () => {
  it('parses crashes and timeouts, by invocation number or by time', () => {
    // Act
    const world = parseWorld({
      faults: [
        { state: 'Shift traffic', call: 2, fault: 'crash', when: 'before' },
        { state: 'Analyze health', from: '6m', until: '7m', fault: 'timeout', when: 'after' },
        { operation: 'UpdateRoute', call: 1, error: 'TooManyRequestsException' },
      ],
      functionTimeouts: { Analyze: '30s', Shift: '15m' },
    });

    // Assess
    expect(world.faults).toEqual([
      { state: 'Shift traffic', call: 2, fault: 'crash', when: 'before' },
      { state: 'Analyze health', from: 360, until: 420, fault: 'timeout', when: 'after' },
      { operation: 'UpdateRoute', call: 1, error: 'TooManyRequestsException' },
    ]);
    expect(world.functionTimeouts).toEqual({ Analyze: 30, Shift: 900 });
  });

  it.each<[string, unknown, string[]]>([
    [
      'a state the definition does not have',
      { faults: [{ state: 'Shift', call: 1, fault: 'crash', when: 'before' }] },
      [
        `world.faults[0].state: "Shift" is not a task state of statemachines/release.asl.json; use one of: ${TASK_STATES}`,
      ],
    ],
    [
      'a Choice state, which invokes no function',
      { faults: [{ state: 'Decide what comes next', call: 1, fault: 'crash', when: 'before' }] },
      [
        `world.faults[0].state: "Decide what comes next" is not a task state of statemachines/release.asl.json; use one of: ${TASK_STATES}`,
      ],
    ],
    [
      'an unknown fault and moment',
      { faults: [{ state: 'Shift traffic', call: 1, fault: 'hang', when: 'during' }] },
      [
        'world.faults[0].fault: "hang" is not a Lambda fault; use "crash" (the function\'s runtime exits: Runtime.ExitError) or "timeout" (the function runs out of time: Sandbox.Timedout)',
        'world.faults[0].when: "during" is not a moment; use "before" (the invocation fails before the handler runs) or "after" (the handler runs and its AWS calls happen, then the invocation fails and its result is lost)',
      ],
    ],
    [
      'a Lambda fault without fault, moment or schedule',
      { faults: [{ state: 'Shift traffic' }] },
      [
        'world.faults[0].fault: is missing; use "crash" (the function\'s runtime exits: Runtime.ExitError) or "timeout" (the function runs out of time: Sandbox.Timedout)',
        'world.faults[0].when: is missing; use "before" (the invocation fails before the handler runs) or "after" (the handler runs and its AWS calls happen, then the invocation fails and its result is lost)',
      ],
    ],
    [
      'a Lambda fault that says neither which invocations nor when',
      { faults: [{ state: 'Shift traffic', fault: 'crash', when: 'after', count: 2 }] },
      [
        'world.faults[0]: says neither which invocations fail nor when; give "call" (and optionally "count") or "from" (and optionally "until")',
        'world.faults[0].count: goes with "call"; "count" says how many invocations from "call" on fail',
      ],
    ],
    [
      'a Lambda fault with both call and from, and invocation 0',
      { faults: [{ state: 'Roll back', call: 0, from: '1m', fault: 'timeout', when: 'before' }] },
      [
        "world.faults[0].call: 0 is below 1; give the first failing invocation of the state (1 is its first invocation; Step Functions' retries count) as a whole number, 1 or more",
        'world.faults[0]: has both "call" and "from"; a fault fails invocations by number ("call", "count") or by time ("from", "until"), not both',
      ],
    ],
    [
      'an AWS error given to a Lambda fault',
      { faults: [{ state: 'Shift traffic', call: 1, fault: 'crash', when: 'after', error: 'Throttling' }] },
      [
        'world.faults[0]: has unknown field "error"; a Lambda fault takes only state, fault, when, call, count, from, until',
      ],
    ],
    [
      'a fault naming both an operation and a state',
      { faults: [{ operation: 'UpdateRoute', state: 'Shift traffic', call: 1, error: 'ConflictException' }] },
      [
        'world.faults[0]: has both "operation" and "state"; a fault fails either an AWS call ("operation", "error") or a task\'s Lambda invocation ("state", "fault", "when"), not both',
      ],
    ],
    [
      'a fault that is not an object',
      { faults: ['UpdateRoute'] },
      [
        'world.faults[0]: is "UpdateRoute"; a fault is a JSON object: {"operation", "error", ...} fails an AWS call, {"state", "fault", "when", ...} fails a task\'s Lambda invocation',
      ],
    ],
    [
      'a timeout for a function the state machine does not have, and one too long for Lambda',
      { functionTimeouts: { Guard: '1m', Analyze: '20m', Shift: '0s' } },
      [
        'world.functionTimeouts.Analyze: 1200s is outside Lambda\'s function timeouts; give 1 second to 15 minutes ("1s" to "15m")',
        'world.functionTimeouts.Shift: 0s is outside Lambda\'s function timeouts; give 1 second to 15 minutes ("1s" to "15m")',
        'world.functionTimeouts.Guard: is not a function of the release state machine; use one of: Prepare, Shift, Bake, Analyze, Promote, Finish, Rollback',
      ],
    ],
    [
      'function timeouts that are not an object, and a timeout that is not a duration',
      { functionTimeouts: ['2m'] },
      [
        'world.functionTimeouts: is a list; give each function\'s timeout by its name, e.g. {"Analyze": "2m"}',
      ],
    ],
  ])('%s', (_label, world, expected) => {
    expect(problems(world)).toEqual(expected);
  });
});

describe('operator actions', () => {
  const SPEC = {
    httpRoute: {
      match: { prefix: '/' },
      action: {
        weightedTargets: [
          { virtualNode: 'orders-v1', weight: 60 },
          { virtualNode: 'orders-v2', weight: 40 },
        ],
      },
    },
  };

  it('parses each action, its time in seconds', () => {
    const world = parseWorld({
      appmesh: { routes: [ROUTE] },
      operator: [
        { at: '7m', action: 'stop-execution' },
        { at: '8m', action: 'edit-route', spec: SPEC },
        {
          at: '9m',
          action: 'edit-route',
          route: { meshName: 'shop', virtualRouterName: 'orders', routeName: 'orders' },
          spec: SPEC,
        },
        { at: '2m', action: 'start-release', request: { service: 'orders', version: 'v3' } },
      ],
    });
    expect(world.operator).toEqual([
      { at: 420, action: 'stop-execution' },
      { at: 480, action: 'edit-route', spec: SPEC },
      {
        at: 540,
        action: 'edit-route',
        route: { meshName: 'shop', virtualRouterName: 'orders', routeName: 'orders' },
        spec: SPEC,
      },
      { at: 120, action: 'start-release', request: { service: 'orders', version: 'v3' } },
    ]);
  });

  it.each<[string, unknown, string[]]>([
    [
      'an unknown action',
      { operator: [{ at: '1m', action: 'rollback' }] },
      [
        'world.operator[0].action: "rollback" is not an operator action; use one of: stop-execution, edit-route, edit-alias, start-release, abort, promote, pause, resume, approve, reject',
      ],
    ],
    [
      "a person's edit waiting for a call the simulated AWS does not serve",
      { operator: [{ at: '1m', beforeCall: 'PutAlias', action: 'edit-route', spec: SPEC }] },
      [
        'world.operator[0].beforeCall: "PutAlias" is not an operation the simulated AWS serves; name the call the person\'s action lands just before, such as "UpdateAlias"',
      ],
    ],
    [
      "a stop waiting for a call, which only a person's edit of a router does",
      { operator: [{ at: '1m', beforeCall: 'UpdateRoute', action: 'stop-execution' }] },
      ['world.operator[0]: has unknown field "beforeCall"; a stop-execution action takes only at, action'],
    ],
    [
      'a promote whose full is not true or false',
      { operator: [{ at: '1m', action: 'promote', full: 'yes' }] },
      ['world.operator[0].full: "yes" is not true or false; "full": true skips every remaining step'],
    ],
    [
      'an abort with a field of another command',
      { operator: [{ at: '1m', action: 'abort', full: true }] },
      [
        'world.operator[0]: has unknown field "full"; an abort action takes only at, action, releaseId, reason',
      ],
    ],
    [
      'an action without a name',
      { operator: [{ at: '1m' }] },
      [
        'world.operator[0].action: is missing; use one of: stop-execution, edit-route, edit-alias, start-release, abort, promote, pause, resume, approve, reject',
      ],
    ],
    [
      'an action that is not an object',
      { operator: ['stop'] },
      [
        'world.operator[0]: is "stop"; an operator action is a JSON object with "at", "action" and the action\'s own fields, e.g. {"at": "7m", "action": "stop-execution"}',
      ],
    ],
    [
      'a stop without a time, with a field it does not take',
      { operator: [{ action: 'stop-execution', execution: 'rehearsal' }] },
      [
        'world.operator[0].at: nothing is not a duration; write when the person acts as whole seconds, minutes or hours, like "0s", "30s", "5m" or "1h"',
        'world.operator[0]: has unknown field "execution"; a stop-execution action takes only at, action',
      ],
    ],
    [
      'a start-release without a request',
      { operator: [{ at: '2m', action: 'start-release' }] },
      [
        'world.operator[0].request: is missing; give the input the second execution starts with, as a trigger would send it, e.g. {"service": "orders", "version": "v3"}',
      ],
    ],
    [
      'an edit without a spec',
      { appmesh: { routes: [ROUTE] }, operator: [{ at: '8m', action: 'edit-route' }] },
      [
        'world.operator[0].spec: is missing; give the whole RouteSpec the person writes, as DescribeRoute returns it, e.g. {"httpRoute": {...}}',
      ],
    ],
    [
      'an edit App Mesh would refuse',
      {
        appmesh: { routes: [ROUTE] },
        operator: [
          {
            at: '8m',
            action: 'edit-route',
            spec: {
              httpRoute: {
                match: { prefix: '/' },
                action: { weightedTargets: [{ virtualNode: 'orders-v1', weight: 150 }] },
              },
            },
          },
        ],
      },
      [
        'world.operator[0].spec: App Mesh would refuse this UpdateRoute: spec.httpRoute.action.weightedTargets[0].weight: 150 is above 100; give a whole number 0..100',
        'world.operator[0].spec: App Mesh would refuse this UpdateRoute: spec.httpRoute.action.weightedTargets: the weights add up to 150; together they may be at most 100',
      ],
    ],
    [
      'an edit of a route the world does not have',
      {
        appmesh: { routes: [ROUTE] },
        operator: [
          {
            at: '8m',
            action: 'edit-route',
            route: { meshName: 'shop', virtualRouterName: 'orders', routeName: 'payments' },
            spec: SPEC,
          },
        ],
      },
      [
        'world.operator[0].route: names shop/orders/payments, which is not in world.appmesh.routes; name one of: shop/orders/orders',
      ],
    ],
    [
      'an edit when the world has no route',
      { operator: [{ at: '8m', action: 'edit-route', spec: SPEC }] },
      [
        'world.operator[0]: edits a route, but world.appmesh.routes declares none; declare the route the person edits',
      ],
    ],
  ])('%s', (_label, world, expected) => {
    expect(problems(world)).toEqual(expected);
  });
});

describe('the new world fields', () => {
  it('give every issue its own message rather than zod defaults', () => {
    // Prepare: wrong types everywhere.
    const world = {
      appmesh: { routes: [ROUTE] },
      faults: [{ state: 1, fault: 2, when: 3, call: '1', until: 4 }],
      functionTimeouts: { Shift: 5, Analyze: 'soon' },
      operator: [
        { at: 1, action: 'edit-route', route: 'r', spec: 's' },
        { at: '1m', action: 'start-release', extra: 1 },
        { at: '1m', action: 7 },
      ],
    };

    // Act
    const issues = worldSchema.safeParse(world).error?.issues ?? [];

    // Assess
    expect(issues.length).toBeGreaterThan(10);
    for (const issue of issues) {
      expect(issue.message).not.toMatch(/^(Invalid input|Invalid option|Expected|Too small)/);
      expect(issue.message).toMatch(/; /);
    }
  });
});
