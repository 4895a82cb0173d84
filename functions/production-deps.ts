import { awsClientSource } from '#adapters/aws/client-source.ts';
import { eventBridgeEventSinkOver } from '#adapters/aws/eventbridge-event-sink.ts';
import { createLayerProfileSource } from '#adapters/config/layer-profile-source.ts';
import { fanOut } from '#adapters/fan-out-event-sink.ts';
import { createLogEventSink, logger } from '#adapters/log/log-event-sink.ts';
import { type PortBuilders, type ReleaseDepsOptions, wirePorts } from '#adapters/port-builders.ts';
import type { ReleaseDeps } from '#core/ports.ts';

/** A setting the CDK construct always gives the functions; without it they cannot run safely. */
function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set; the ReleaseOrchestrator construct sets it on every function`);
  return value;
}

/** What every port is built over on AWS: the SDK's own credentials and region, the real clock. */
function productionOptions(): ReleaseDepsOptions {
  const aws = awsClientSource();
  const bus = process.env.STEPSHIFT_EVENT_BUS_NAME;
  const log = createLogEventSink();
  return {
    aws,
    // Without a bus (a function run by hand), events still reach the logs.
    events: bus
      ? fanOut(
          log,
          eventBridgeEventSinkOver(aws, bus, (undelivered) =>
            logger.error('lifecycle event not delivered', { undelivered }),
          ),
        )
      : log,
    clock: { now: () => new Date() },
    // Only Prepare and the alarm function are given the profiles layer; the other states load the
    // profile their release runs with from the table.
    profiles: createLayerProfileSource(),
    tableName: requiredEnv('STEPSHIFT_TABLE_NAME'),
  };
}

/**
 * A Lambda entry point from a handler factory and the ports it uses: they are built over real AWS on
 * the first invocation and reused by the Lambda instance after that. Only the listed ports' adapters
 * and SDK clients are bundled into the function.
 */
export function lambdaHandler<K extends keyof ReleaseDeps, I, O>(
  make: (deps: Pick<ReleaseDeps, K>) => (event: I) => Promise<O>,
  ports: PortBuilders<NoInfer<K>>,
): (event: I) => Promise<O> {
  let handle: ((event: I) => Promise<O>) | undefined;
  return (event) => {
    handle ??= make(wirePorts(productionOptions(), ports));
    return handle(event);
  };
}
