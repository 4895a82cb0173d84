import type * as z from 'zod/mini';
import type { ReleaseProfile } from '../profile/profile.ts';

import type { TriggerKind } from '../shapes.ts';
import { fieldPath } from '../validation.ts';

type RequestField = 'service' | 'version' | 'releaseId' | 'overrides';

/**
 * A trigger's payload turned into the shape of a release request, not yet validated, remembering where
 * each field came from so that a problem names the field of the payload the person wrote.
 */
export interface RequestCandidate {
  readonly trigger: TriggerKind;
  /** The would-be ReleaseRequest, for requestSchema to judge. */
  readonly request: unknown;
  /** Where the request sits in the payload: "request" (the input itself) or "event.detail". */
  readonly root: string;
  /** Fields whose value came from somewhere other than `${root}.<field>`, e.g. version <- "event.detail.image-tag". */
  readonly from: Readonly<Partial<Record<RequestField, string>>>;
  /** The service's profile, already checked, when the trigger had to read it to name the service (ECR). */
  readonly profile?: ReleaseProfile;
}

/** Where a path inside the request came from in the trigger's payload, e.g. ["version"] -> "event.detail.image-tag". */
export function originOf(candidate: RequestCandidate, path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  const from = typeof head === 'string' ? candidate.from[head as RequestField] : undefined;
  return from ? fieldPath([from, ...rest]) : fieldPath([candidate.root, ...path]);
}

/** requestSchema's problems as sentences, each naming the payload's own field. */
export function describeCandidateIssues(error: z.core.$ZodError, candidate: RequestCandidate): string[] {
  return error.issues.map((issue) => `${originOf(candidate, issue.path)}: ${issue.message}`);
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A raw profile's service name, for a refusal that names the profiles claiming a source. */
export function serviceOf(profile: unknown): string {
  const service = isJsonObject(profile) ? profile.service : undefined;
  return typeof service === 'string' ? service : '(a profile with no service)';
}
