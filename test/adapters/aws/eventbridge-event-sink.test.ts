import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEventBridgeEventSink, type UndeliveredEvent } from '#adapters/aws/eventbridge-event-sink.ts';
import type { ReleaseEvent } from '#core/shapes.ts';

const eventBridge = mockClient(EventBridgeClient);
const promoted: ReleaseEvent = {
  type: 'release.promoted',
  releaseId: 'r1',
  service: 'orders',
  version: 'v2',
  targets: [{ name: 'orders-v2', weight: 100 }],
};

function sink() {
  const undelivered: UndeliveredEvent[] = [];
  const events = createEventBridgeEventSink(new EventBridgeClient({ region: 'us-east-1' }), 'releases', (u) =>
    undelivered.push(u),
  );
  return { events, undelivered };
}

beforeEach(() => {
  eventBridge.reset();
});

describe('createEventBridgeEventSink', () => {
  it('puts a lifecycle event on the named bus with source "stepshift"', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const { events, undelivered } = sink();

    // Act
    await events.emit(promoted);

    // Assess
    const entries = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries);
    expect(entries).toHaveLength(1);
    const [entry] = entries[0] ?? [];
    expect(entry).toMatchObject({
      EventBusName: 'releases',
      Source: 'stepshift',
      DetailType: 'Release Promoted',
    });
    expect(JSON.parse(entry?.Detail ?? '')).toEqual({
      releaseId: 'r1',
      service: 'orders',
      version: 'v2',
      weights: [{ target: 'orders-v2', weight: 100 }],
    });
    expect(undelivered).toEqual([]);
  });

  it('sends nothing for events that only go to the logs', async () => {
    const { events } = sink();
    await events.emit({
      type: 'bake.started',
      releaseId: 'r1',
      service: 'orders',
      version: 'v2',
      step: 0,
      check: 0,
      seconds: 60,
    });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('reports an entry the bus refused, without failing the release', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }],
    });
    const { events, undelivered } = sink();
    await expect(events.emit(promoted)).resolves.toBeUndefined();
    expect(undelivered).toEqual([
      { detailType: 'Release Promoted', releaseId: 'r1', problem: 'MalformedDetail: Detail is malformed.' },
    ]);
  });

  it('reports a call that failed after the SDK retries, without failing the release', async () => {
    eventBridge.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'AccessDeniedException',
        message: 'not authorized to perform: events:PutEvents',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { events, undelivered } = sink();
    await expect(events.emit(promoted)).resolves.toBeUndefined();
    expect(undelivered[0]?.problem).toBe(
      'AccessDeniedException: not authorized to perform: events:PutEvents',
    );
  });
});
