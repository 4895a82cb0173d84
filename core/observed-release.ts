import type { Halt, ReleaseProgress } from './release/state.ts';
import { isJsonObject } from './triggers/candidate.ts';

/**
 * The release state as an execution's history carries it (core/release/wire.ts): each task state's
 * input and output. `stepshift report` and the views (list, history, watch, status) read it from the
 * same places, so they read it as this one type. Every field may be missing, at any depth: a history
 * keeps what another version of stepshift wrote, and a person may have redriven an edited state.
 */
export type ObservedReleaseState = Partial<
  Pick<
    ReleaseProgress,
    | 'v'
    | 'releaseId'
    | 'service'
    | 'version'
    | 'snapshot'
    | 'written'
    | 'step'
    | 'check'
    | 'failedChecks'
    | 'signals'
    | 'signalsOmitted'
    | 'bakeSeconds'
    | 'heldSince'
  >
> & {
  readonly plan?: {
    readonly steps?: readonly { readonly weight?: number }[];
    readonly totalSeconds?: number;
  };
  readonly cast?: Partial<ReleaseProgress['cast']>;
  readonly halt?: Partial<Halt>;
  readonly frozen?: Partial<NonNullable<ReleaseProgress['frozen']>>;
  readonly awaiting?: Partial<NonNullable<ReleaseProgress['awaiting']>>;
};

/** The JSON object a history event's text holds (an input or an output), or undefined: not JSON, or not an object. */
export function jsonObjectIn(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The release state in a state's input or output as its history event holds it. Any JSON object
 * passes: which states carry the release, and which version of it, is the reader's to judge.
 */
export function releaseStateIn(text: string | undefined): ObservedReleaseState | undefined {
  return jsonObjectIn(text) as ObservedReleaseState | undefined;
}
