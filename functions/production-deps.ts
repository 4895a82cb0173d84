import { createAwsClients } from '#adapters/aws/clients.ts';
import { createEnvProfileSource } from '#adapters/config/env-profile-source.ts';
import { createLogEventSink } from '#adapters/log/log-event-sink.ts';
import { createReleaseDeps } from '#adapters/release-deps.ts';
import type { ReleaseDeps } from '#core/ports.ts';

let deps: ReleaseDeps | undefined;

/** The ports wired to real AWS, built once per Lambda instance and reused across invocations. */
export function productionDeps(): ReleaseDeps {
  deps ??= createReleaseDeps({
    clients: createAwsClients(),
    events: createLogEventSink(),
    clock: { now: () => new Date() },
    profiles: createEnvProfileSource(),
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
