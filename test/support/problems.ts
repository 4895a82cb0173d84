import { InvalidRequestError } from '#core/errors.ts';

/** The sentences of the InvalidRequestError `fn` throws; fails the test if it throws nothing or another error. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.problems;
    throw error;
  }
  throw new Error('expected InvalidRequestError');
}
