import { type AwsClients, createAwsClients } from '#adapters/aws/clients.ts';
import type { Clock } from '#core/ports.ts';
import { SIMULATED_REGION } from '#routers/sim/account.ts';
import { VirtualClock } from './script/clock.ts';
import { loadScenario } from './script/scenario.ts';
import { type CallRecord, SimulatedAws } from './transport.ts';

/** A scenario's simulated account as a command that only reads sees it, at the scenario's start. */
export interface ScenarioAccount {
  /** The scenario's own profile, unvalidated (undefined when it has none). */
  readonly profile: unknown;
  /** The SDK clients, their transport the simulated AWS: the very adapters run over them. */
  readonly clients: AwsClients;
  readonly clock: Clock;
  /** Every call the simulated AWS answered, in order. */
  readonly calls: readonly CallRecord[];
}

/**
 * The world a scenario file scripts, served to real SDK clients through their transport, as
 * `stepshift doctor --scenario` reads it: nothing runs, time stands at the scenario's start and moves
 * only by the calls' latency (and the SDK's back-off, when a scripted fault makes it retry).
 * @throws ScenarioError naming the file and what is wrong in it.
 */
export async function scenarioAccount(file: string): Promise<ScenarioAccount> {
  const scenario = await loadScenario(file);
  const clock = new VirtualClock();
  const sim = new SimulatedAws(scenario.world, clock);
  const clients = createAwsClients({
    region: SIMULATED_REGION,
    credentials: { accessKeyId: 'SCENARIO', secretAccessKey: 'SCENARIO' },
    requestHandler: sim.requestHandler,
    retry: { sleep: async (ms: number) => clock.advance(ms / 1000) },
  });
  return { profile: scenario.profile, clients, clock, calls: sim.calls };
}
