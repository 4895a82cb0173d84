import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeIssues } from '#core/validation.ts';
import { worldSchema } from './sim/world.ts';

export const OUTCOMES = ['promoted', 'rolled_back', 'rejected', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * A rehearsal scenario (v1). The profile and request are deliberately not validated here: they reach
 * the release exactly as a trigger would hand them over, so a bad one is rejected by Prepare, in the
 * state machine, the way it would be on AWS.
 */
export const scenarioSchema = z.strictObject({
  name: z.string({ error: 'is missing; give the scenario a name people will recognise in CI logs' }).min(1),
  description: z.string().optional(),
  profile: z.unknown(),
  request: z.unknown(),
  world: worldSchema,
  expect: z
    .strictObject({
      outcome: z.enum(OUTCOMES, { error: `must be one of: ${OUTCOMES.join(', ')}` }),
      error: z.string().optional(),
    })
    .optional(),
  seed: z.number().int().optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

export function parseScenario(value: unknown, file = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw new ScenarioError(file, describeIssues(result.error));
  return result.data;
}

export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(file, [`is not JSON: ${(error as Error).message}`]);
  }
  return parseScenario(value, file);
}
