import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { OUTCOMES } from '#core/outcome.ts';
import { describeIssues, show, strictObject } from '#core/validation.ts';
import { worldSchema } from './world.ts';

export { OUTCOMES, type Outcome } from '#core/outcome.ts';

/**
 * A rehearsal scenario (v1). The profile and request are deliberately not validated here: they reach
 * the release exactly as a trigger would hand them over, so a bad one is rejected by Prepare, in the
 * state machine, the way it would be on AWS.
 */
const scenarioSchema = strictObject('a scenario', {
  name: z
    .string({ error: 'is missing; give the scenario a name people will recognise in CI logs' })
    .min(1, { error: 'is empty; give the scenario a name people will recognise in CI logs' }),
  description: z.string({ error: 'must be text' }).optional(),
  profile: z.unknown(),
  request: z.unknown(),
  world: worldSchema,
  expect: z.optional(
    strictObject('expect', {
      outcome: z.enum(OUTCOMES, {
        error: (iss) =>
          iss.input === undefined
            ? `is missing; give the outcome you expect, one of: ${OUTCOMES.join(', ')}`
            : `${show(iss.input)} is not an outcome; use one of: ${OUTCOMES.join(', ')}`,
      }),
      error: z
        .string({ error: 'must be the name of the error you expect, such as "ReleaseRolledBack"' })
        .optional(),
    }),
  ),
  seed: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).optional(),
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
    throw new ScenarioError(file, [
      `is not JSON: ${(error as Error).message}${lineOf(text, error as Error)}`,
    ]);
  }
  return parseScenario(value, file);
}

/** " (line 12, column 5)" for a JSON.parse error that names a position, so an editor can jump there. */
function lineOf(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}
