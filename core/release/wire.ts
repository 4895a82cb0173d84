import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { CorruptStateError, InvalidRequestError } from '../errors.ts';
import type { ReleaseDeps, StoredProfile } from '../ports.ts';
import type { ReleaseProfile } from '../profile/profile.ts';

import { assertReleaseProgress, type ReleaseProgress, type ReleaseState } from './state.ts';

/**
 * The release as it travels between the state machine's states: each state's input and output, and so
 * the execution's history, and its logs when the construct's executionLogging includes data. It is
 * everything but the profile, which Prepare stores in the table (`execution#<execution ARN>` /
 * `profile`) and which travels here as its digest. So hook URLs and other profile text never reach
 * history, the payload stays a few KiB however large the profile, and a profile redeployed while a
 * release runs does not change that release.
 */
export interface ReleaseWire extends ReleaseProgress {
  /** sha256 (hex) of the canonical JSON (RFC 8785) of the profile this release runs with. */
  readonly profileDigest: string;
}

/**
 * The profile a release runs with, as Prepare stores it: its canonical JSON and that text's digest.
 * @throws InvalidRequestError when the profile holds text canonical JSON cannot carry (a lone surrogate).
 */
export function storedProfileOf(executionId: string, profile: ReleaseProfile): StoredProfile {
  let json: string;
  try {
    json = canonicalJson(profile);
  } catch (error) {
    throw new InvalidRequestError([
      `profile: cannot be stored as canonical JSON (${(error as Error).message}); write its text as valid Unicode, without a lone surrogate such as "\\ud800"`,
    ]);
  }
  return { executionId, digest: sha256(json), json };
}

/** The release as the next state receives it: the profile replaced by its digest. */
export function toWire(state: ReleaseState): ReleaseWire {
  const { profile, ...progress } = state;
  return { ...progress, profileDigest: sha256(canonicalJson(profile)) };
}

/**
 * The release a state's function works with, from the wire form it received: the profile this execution
 * stored at Prepare, checked against the digest the state carries. Other fields the state machine added
 * (a caught `failure`, an `interrupt`) come along.
 * @throws CorruptStateError when the state is not stepshift's, or the stored profile is missing or is
 * not the one the release started with: a release never goes on with another profile.
 */
export async function loadRelease(
  input: unknown,
  deps: Pick<ReleaseDeps, 'releaseProfiles'>,
): Promise<ReleaseState> {
  assertReleaseProgress(input);
  const { profileDigest, ...progress } = input as ReleaseWire;
  if (typeof profileDigest !== 'string') {
    throw new CorruptStateError(
      'the release state handed to this step has no profileDigest, so this version of stepshift did not write it; start a new release instead of redriving this one',
    );
  }
  const item = `table item execution#${progress.executionId} / profile`;
  const stored = await deps.releaseProfiles.get(progress.executionId);
  if (!stored) {
    throw new CorruptStateError(
      `no profile is stored for this release (${item}, written by Prepare): it was deleted, or expired; a release does not go on without the profile it started with, so start a new release`,
    );
  }
  let profile: unknown;
  try {
    profile = JSON.parse(stored.json);
  } catch {
    profile = undefined;
  }
  const found = profile !== null && typeof profile === 'object' ? sha256(canonicalJson(profile)) : 'none';
  if (found !== profileDigest) {
    throw new CorruptStateError(
      `the profile stored for this release (${item}) has sha256 ${found}, not ${profileDigest} as when the release started: it was changed after Prepare wrote it, and a release never goes on with another profile; start a new release`,
    );
  }
  return { ...progress, profile: profile as ReleaseProfile };
}

/**
 * loadRelease for one Lambda instance, which remembers the last profile it loaded and checked: the same
 * execution with the same digest is that same profile, so a warm instance reads the table once per
 * execution, not at every check. A release still never runs with another profile: the memory is keyed
 * by the digest, and an instance without it loads and checks the item as loadRelease does.
 */
export function releaseLoader(
  deps: Pick<ReleaseDeps, 'releaseProfiles'>,
): (input: unknown) => Promise<ReleaseState> {
  let last: { readonly executionId: string; readonly digest: string; readonly json: string } | undefined;
  return async (input) => {
    assertReleaseProgress(input);
    const { profileDigest, ...progress } = input as ReleaseWire;
    if (last && last.executionId === progress.executionId && last.digest === profileDigest) {
      // Parsed again, so no invocation can see another's changes to it.
      return { ...progress, profile: JSON.parse(last.json) as ReleaseProfile };
    }
    const loaded = await loadRelease(input, deps);
    last = { executionId: progress.executionId, digest: profileDigest, json: JSON.stringify(loaded.profile) };
    return loaded;
  };
}

/** RFC 8785's canonical JSON: the same profile gives the same text, whatever order its keys came in. */
function canonicalJson(value: object): string {
  return canonicalize(value) as string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
