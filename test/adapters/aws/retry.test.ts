import { performance } from 'node:perf_hooks';
import { DescribeRouteCommand } from '@aws-sdk/client-app-mesh';
import type { RetryErrorType } from '@smithy/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '#adapters/aws/clients.ts';
import { createAlarmHealthSource } from '#adapters/aws/cloudwatch-alarms.ts';
import { BackoffRetryStrategy, backoffDelayMs, type RetryInfo } from '#adapters/aws/retry.ts';
import { HealthUnavailableError, RouterUnavailableError } from '#core/errors.ts';
import { createAppMeshRouter } from '#routers/appmesh/router.ts';
import { MESH, richSpec, routeData } from '../../routers/route-fixtures.ts';

interface FakeResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** A transport answering each request with the next canned response, as the rehearsal's does. */
function fakeTransport(responses: FakeResponse[]) {
  const requests: { path: string; attemptHeader: string | undefined }[] = [];
  return {
    requests,
    requestHandler: {
      async handle(request: { path: string; headers: Record<string, string> }) {
        requests.push({ path: request.path, attemptHeader: request.headers['amz-sdk-request'] });
        const next = responses[Math.min(requests.length, responses.length) - 1]!;
        const response = {
          statusCode: next.statusCode,
          headers: { 'content-type': 'application/json', ...next.headers },
          body: Buffer.from(JSON.stringify(next.body)),
        };
        return { response };
      },
    },
  };
}

/** An App Mesh error as the REST-JSON protocol carries it: status, x-amzn-errortype, message body. */
function appMeshError(statusCode: number, errorType: string): FakeResponse {
  return { statusCode, headers: { 'x-amzn-errortype': errorType }, body: { message: `${errorType} (fake)` } };
}

/** DescribeRoute's REST-JSON body is the RouteData itself (the output's httpPayload), dates in epoch seconds. */
function describeRouteOk(): FakeResponse {
  const route = routeData(richSpec('httpRoute'), 7);
  const metadata = { ...route.metadata, createdAt: 1_704_067_200, lastUpdatedAt: 1_717_200_000 };
  return { statusCode: 200, headers: {}, body: { ...route, metadata } };
}

/** A `random` that replays these values, then repeats the last. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

function clientsWith(transport: ReturnType<typeof fakeTransport>, random: () => number) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const clients = createAwsClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: transport.requestHandler,
    retry: {
      random,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onRetry: (info) => retries.push(info),
    },
  });
  return { clients, sleeps, retries };
}

describe('backoffDelayMs', () => {
  it('uses a 500 ms base after throttling and 100 ms otherwise, doubling per attempt', () => {
    // Prepare
    const half = () => 0.5;

    // Act
    const delays = [
      backoffDelayMs(0, 'THROTTLING', half),
      backoffDelayMs(2, 'THROTTLING', half),
      backoffDelayMs(0, 'TRANSIENT', half),
      backoffDelayMs(3, 'SERVER_ERROR', half),
    ];

    // Assess
    expect(delays).toEqual([250, 1000, 50, 400]);
  });

  it('never waits more than 20 s', () => {
    // Act
    const delay = backoffDelayMs(40, 'THROTTLING', () => 0.999999);

    // Assess
    expect(delay).toBe(19_999);
  });

  it('stays within 0 and the capped exponential for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 60 }),
        fc.constantFrom('THROTTLING', 'TRANSIENT', 'SERVER_ERROR'),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, errorType, r) => {
          // Act
          const delay = backoffDelayMs(attempt, errorType, () => r);

          // Assess
          const base = errorType === 'THROTTLING' ? 500 : 100;
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(20_000, base * 2 ** attempt));
        },
      ),
    );
  });
});

describe('BackoffRetryStrategy', () => {
  it.each<RetryErrorType>(['THROTTLING', 'TRANSIENT', 'SERVER_ERROR'])(
    'sleeps through the injected sleep on %s and hands back a token with no delay left',
    async (errorType) => {
      // Prepare
      const sleeps: number[] = [];
      const retries: RetryInfo[] = [];
      const strategy = new BackoffRetryStrategy({
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        onRetry: (info) => retries.push(info),
      });
      const first = await strategy.acquireInitialRetryToken('');

      // Act
      const second = await strategy.refreshRetryTokenForRetry(first, { errorType });

      // Assess
      const expected = backoffDelayMs(0, errorType, () => 0.5);
      expect(sleeps).toEqual([expected]);
      expect(retries).toEqual([{ attempt: 0, delayMs: expected, errorType }]);
      expect(second.getRetryCount()).toBe(1);
      expect(second.getRetryDelay()).toBe(0);
      expect(second.$retryLog?.acquisitionDelay).toBe(expected);
    },
  );

  it('refuses client errors without sleeping', async () => {
    // Prepare
    const sleeps: number[] = [];
    const strategy = new BackoffRetryStrategy({ sleep: async (ms) => void sleeps.push(ms) });
    const token = await strategy.acquireInitialRetryToken('');

    // Act
    const refresh = strategy.refreshRetryTokenForRetry(token, { errorType: 'CLIENT_ERROR' });

    // Assess
    await expect(refresh).rejects.toThrow('No retry token available');
    expect(sleeps).toEqual([]);
  });

  it('refuses once maxAttempts attempts have been made', async () => {
    // Prepare
    const strategy = new BackoffRetryStrategy({ maxAttempts: 2, sleep: async () => {} });
    const first = await strategy.acquireInitialRetryToken('');
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });

    // Act
    const third = strategy.refreshRetryTokenForRetry(second, { errorType: 'THROTTLING' });

    // Assess
    await expect(third).rejects.toThrow('No retry token available');
  });

  it('gives throttling throttledAttempts attempts and every other error maxAttempts', async () => {
    // Prepare
    const strategy = new BackoffRetryStrategy({
      maxAttempts: 2,
      throttledAttempts: 3,
      sleep: async () => {},
    });
    const first = await strategy.acquireInitialRetryToken('');
    const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' });

    // Act
    const third = await strategy.refreshRetryTokenForRetry(second, { errorType: 'THROTTLING' });
    const transient = strategy.refreshRetryTokenForRetry(second, { errorType: 'TRANSIENT' });
    const fourth = strategy.refreshRetryTokenForRetry(third, { errorType: 'THROTTLING' });

    // Assess
    expect(third.getRetryCount()).toBe(2);
    await expect(transient).rejects.toThrow('No retry token available');
    await expect(fourth).rejects.toThrow('No retry token available');
  });
});

describe('BackoffRetryStrategy inside the SDK clients', () => {
  it('retries App Mesh throttling through the injected sleep, without waiting in real time', async () => {
    // Prepare
    const transport = fakeTransport([
      appMeshError(429, 'TooManyRequestsException'),
      appMeshError(429, 'TooManyRequestsException'),
      describeRouteOk(),
    ]);
    const random = sequence(0.9, 0.95);
    const { clients, sleeps, retries } = clientsWith(transport, random);
    const expectedSleeps = [
      backoffDelayMs(0, 'THROTTLING', () => 0.9),
      backoffDelayMs(1, 'THROTTLING', () => 0.95),
    ];
    const started = performance.now();

    // Act
    const out = await clients.appMesh.send(new DescribeRouteCommand({ ...MESH }));

    // Assess
    const elapsed = performance.now() - started;
    expect(expectedSleeps).toEqual([450, 950]);
    expect(sleeps).toEqual(expectedSleeps);
    expect(retries.map((r) => [r.attempt, r.errorType])).toEqual([
      [0, 'THROTTLING'],
      [1, 'THROTTLING'],
    ]);
    expect(transport.requests.map((r) => r.attemptHeader)).toEqual([
      'attempt=1; max=4',
      'attempt=2; max=4',
      'attempt=3; max=4',
    ]);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 3, totalRetryDelay: 1400 });
    expect(out.route?.metadata?.version).toBe(7);
    expect(out.route?.spec).toEqual(richSpec('httpRoute'));
    expect(elapsed).toBeLessThan(1400);
  });

  it('does not retry a 400 BadRequestException', async () => {
    // Prepare
    const transport = fakeTransport([appMeshError(400, 'BadRequestException'), describeRouteOk()]);
    const { clients, sleeps } = clientsWith(transport, () => 0.5);

    // Act
    const error = await clients.appMesh.send(new DescribeRouteCommand({ ...MESH })).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    expect(transport.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after 4 attempts, and the router reports RouterUnavailable', async () => {
    // Prepare
    const transport = fakeTransport([appMeshError(503, 'ServiceUnavailableException')]);
    const { clients, sleeps, retries } = clientsWith(transport, () => 0.5);
    const router = createAppMeshRouter(clients.appMesh, { type: 'appmesh', ...MESH });

    // Act
    const error = await router.read().catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(RouterUnavailableError);
    expect((error as Error).message).toContain('DescribeRoute failed with ServiceUnavailableException');
    expect(transport.requests).toHaveLength(4);
    // The modelled @retryable trait makes the SDK call a 503 TRANSIENT, so the 100 ms base applies.
    expect(retries.map((r) => r.errorType)).toEqual(['TRANSIENT', 'TRANSIENT', 'TRANSIENT']);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it("retries CloudWatch's HTTP 400 Throttling as throttling, then reports HealthUnavailable", async () => {
    // Prepare
    const transport = fakeTransport([
      {
        statusCode: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'Throttling;Sender' },
        body: { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' },
      },
    ]);
    const { clients, retries } = clientsWith(transport, () => 0.5);

    // Act
    const error = await createAlarmHealthSource(clients.cloudWatch)
      .readAlarms(['orders-5xx'])
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(HealthUnavailableError);
    expect((error as Error).message).toContain('DescribeAlarms failed with Throttling');
    expect(retries.map((r) => r.errorType)).toEqual(['THROTTLING', 'THROTTLING', 'THROTTLING']);
  });

  it('gives each client its own strategy', async () => {
    // Prepare
    const { clients } = clientsWith(fakeTransport([describeRouteOk()]), Math.random);

    // Act
    const appMesh = await clients.appMesh.config.retryStrategy();
    const cloudWatch = await clients.cloudWatch.config.retryStrategy();

    // Assess
    expect(appMesh).toBeInstanceOf(BackoffRetryStrategy);
    expect(cloudWatch).toBeInstanceOf(BackoffRetryStrategy);
    expect(appMesh).not.toBe(cloudWatch);
  });
});
