import {
  DescribeRouteCommand,
  DescribeVirtualNodeCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-app-mesh';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import type { FaultErrorName } from '#rehearsal/script/faults.ts';
import type { WorldInput } from '#rehearsal/script/world.ts';
import { failureOf, httpSpec, ORDERS_ROUTE, ordersWorld, type Simulation, simulate } from '../support.ts';

const ALARM = { name: 'orders-5xx', type: 'metric' as const, states: [{ at: '0s', state: 'OK' as const }] };

function withFaults(faults: WorldInput['faults'], extra: Partial<WorldInput> = {}): WorldInput {
  return ordersWorld(httpSpec(), { alarms: [ALARM], faults, ...extra });
}

/** Sends `count` DescribeRoute calls and says, per call, the error name or "ok". */
async function describeRoutes(s: Simulation, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      await s.appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
      outcomes.push('ok');
    } catch (error) {
      outcomes.push((error as Error).name);
    }
  }
  return outcomes;
}

describe('faults by call number', () => {
  it('fails exactly the numbered call of that operation', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'DescribeRoute', call: 2, error: 'ServiceUnavailableException' }]),
    );

    // Act
    const outcomes = await describeRoutes(s, 4);

    // Assess
    expect(outcomes).toEqual(['ok', 'ServiceUnavailableException', 'ok', 'ok']);
  });

  it('fails `count` calls in a row starting at `call`', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'DescribeRoute', call: 2, count: 2, error: 'TooManyRequestsException' }]),
    );

    // Act
    const outcomes = await describeRoutes(s, 5);

    // Assess
    expect(outcomes).toEqual(['ok', 'TooManyRequestsException', 'TooManyRequestsException', 'ok', 'ok']);
  });

  it('counts calls per operation, so other operations do not use up the numbers', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'UpdateRoute', call: 2, error: 'InternalServerErrorException' }]),
    );

    // Act
    await describeRoutes(s, 3);
    await s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec(), clientToken: 'a' }));
    const second = await failureOf(
      s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec(), clientToken: 'b' })),
    );

    // Assess
    expect(second.name).toBe('InternalServerErrorException');
    expect(s.sim.calls.map((c) => [c.operation, c.error?.name ?? 'ok'])).toEqual([
      ['DescribeRoute', 'ok'],
      ['DescribeRoute', 'ok'],
      ['DescribeRoute', 'ok'],
      ['UpdateRoute', 'ok'],
      ['UpdateRoute', 'InternalServerErrorException'],
    ]);
  });

  it('leaves the route untouched when an UpdateRoute is faulted', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'UpdateRoute', call: 1, error: 'TooManyRequestsException' }]),
    );
    const spec = httpSpec([
      { virtualNode: 'orders-v1', weight: 90 },
      { virtualNode: 'orders-v2', weight: 10 },
    ]);

    // Act
    const error = await failureOf(
      s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: 'x' })),
    );
    const retried = await s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: 'x' }));

    // Assess: the faulted call neither changed the spec nor used up the client token.
    expect(error.name).toBe('TooManyRequestsException');
    expect(retried.route!.metadata!.version).toBe(2);
    expect(s.sim.routers.appmesh.model.routes()[0]).toMatchObject({ spec, version: 2 });
  });
});

describe('faults by virtual-time window', () => {
  it('fails every call that arrives in [from, until)', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'DescribeAlarms', from: '6m', until: '7m', error: 'ServiceUnavailable' }], {
        callLatency: '0ms',
      }),
    );

    // Act
    const outcomes: Record<number, string> = {};
    for (const at of [0, 359, 360, 400, 419.999, 420, 600]) {
      s.clock.advanceTo(at);
      try {
        await s.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] }));
        outcomes[at] = 'ok';
      } catch (error) {
        outcomes[at] = (error as Error).name;
      }
    }

    // Assess
    expect(outcomes).toEqual({
      0: 'ok',
      359: 'ok',
      360: 'ServiceUnavailable',
      400: 'ServiceUnavailable',
      419.999: 'ServiceUnavailable',
      420: 'ok',
      600: 'ok',
    });
  });

  it('without `until` fails every call from `from` on', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'DescribeVirtualNode', from: '1m', error: 'AccessDeniedException' }]),
    );
    const describeNode = () =>
      s.appMesh.send(new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v1' }));

    // Act
    await describeNode();
    s.clock.advanceTo(60);
    const first = await failureOf(describeNode());
    s.clock.advanceTo(86_400);
    const later = await failureOf(describeNode());

    // Assess
    expect(first.name).toBe('AccessDeniedException');
    expect(first.message).toBe(
      'The caller is not authorized to perform this operation (fault injected by the scenario: DescribeVirtualNode at 60s of virtual time)',
    );
    expect(later.name).toBe('AccessDeniedException');
  });

  it('applies the first matching fault when several match', async () => {
    // Prepare
    const s = simulate(
      withFaults([
        { operation: 'DescribeRoute', call: 1, error: 'ForbiddenException' },
        { operation: 'DescribeRoute', from: '0s', error: 'InternalServerErrorException' },
      ]),
    );

    // Act
    const outcomes = await describeRoutes(s, 2);

    // Assess
    expect(outcomes).toEqual(['ForbiddenException', 'InternalServerErrorException']);
  });
});

const APPMESH_ERRORS: [FaultErrorName, number, 'client' | 'server'][] = [
  ['TooManyRequestsException', 429, 'client'],
  ['InternalServerErrorException', 500, 'server'],
  ['ServiceUnavailableException', 503, 'server'],
  ['AccessDeniedException', 403, 'client'],
  ['ForbiddenException', 403, 'client'],
  ['BadRequestException', 400, 'client'],
  ['NotFoundException', 404, 'client'],
  ['ConflictException', 409, 'client'],
  ['LimitExceededException', 400, 'client'],
];

describe('injected errors reach the SDK under their own names', () => {
  it.each(APPMESH_ERRORS)('App Mesh %s: HTTP %i, %s fault', async (name, status, fault) => {
    // Prepare
    const s = simulate(withFaults([{ operation: 'UpdateRoute', call: 1, error: name }]));

    // Act
    const error = await failureOf(
      s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec() })),
    );

    // Assess
    expect(error.name).toBe(name);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.$fault).toBe(fault);
    expect(error.message).toContain('(fault injected by the scenario: call 1 of UpdateRoute)');
    expect(s.sim.calls[0]!.error).toEqual({ name, message: error.message });
  });

  // The SDK names a code after its modelled error where one carries it: InternalServiceError is
  // CloudWatch's InternalServiceFault.
  const CLOUDWATCH_ERRORS: [FaultErrorName, number, 'client' | 'server', string][] = [
    ['Throttling', 400, 'client', 'Throttling'],
    ['InternalServiceError', 500, 'server', 'InternalServiceFault'],
    ['ServiceUnavailable', 503, 'server', 'ServiceUnavailable'],
    ['AccessDenied', 403, 'client', 'AccessDenied'],
    ['InvalidNextToken', 400, 'client', 'InvalidNextToken'],
  ];

  it.each(CLOUDWATCH_ERRORS)('CloudWatch %s: HTTP %i, %s fault', async (name, status, fault, sdkName) => {
    // Prepare
    const s = simulate(withFaults([{ operation: 'DescribeAlarms', call: 1, error: name }]));

    // Act
    const error = await failureOf(
      s.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] })),
    );

    // Assess
    expect(error.name).toBe(sdkName);
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.$fault).toBe(fault);
    expect(error.message).toContain('(fault injected by the scenario: call 1 of DescribeAlarms)');
  });
});

describe('the SDK retries injected faults the way it would on AWS', () => {
  // The SDK's standard strategy with its default 3 attempts, without the back-off pauses.
  const retrying = () => ({ maxAttempts: 3, retryStrategy: new ConfiguredRetryStrategy(3, 0) });

  it('retries a throttled UpdateRoute and succeeds on the third attempt with the same client token', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'UpdateRoute', call: 1, count: 2, error: 'TooManyRequestsException' }]),
      retrying(),
    );

    // Act
    const out = await s.appMesh.send(
      new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec(), clientToken: 'step-1' }),
    );

    // Assess
    expect(out.$metadata.attempts).toBe(3);
    expect(out.route!.metadata!.version).toBe(2);
    expect(s.sim.calls.map((c) => c.error?.name ?? 'ok')).toEqual([
      'TooManyRequestsException',
      'TooManyRequestsException',
      'ok',
    ]);
    expect(new Set(s.sim.calls.map((c) => c.input.clientToken))).toEqual(new Set(['step-1']));
  });

  it.each<[string, FaultErrorName]>([
    ['a 5xx from App Mesh', 'ServiceUnavailableException'],
    ['an internal error from App Mesh', 'InternalServerErrorException'],
  ])('retries %s', async (_label, name) => {
    // Prepare
    const s = simulate(withFaults([{ operation: 'DescribeRoute', call: 1, error: name }]), retrying());

    // Act
    const out = await s.appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));

    // Assess
    expect(out.$metadata.attempts).toBe(2);
  });

  it("retries CloudWatch's Throttling (HTTP 400) as throttling", async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'DescribeAlarms', call: 1, count: 2, error: 'Throttling' }]),
      retrying(),
    );

    // Act
    const out = await s.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] }));

    // Assess
    expect(out.$metadata.attempts).toBe(3);
    expect(out.MetricAlarms?.[0]?.StateValue).toBe('OK');
  });

  it('gives up after 3 attempts and surfaces the last error', async () => {
    // Prepare
    const s = simulate(
      withFaults([{ operation: 'UpdateRoute', call: 1, count: 5, error: 'TooManyRequestsException' }]),
      retrying(),
    );

    // Act
    const error = await failureOf(
      s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec() })),
    );

    // Assess
    expect(error.name).toBe('TooManyRequestsException');
    expect(error.$metadata.attempts).toBe(3);
    expect(s.sim.calls).toHaveLength(3);
  });

  it.each<FaultErrorName>([
    'AccessDeniedException',
    'BadRequestException',
    'NotFoundException',
    'ConflictException',
  ])('does not retry %s', async (name) => {
    // Prepare
    const s = simulate(withFaults([{ operation: 'UpdateRoute', call: 1, error: name }]), retrying());

    // Act
    const error = await failureOf(
      s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec: httpSpec() })),
    );

    // Assess
    expect(error.name).toBe(name);
    expect(error.$metadata.attempts).toBe(1);
    expect(s.sim.calls).toHaveLength(1);
  });
});

describe('the calls log and virtual time', () => {
  it('records every call with its arrival time, service, operation and SDK-shaped input', async () => {
    // Prepare
    const s = simulate(withFaults([{ operation: 'DescribeAlarms', call: 1, error: 'Throttling' }]));
    s.clock.advanceTo(10);
    const spec = httpSpec([{ virtualNode: 'orders-v2', weight: 100, port: 8080 }]);

    // Act
    await s.appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
    await s.appMesh.send(new UpdateRouteCommand({ ...ORDERS_ROUTE, spec, clientToken: 'tok-1' }));
    await s.appMesh.send(new DescribeVirtualNodeCommand({ meshName: 'shop', virtualNodeName: 'orders-v2' }));
    await failureOf(
      s.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'], MaxRecords: 100 })),
    );

    // Assess
    expect(s.sim.calls).toEqual([
      { at: 10, service: 'appmesh', operation: 'DescribeRoute', input: ORDERS_ROUTE },
      {
        at: 10.05,
        service: 'appmesh',
        operation: 'UpdateRoute',
        input: { ...ORDERS_ROUTE, spec, clientToken: 'tok-1' },
      },
      {
        at: 10.1,
        service: 'appmesh',
        operation: 'DescribeVirtualNode',
        input: { meshName: 'shop', virtualNodeName: 'orders-v2' },
      },
      {
        at: 10.15,
        service: 'cloudwatch',
        operation: 'DescribeAlarms',
        input: { AlarmNames: ['orders-5xx'], MaxRecords: 100 },
        error: {
          name: 'Throttling',
          message: 'Rate exceeded (fault injected by the scenario: call 1 of DescribeAlarms)',
        },
      },
    ]);
    expect(s.clock.seconds).toBe(10.2);
  });

  it.each([
    ['0ms', 0],
    ['250ms', 0.25],
    [undefined, 0.05],
  ])('moves the clock by callLatency %s per call, errors included', async (latency, step) => {
    // Prepare
    const s = simulate(ordersWorld(httpSpec(), latency === undefined ? {} : { callLatency: latency }));

    // Act
    await s.appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
    await failureOf(s.appMesh.send(new DescribeRouteCommand({ ...ORDERS_ROUTE, routeName: 'missing' })));
    await s.cloudWatch.send(new DescribeAlarmsCommand({}));

    // Assess
    expect(s.sim.calls.map((c) => c.at)).toEqual([0, step, 2 * step]);
    expect(s.clock.seconds).toBeCloseTo(3 * step, 9);
  });

  it('hands out request ids the SDK reports in $metadata', async () => {
    // Prepare
    const s = simulate(ordersWorld());

    // Act
    const first = await s.appMesh.send(new DescribeRouteCommand(ORDERS_ROUTE));
    const second = await s.cloudWatch.send(new DescribeAlarmsCommand({}));

    // Assess
    expect(first.$metadata.requestId).toBe('00000000-0000-4000-8000-000000000001');
    expect(second.$metadata.requestId).toBe('00000000-0000-4000-8000-000000000002');
  });
});
