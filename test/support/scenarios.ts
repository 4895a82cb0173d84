import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '#rehearsal/script/scenario.ts';

const healthyPath = new URL('../../examples/canary-healthy.json', import.meta.url);

/** The healthy example, as a plain object to change before parsing. */
export function healthyScenarioInput(): Record<string, unknown> & {
  profile: Record<string, unknown>;
  request: Record<string, unknown>;
  world: Record<string, unknown> & { faults: unknown[] };
} {
  const value = JSON.parse(readFileSync(healthyPath, 'utf8'));
  delete value.expect;
  return value;
}

/** The healthy example with some part replaced. */
export function scenarioWith(change: (input: ReturnType<typeof healthyScenarioInput>) => void): Scenario {
  const input = healthyScenarioInput();
  change(input);
  return parseScenario(input);
}
