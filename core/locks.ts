import * as z from 'zod/mini';
import { CorruptRecordError } from './errors.ts';
import { oncePer } from './once-per.ts';
import type { ReleaseSnapshot, RouterKinds } from './ports.ts';
import { routerSchemaFor } from './profile/router.ts';
import { findStable } from './targets.ts';
import { describeIssues, requiredString, strictObject } from './validation.ts';

/** A new holder's fence: it rises each time the guard takes the route over from an ended execution. */
export const FIRST_FENCE = 1;

const weight = z
  .number({ error: 'is not a number; a weight is a whole number 0..999' })
  .check(
    z.int({ error: 'is not a whole number; a weight is a whole number 0..999' }),
    z.gte(0, { error: 'is below 0; a weight is a whole number 0..999' }),
    z.lte(999, { error: 'is above 999; a weight is a whole number 0..999' }),
  );
const target = strictObject('a target', {
  name: requiredString('the target the weight goes to'),
  weight,
  port: z.optional(z.number().check(z.int(), z.gte(1), z.lte(65_535))),
});

/**
 * A snapshot record as Prepare writes it, and what Prepare checked before writing it: exactly one
 * target of the snapshot carries traffic, and it is the release's stable. An edited record (a split,
 * a stable that is not the one carrying traffic, step weights outside 0..100) fails this.
 */
const buildSnapshotRecordSchema = (kinds: RouterKinds) =>
  strictObject('a snapshot record', {
    executionId: requiredString('the execution the record belongs to', 2048),
    releaseId: requiredString('the release id'),
    service: requiredString('the service'),
    version: requiredString('the version released'),
    routeKey: requiredString("the route's ARN", 2048),
    router: routerSchemaFor(kinds),
    snapshot: z.array(target).check(z.minLength(1), z.maxLength(10)),
    cast: strictObject('the cast', {
      stable: requiredString('the stable target'),
      canary: requiredString('the canary target'),
    }),
    steps: z.array(z.number().check(z.int(), z.gte(0), z.lte(100))).check(z.minLength(1)),
    sideRoute: z.optional(requiredString("the side route's name")),
  }).check(
    z.superRefine((record, ctx) => {
      const found = findStable(record.snapshot);
      if ('problem' in found) ctx.addIssue({ code: 'custom', path: ['snapshot'], message: found.problem });
      else if (found.stable.name !== record.cast.stable) {
        ctx.addIssue({
          code: 'custom',
          path: ['cast', 'stable'],
          message: `is ${record.cast.stable}, but the snapshot's traffic is on ${found.stable.name}`,
        });
      }
      if (record.cast.stable === record.cast.canary) {
        ctx.addIssue({ code: 'custom', path: ['cast', 'canary'], message: 'is the stable target itself' });
      }
    }),
  );

/** The snapshot record's schema for these router kinds, built once per list of kinds. */
const snapshotRecordSchema = oncePer(buildSnapshotRecordSchema);

/**
 * Checks a stored snapshot record before anything in it is trusted: its shape, the invariants Prepare
 * held when it wrote it, and that it belongs to the execution it was read for.
 * @throws CorruptRecordError naming every problem.
 */
export function parseSnapshotRecord(
  value: unknown,
  executionId: string,
  where: string,
  kinds: RouterKinds,
): ReleaseSnapshot {
  const parsed = snapshotRecordSchema(kinds).safeParse(value);
  const problems = parsed.success ? [] : describeIssues(parsed.error, 'record');
  if (parsed.success && parsed.data.executionId !== executionId) {
    problems.push(
      `record.executionId: is ${parsed.data.executionId}, not ${executionId}, whose record it is`,
    );
  }
  if (!parsed.success || problems.length) {
    throw new CorruptRecordError(
      `the snapshot record ${where} is not one stepshift wrote: ${problems.join('; ')}`,
      problems,
    );
  }
  return parsed.data as ReleaseSnapshot;
}

/** A record that could not be parsed at all (not JSON). */
export function unreadableSnapshotRecord(where: string, why: string): CorruptRecordError {
  return new CorruptRecordError(`the snapshot record ${where} is not one stepshift wrote: ${why}`, [why]);
}
