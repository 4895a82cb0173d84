import { describe, expect, it } from 'vitest';
import { matchesWhole, regexProblem } from '#core/regex.ts';

/** The pattern and tag of issue 12: JavaScript's RegExp backtracks for seconds on 30 digits and an "x". */
const CATASTROPHIC = '^v(\\d+\\.?)+$';
const crafted = (digits: number) => `v${'1'.repeat(digits)}x`;

describe('patterns from profiles and events', () => {
  it('match the whole text, as ^(?:pattern)$ would', () => {
    expect(matchesWhole('^v[0-9]+$', 'v12')).toBe(true);
    expect(matchesWhole('v[0-9]+', 'v12-rc')).toBe(false);
    expect(matchesWhole('a|ab', 'ab')).toBe(true);
    expect(matchesWhole(CATASTROPHIC, 'v1.2.3')).toBe(true);
  });

  it('finish on the catastrophic case of issue 12, and on a tag a thousand times longer', () => {
    // With JavaScript's RegExp the first call alone takes seconds (9 s measured at 30 digits).
    expect(matchesWhole(CATASTROPHIC, crafted(30))).toBe(false);
    expect(matchesWhole(CATASTROPHIC, crafted(36))).toBe(false);
    expect(matchesWhole(CATASTROPHIC, crafted(30_000))).toBe(false);
    expect(matchesWhole(CATASTROPHIC, `v${'1'.repeat(127)}`)).toBe(true);
  });

  it('are refused, with why, when RE2 cannot evaluate them in linear time', () => {
    expect(regexProblem('^v[0-9]+$')).toBeUndefined();
    expect(regexProblem('(a)\\1')).toMatch(
      /^invalid escape sequence: `\\1`; stepshift evaluates patterns with RE2 syntax, in linear time, which has no backreferences/,
    );
    expect(regexProblem('v(?=1)')).toMatch(/^invalid or unsupported Perl syntax: `\(\?=`; .*no lookaround/);
    expect(regexProblem('v[0-9')).toMatch(/^missing closing \]: `\[0-9`; /);
    expect(matchesWhole('(a)\\1', 'aa')).toBe(false);
  });
});
