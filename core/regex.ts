import { regexEngine } from './regex-engine.ts';

/**
 * Every pattern a profile, a request or an event holds runs on RE2's engine (re2js), never on
 * JavaScript's backtracking RegExp: RE2 matches in time linear in the text whatever the pattern, so a
 * pattern such as "^v(\d+\.?)+$" cannot hold a function for seconds on a crafted tag. RE2's syntax
 * has no backreferences and no lookaround, which is what makes that guarantee possible; header
 * regexes are checked with it too, so one dialect holds for every pattern a profile writes.
 * Regexes written in stepshift's own source stay JavaScript RegExp: their authors are us.
 */
const PREFIX = 'error parsing regexp: ';

/** Why a pattern cannot be compiled by RE2, in words, or undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  try {
    regexEngine().compile(pattern);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const what = message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message;
    return `${what}; stepshift evaluates patterns with RE2 syntax, in linear time, which has no backreferences (\\1) and no lookaround ((?=, (?!, (?<=, (?<!)`;
  }
}

/**
 * Whether the whole text matches the pattern (as if it were wrapped in ^(?:...)$), in time linear in
 * the text. A pattern that does not compile matches nothing; profiles are checked with regexProblem
 * before they are used.
 */
export function matchesWhole(pattern: string, text: string): boolean {
  try {
    return regexEngine().compile(pattern).testExact(text);
  } catch {
    return false;
  }
}
