// core/regex-engine.ts as the functions' build has it: RE2's engine is the file re2js.cjs beside the
// function's chunks (scripts/function-build.mjs), required the first time a pattern is checked.
import { createRequire } from 'node:module';

let engine;

export function regexEngine() {
  engine ??= createRequire(import.meta.url)('./re2js.cjs').RE2JS;
  return engine;
}
