import { createAwsClients } from '#adapters/aws/clients.ts';
import { createEventBridgeEventSink } from '#adapters/aws/eventbridge-event-sink.ts';
import { createLayerProfileSource } from '#adapters/config/layer-profile-source.ts';
import { fanOut } from '#adapters/fan-out-event-sink.ts';
import { createLogEventSink, logger } from '#adapters/log/log-event-sink.ts';
import { createReleaseDeps } from '#adapters/release-deps.ts';
import type { ReleaseDeps } from '#core/ports.ts';

let deps: ReleaseDeps | undefined;

/** A setting the CDK construct always gives the functions; without it they cannot run safely. */
function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set; the ReleaseOrchestrator construct sets it on every function`);
  return value;
}

/** The ports wired to real AWS, built once per Lambda instance and reused across invocations. */
function productionDeps(): ReleaseDeps {
  if (deps) return deps;
  const clients = createAwsClients();
  const bus = process.env.STEPSHIFT_EVENT_BUS_NAME;
  const log = createLogEventSink();
  deps = createReleaseDeps({
    clients,
    // Without a bus (a function run by hand), events still reach the logs.
    events: bus
      ? fanOut(
          log,
          createEventBridgeEventSink(clients.eventBridge, bus, (undelivered) =>
            logger.error('lifecycle event not delivered', { undelivered }),
          ),
        )
      : log,
    clock: { now: () => new Date() },
    // Only Prepare and the alarm function are given the profiles layer; the other states load the
    // profile their release runs with from the table.
    profiles: createLayerProfileSource(),
    tableName: requiredEnv('STEPSHIFT_TABLE_NAME'),
  });
  return deps;
}

/** A Lambda entry point from a handler factory: the factory gets production ports on first use. */
export function lambdaHandler<I, O>(
  make: (deps: ReleaseDeps) => (event: I) => Promise<O>,
): (event: I) => Promise<O> {
  let handle: ((event: I) => Promise<O>) | undefined;
  return (event) => {
    handle ??= make(productionDeps());
    return handle(event);
  };
}
