// `npm run build` (and npm's prepare): everything the package ships as JavaScript, so that neither the
// CLI nor a consumer's synth needs tsx, TypeScript or esbuild:
// - dist/cli/: the CLI as one ESM bundle. It sits two folders below the package's root, as
//   rehearsal/platform/ does, so the rehearsal finds statemachines/*.asl.json by the same relative URL.
// - dist/functions/<name>/: each Lambda function's code (index.mjs and its lazy chunks,
//   scripts/function-build.mjs), which the construct deploys as it is (infra/task-functions.ts).
// - dist/cdk.mjs and dist/profile.mjs: `stepshift/cdk` and `stepshift/profile`. They sit one folder
//   below the root, as infra/ does, so the construct finds statemachines/ and dist/functions/ by the
//   same relative URL. Their declarations are scripts/build-types.mjs's (npm pack runs both).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { cliBuildOptions } from './cli-build.mjs';
import { buildFunction, FUNCTIONS, regexEngineBuildOptions } from './function-build.mjs';
import { libraryBuildOptions } from './library-build.mjs';

const started = Date.now();
// Chunks are named by their content's hash: an earlier build's would otherwise stay, and be packed.
// The declarations are scripts/build-types.mjs's, which npm pack runs before this (prepack, prepare).
rmSync('dist/cli', { recursive: true, force: true });
rmSync('dist/functions', { recursive: true, force: true });
for (const file of existsSync('dist') ? readdirSync('dist') : []) {
  if (file.endsWith('.mjs')) rmSync(`dist/${file}`);
}

// The CLI's commands that read profiles require RE2's engine beside them when a pattern is checked.
const cli = Promise.all([
  build(cliBuildOptions),
  build(regexEngineBuildOptions('dist/cli', cliBuildOptions.target)),
]);

// Each function on its own, split per router (scripts/function-build.mjs): a function loads one
// router's SDK client, not four.
const functions = Promise.all(FUNCTIONS.map((name) => buildFunction(name)));

// The construct and the profile's schema (scripts/library-build.mjs).
const library = build(libraryBuildOptions);

await Promise.all([cli, library, functions]);
console.log(
  `built dist/cli/stepshift.mjs, dist/cdk.mjs, dist/profile.mjs and ${FUNCTIONS.length} functions in dist/functions/ in ${Date.now() - started} ms`,
);
