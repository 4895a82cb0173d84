import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '#core/duration.ts';
import { describeIssues } from '#core/validation.ts';
import { parseMilliseconds, parseWorld, worldSchema } from '#rehearsal/sim/world.ts';

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
      faults: [
        { operation: 'UpdateRoute', call: 2, error: 'TooManyRequestsException' },
        { operation: 'DescribeAlarms', from: 360, until: 420, error: 'ServiceUnavailable' },
        { operation: 'UpdateRoute', call: 1, count: 2, error: 'TooManyRequestsException' },
      ],
      callLatency: 0.05,
    });
  });

  it('fills in an empty world: no routes, alarms or faults, 50 ms per call', () => {
    expect(parseWorld({})).toEqual({
      appmesh: { routes: [], virtualNodes: [] },
      alarms: [],
      faults: [],
      callLatency: 0.05,
    });
  });

  it.each(['canary-healthy.json', 'canary-alarm-rollback.json', 'canary-throttled.json'])(
    'accepts the world of examples/%s',
    (file) => {
      const scenario = JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));
      expect(problems(scenario.world)).toEqual([]);
    },
  );
});

describe('world errors name what is wrong and what is allowed', () => {
  it.each<[string, unknown, string[]]>([
    [
      'a world that is not an object',
      'x',
      ['world: is "x"; the world is a JSON object with appmesh, alarms, faults, callLatency'],
    ],
    [
      'a misspelt field',
      { alarm: [] },
      ['world: has unknown field "alarm"; the world takes only appmesh, alarms, faults, callLatency'],
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
      { faults: [{ operation: 'DeleteRoute', call: 1, error: 'Boom' }] },
      [
        'world.faults[0].operation: "DeleteRoute" is not an operation the simulated AWS serves; use one of: DescribeRoute, UpdateRoute, DescribeVirtualNode, DescribeAlarms, DescribeAlarmHistory, PutEvents, PutItem, GetItem, UpdateItem, DeleteItem, DescribeExecution',
        'world.faults[0].error: "Boom" is not an error the simulator can raise; use one of: TooManyRequestsException, InternalServerErrorException, ServiceUnavailableException, AccessDeniedException, ForbiddenException, BadRequestException, NotFoundException, ConflictException, LimitExceededException, Throttling, InternalServiceError, ServiceUnavailable, AccessDenied, InvalidNextToken, ThrottlingException, InternalException, ProvisionedThroughputExceededException, RequestLimitExceeded, InternalServerError',
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
