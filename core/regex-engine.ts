import { RE2JS } from 're2js';

/**
 * RE2's engine (re2js), for core/regex.ts. Here it is imported with the rest of the code; the
 * functions' build puts it in a file of its own, required the first time a pattern is checked
 * (scripts/function-build.mjs), since most profiles hold no pattern and it is a quarter of Prepare's code.
 */
export function regexEngine(): typeof RE2JS {
  return RE2JS;
}
