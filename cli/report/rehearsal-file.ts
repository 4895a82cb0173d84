import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { RehearsalRun } from '../chart/from-rehearsal.ts';

/** What `stepshift rehearse <scenario> --json` printed, as much of it as a report reads. */
const rehearsalRunSchema = z.object({
  name: z.string(),
  outcome: z.string(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  durationSeconds: z.number().optional(),
  timeline: z.array(
    z.object({
      at: z.number(),
      event: z.string(),
      weights: z.record(z.string(), z.number()),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  events: z.array(z.object({ detailType: z.string(), detail: z.record(z.string(), z.unknown()) })).optional(),
});

/** Why a rehearsal file cannot be reported on, as one sentence. */
export class RehearsalFileError extends Error {
  override readonly name = 'RehearsalFileError';
}

/** Reads the JSON `stepshift rehearse <scenario> --json` printed for one scenario. */
export async function readRehearsalFile(file: string): Promise<RehearsalRun> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new RehearsalFileError(`${file} could not be read as JSON: ${why}`);
  }
  if (Array.isArray(value)) {
    throw new RehearsalFileError(
      `${file} holds ${value.length} rehearsals; a report is of one release: rehearse one scenario with --json`,
    );
  }
  const parsed = rehearsalRunSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RehearsalFileError(
      `${file} is not what \`stepshift rehearse <scenario> --json\` prints: ${issue?.path.join('.') || 'the document'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
