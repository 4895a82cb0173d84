import { HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld } from '#rehearsal/script/world.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';
import { httpSpec, ORDERS_ROUTE, ordersWorld } from './support.ts';

function raw(options: ConstructorParameters<typeof HttpRequest>[0]) {
  return new HttpRequest({ protocol: 'https:', ...options });
}

async function bodyOf(response: HttpResponse): Promise<unknown> {
  return JSON.parse(new TextDecoder().decode(response.body as Uint8Array));
}

describe('the requestHandler contract', () => {
  it('answers handle(request) with a smithy HttpResponse, as a real transport does', async () => {
    // Prepare
    const sim = new SimulatedAws(parseWorld(ordersWorld()), new VirtualClock());
    const request = raw({
      method: 'GET',
      hostname: 'appmesh.eu-west-1.amazonaws.com',
      path: '/v20190125/meshes/shop/virtualRouter/orders-router/routes/orders-route',
    });

    // Act
    const { response } = await sim.requestHandler.handle(request);

    // Assess
    expect(response).toBeInstanceOf(HttpResponse);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(await bodyOf(response)).toMatchObject({
      ...ORDERS_ROUTE,
      spec: httpSpec(),
      // The region comes from the endpoint the client was configured for.
      metadata: {
        arn: expect.stringMatching(/^arn:aws:appmesh:eu-west-1:/),
        version: 1,
        createdAt: 1767225600,
      },
    });
  });

  it('answers an UpdateRoute body that is not JSON with BadRequestException and changes nothing', async () => {
    // Prepare
    const sim = new SimulatedAws(parseWorld(ordersWorld()), new VirtualClock());
    const request = raw({
      method: 'PUT',
      hostname: 'appmesh.us-east-1.amazonaws.com',
      path: '/v20190125/meshes/shop/virtualRouter/orders-router/routes/orders-route',
      headers: { 'content-type': 'application/json' },
      body: '{"spec": ',
    });

    // Act
    const { response } = await sim.requestHandler.handle(request);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-errortype']).toMatch(/^BadRequestException:/);
    expect(sim.calls[0]).toMatchObject({ operation: 'UpdateRoute', error: { name: 'BadRequestException' } });
    expect(sim.calls[0]!.error!.message).toMatch(/^The request body is not JSON/);
    expect(sim.routers.appmesh.model.routes()[0]!.version).toBe(1);
  });

  it('answers a CloudWatch body that is not JSON in the query-compatible error format', async () => {
    // Prepare
    const sim = new SimulatedAws(parseWorld({}), new VirtualClock());
    const request = raw({
      method: 'POST',
      hostname: 'monitoring.us-east-1.amazonaws.com',
      path: '/',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' },
      body: new TextEncoder().encode('nope'),
    });

    // Act
    const { response } = await sim.requestHandler.handle(request);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers['x-amzn-query-error']).toBe('SerializationException;Sender');
    expect(await bodyOf(response)).toMatchObject({
      __type: 'com.amazonaws.cloudwatch#SerializationException',
    });
  });
});
