import { stat } from 'node:fs/promises';
import type { DoctorCheck } from '#core/doctor/check.ts';
import { InvalidRequestError } from '#core/errors.ts';
import { parseProfile, type ReleaseProfile } from '#core/profile/profile.ts';
import { profileFilesIn, readProfile } from '#infra/profiles-from.ts';
import { routerKinds } from '#routers/registry.ts';

/** A profile file as doctor found it: the profile, or the findings that say why it is not one. */
export type ProfileEntry =
  | { readonly file: string; readonly profile: ReleaseProfile }
  | { readonly file: string; readonly checks: DoctorCheck[] };

/** The field and problem of a sentence describeIssues wrote ("profile.router.type: ..."). */
function asFinding(problem: string): DoctorCheck {
  const match = /^profile\.?([^:]*): (.*)$/s.exec(problem);
  return { status: 'finding', field: match?.[1] || 'profile', message: match?.[2] ?? problem };
}

function entryOf(file: string): ProfileEntry {
  try {
    const input = readProfile(file);
    return { file, profile: parseProfile(input, routerKinds) };
  } catch (error) {
    const cause = (error as Error).cause;
    if (cause instanceof InvalidRequestError) return { file, checks: cause.problems.map(asFinding) };
    const message = (error as Error).message.replace(/^profilesFrom: /, '');
    return { file, checks: [{ status: 'finding', field: 'profile', message }] };
  }
}

/**
 * The profiles at `path`: one file, or every profile file of a folder, each read and validated as the
 * construct's profilesFrom reads it. A file that is not a valid profile is an entry of findings (its
 * fields and what to change); a path that cannot be read is thrown, as a sentence.
 */
export async function profilesAt(path: string): Promise<ProfileEntry[]> {
  let folder: boolean;
  try {
    folder = (await stat(path)).isDirectory();
  } catch (error) {
    throw new Error(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; give a profile file or a folder of them`,
    );
  }
  if (!folder) return [entryOf(path)];
  return profileFilesIn(path).map(entryOf);
}

/** A scenario's own profile, validated, as an entry named after the scenario file. */
export function scenarioProfile(file: string, raw: unknown): ProfileEntry {
  try {
    return { file, profile: parseProfile(raw, routerKinds) };
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    return { file, checks: error.problems.map(asFinding) };
  }
}
