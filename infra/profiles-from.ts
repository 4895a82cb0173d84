import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InvalidRequestError } from '#core/errors.ts';
import { type ProfileInput, parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

const PROFILE_FILE = /\.(json|ya?ml)$/i;

/**
 * The release profiles of a folder: every .json, .yaml and .yml file in it (not its subfolders), one
 * profile each, in file-name order, for `new ReleaseOrchestrator(scope, id, { profiles: profilesFrom(dir) })`.
 * Each is checked here as Prepare would check it, so a bad one fails the synth with a sentence that
 * names its file and field. A `$schema` key, for an editor's completion, is dropped.
 */
export function profilesFrom(folder: string): ProfileInput[] {
  return profileFilesIn(folder).map(readProfile);
}

/** The profile files of a folder (.json, .yaml, .yml; not its subfolders), in file-name order, with their paths. */
export function profileFilesIn(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile() && PROFILE_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new Error(`profilesFrom: cannot read the folder ${folder}: ${(error as Error).message}`);
  }
  if (names.length === 0) {
    throw new Error(
      `profilesFrom: ${folder} holds no profile (.json, .yaml or .yml files); write one per service`,
    );
  }
  return names.map((name) => join(folder, name));
}

/**
 * One profile file, checked as Prepare would check it.
 * @throws Error naming the file and what is wrong; for a profile the schema refuses, its cause is the
 * InvalidRequestError with every problem by field.
 */
export function readProfile(file: string): ProfileInput {
  const text = readFileSync(file, 'utf8');
  let document: unknown;
  try {
    document = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? ` at line ${error.linePos?.[0]?.line ?? '?'}` : '';
    throw new Error(
      `profilesFrom: ${file} is not valid ${extname(file).slice(1).toUpperCase()}${where}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(
      `profilesFrom: ${file} must hold one release profile, an object with service, router and strategy`,
    );
  }
  const { $schema: _schema, ...profile } = document as Record<string, unknown>;
  try {
    parseProfile(profile, routerKinds);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    throw new Error(`profilesFrom: ${file} is not a valid release profile: ${error.problems.join('; ')}`, {
      cause: error,
    });
  }
  return profile as ProfileInput;
}
