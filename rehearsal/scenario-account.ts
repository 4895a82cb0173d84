import { type AwsClients, createAwsClients } from '#adapters/aws/clients.ts';
import type { WebhookTransport } from '#adapters/webhook/transport.ts';
import type { Clock } from '#core/ports.ts';
import { SIMULATED_REGION } from '#routers/sim/account.ts';
import { Agenda } from './script/agenda.ts';
import { VirtualClock } from './script/clock.ts';
import { loadScenario } from './script/scenario.ts';
import { type CallRecord, SimulatedAws } from './transport.ts';
import { rehearsalWebhooks } from './webhooks.ts';

const ONE_HOUR_SECONDS = 3600;

/** A scenario's simulated account as a command that only reads sees it, an hour into the scenario. */
export interface ScenarioAccount {
  /** The scenario's own profile, unvalidated (undefined when it has none). */
  readonly profile: unknown;
  /** The SDK clients, their transport the simulated AWS: the very adapters run over them. */
  readonly clients: AwsClients;
  readonly clock: Clock;
  /** Webhooks answered from world.hooks, as in a rehearsal. */
  readonly webhook: WebhookTransport;
  /** Every call the simulated AWS answered, in order. */
  readonly calls: readonly CallRecord[];
}

/**
 * The world a scenario file scripts, served to real SDK clients through their transport, as
 * `stepshift doctor --scenario` reads it: nothing runs, and time stands one hour in, so that "the last
 * hour" of metrics is the scenario's first and alarms are in the state the world gives them then; it
 * moves only by the calls' latency (and the SDK's back-off, when a scripted fault makes it retry).
 * @throws ScenarioError naming the file and what is wrong in it.
 */
export async function scenarioAccount(file: string): Promise<ScenarioAccount> {
  const scenario = await loadScenario(file);
  const clock = new VirtualClock();
  clock.advance(ONE_HOUR_SECONDS);
  const sim = new SimulatedAws(scenario.world, clock);
  sim.hookFunctionsOf(scenario.profile);
  const clients = createAwsClients({
    region: SIMULATED_REGION,
    credentials: { accessKeyId: 'SCENARIO', secretAccessKey: 'SCENARIO' },
    requestHandler: sim.requestHandler,
    retry: { sleep: async (ms: number) => clock.advance(ms / 1000) },
  });
  const webhook = rehearsalWebhooks(scenario.world, clock, new Agenda(clock));
  return { profile: scenario.profile, clients, clock, webhook, calls: sim.calls };
}
