import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#rehearsal/script/clock.ts';
import { parseWorld, type WorldInput } from '#rehearsal/script/world.ts';
import { PUT_EVENTS_LIMIT_BYTES, putEventsEntryBytes } from '#rehearsal/services/eventbridge/limits.ts';
import { SimulatedAws } from '#rehearsal/transport.ts';

function bus(world: Partial<WorldInput> = {}) {
  const clock = new VirtualClock();
  const sim = new SimulatedAws(parseWorld({ appmesh: { routes: [] }, ...world } as WorldInput), clock);
  const client = new EventBridgeClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: sim.requestHandler,
    maxAttempts: 1,
  });
  return { sim, client, clock };
}

describe('the simulated EventBridge', () => {
  it('takes PutEvents entries onto the bus with their detail parsed', async () => {
    // Prepare
    const { sim, client } = bus();

    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'releases', Source: 'stepshift', DetailType: 'Release Started', Detail: '{"a":1}' },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.busEvents).toEqual([
      {
        at: 0,
        eventBusName: 'releases',
        source: 'stepshift',
        detailType: 'Release Started',
        detail: { a: 1 },
      },
    ]);
    expect(sim.calls.map((c) => [c.service, c.operation])).toEqual([['events', 'PutEvents']]);
  });

  it('refuses a malformed entry in its result entry and takes the others', async () => {
    const { sim, client } = bus();
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'stepshift', DetailType: 'Release Started', Detail: 'not json' },
          { Source: 'stepshift', DetailType: 'Traffic Shifted', Detail: '{}' },
          { Source: 'stepshift', Detail: '{}' },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.map((e) => e.ErrorCode)).toEqual([
      'MalformedDetail',
      undefined,
      'InvalidArgument',
    ]);
    expect(sim.busEvents.map((e) => e.detailType)).toEqual(['Traffic Shifted']);
  });

  it('answers an injected fault with the error EventBridge would name', async () => {
    const { client } = bus({ faults: [{ operation: 'PutEvents', call: 1, error: 'InternalException' }] });
    const failing = client.send(
      new PutEventsCommand({
        Entries: [{ Source: 'stepshift', DetailType: 'Release Started', Detail: '{}' }],
      }),
    );
    await expect(failing).rejects.toMatchObject({ name: 'InternalException', $fault: 'server' });
  });

  it('refuses more than ten entries in one call', async () => {
    const { client } = bus();
    const entry = { Source: 'stepshift', DetailType: 'Release Started', Detail: '{}' };
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe("the simulated EventBridge's size limit", () => {
  const entry = (detail: string) => ({ Source: 'stepshift', DetailType: 'Release Failed', Detail: detail });
  /** A detail that brings the entry to exactly `bytes`, as EventBridge counts it. */
  const detailOf = (bytes: number) =>
    `{"r":"${'x'.repeat(bytes - 'stepshift'.length - 'Release Failed'.length - 8)}"}`;

  it('counts an entry as EventBridge does: Time as 14 bytes, the rest as UTF-8', () => {
    expect(
      putEventsEntryBytes({ Source: 'stepshift', DetailType: 'Release Failed', Detail: '{"é":1}' }),
    ).toBe(9 + 14 + 8);
    expect(
      putEventsEntryBytes({ Time: new Date(0), Source: 'a', DetailType: 'b', Resources: ['arn:x', 'ÿ'] }),
    ).toBe(14 + 1 + 1 + 5 + 2);
  });

  it('takes an entry of 256 KB and refuses the request whose entries come to more, as PutEvents does', async () => {
    const { sim, client } = bus();
    await client.send(new PutEventsCommand({ Entries: [entry(detailOf(PUT_EVENTS_LIMIT_BYTES))] }));
    expect(sim.busEvents).toHaveLength(1);

    const refused = await client
      .send(new PutEventsCommand({ Entries: [entry(detailOf(PUT_EVENTS_LIMIT_BYTES + 1))] }))
      .catch((e: Error) => e);
    expect(refused).toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    expect(sim.busEvents).toHaveLength(1);
  });
});
