import * as z from 'zod';
import { parseDuration } from '#core/duration.ts';
import { objectError, show } from '#core/validation.ts';

/**
 * What VPC Lattice's and ALB's simulators share: a person's changes by hand (the console), scripted as
 * a route's `edits` and applied at their virtual time (the same weights on either router, so a
 * scenario's twins script the same edit), and the weights both services take, 0..999.
 */

const editedAt = z
  .string({ error: (iss) => `${show(iss.input)} is not a duration; write when the person acts like "8m"` })
  .transform((text, ctx) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${show(text)} is not a duration; write when the person acts like "8m"`,
      });
      return z.NEVER;
    }
    return seconds;
  });

export const MAX_WEIGHT = 999;

/** Weights by target group name: what the forward action holds after a person's edit. */
const weightsSchema = z.record(
  z.string(),
  z
    .number({ error: (iss) => `${show(iss.input)} is not a weight; give a whole number 0..999` })
    .int({ error: (iss) => `${show(iss.input)} is not a whole number; weights are whole numbers 0..999` })
    .min(0, { error: 'is below 0; weights are whole numbers 0..999' })
    .max(MAX_WEIGHT, { error: 'is above 999; weights are whole numbers 0..999' }),
  { error: 'give the weights by target group name, e.g. {"orders-v1": 100}' },
);

const EDIT_FIELDS = ['at', 'weights'] as const;
const editSchema = z.strictObject(
  { at: editedAt, weights: weightsSchema },
  { error: objectError('an edit', EDIT_FIELDS) },
);

/** A route's scripted edits. */
export const editsSchema = z.array(editSchema).default([]);

export type WeightEdit = z.output<typeof editSchema>;

export function isWeight(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_WEIGHT;
}

/** An edit may set weights only of declared target groups. */
export function editedGroups(
  edits: readonly WeightEdit[],
  names: readonly string[],
  path: (string | number)[],
  where: string,
  ctx: z.RefinementCtx,
): void {
  edits.forEach((edit, k) => {
    for (const name of Object.keys(edit.weights)) {
      if (!names.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, k, 'weights', name],
          message: `is not a declared target group; declare it in ${where}`,
        });
      }
    }
  });
}

/** Edits due by `at` are applied once, in time order. */
export function applyDue<R extends { edits: readonly WeightEdit[] }>(
  routes: readonly R[],
  applied: Set<WeightEdit>,
  at: number,
  apply: (route: R, weights: Record<string, number>) => void,
): void {
  for (const route of routes) {
    for (const edit of route.edits) {
      if (edit.at <= at && !applied.has(edit)) {
        applied.add(edit);
        apply(route, edit.weights);
      }
    }
  }
}
