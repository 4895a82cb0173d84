import { awsClientSource } from '#adapters/aws/client-source.ts';
import { eventBridgeEventSinkOver } from '#adapters/aws/eventbridge-event-sink.ts';
import { fanOut } from '#adapters/fan-out-event-sink.ts';
import { createReleaseDeps } from '#adapters/release-deps.ts';
import type { ReleaseDeps } from '#core/ports.ts';
import { SIMULATED_REGION } from '#routers/sim/account.ts';
import type { Rehearsal } from '../rehearse.ts';
import { REHEARSAL_TABLE } from '../transport.ts';
import { rehearsalWebhooks } from '../webhooks.ts';
import { EVENT_BUS } from './interpreter.ts';

/**
 * The ports the functions of one execution use (or the guard acting on it): real adapters over SDK
 * clients whose transport is the simulated AWS. What they add to the timeline names the execution.
 */
export function depsFor(r: Rehearsal, execution: string): ReleaseDeps {
  const built = r.deps.get(execution);
  if (built) return built;
  const { clock, sim, timeline } = r;
  const aws = awsClientSource({
    region: SIMULATED_REGION,
    credentials: { accessKeyId: 'REHEARSAL', secretAccessKey: 'REHEARSAL' },
    requestHandler: sim.requestHandler,
    retry: {
      random: r.random,
      // Back-off passes like any virtual time: what falls due meanwhile happens then.
      sleep: (ms: number) => r.agenda.pass(ms / 1000),
      onRetry: ({ attempt, delayMs, errorType }) => {
        const failed = sim.calls.findLast((c) => c.error);
        timeline.add(
          'api.retry',
          {
            operation: failed?.operation ?? 'call',
            error: failed?.error?.name ?? errorType,
            attempt: attempt + 1,
            delaySeconds: delayMs / 1000,
          },
          execution,
        );
      },
    },
  });
  const deps = createReleaseDeps({
    aws,
    events: fanOut(
      timeline.sink(execution),
      {
        emit: (event) => {
          if (event.type === 'release.planned') r.releaseIds.set(execution, event.releaseId);
        },
      },
      eventBridgeEventSinkOver(aws, EVENT_BUS, (undelivered) =>
        timeline.add('event.undelivered', { ...undelivered }, execution),
      ),
    ),
    clock,
    tableName: REHEARSAL_TABLE,
    profiles: r.profiles,
    webhook: rehearsalWebhooks(r.world, clock, r.agenda),
  });
  r.deps.set(execution, deps);
  return deps;
}
