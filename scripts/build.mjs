// `npm run build`: the CLI as one ESM bundle in dist/cli/, so `stepshift` starts without tsx or
// TypeScript, and each Lambda function's code in dist/functions/<name>/, which the construct deploys
// as it is (infra/task-functions.ts). dist/cli/ sits two folders below the package's root, as
// rehearsal/platform/ does, so the rehearsal finds statemachines/*.asl.json by the same relative URL.
import { build } from 'esbuild';
import { FUNCTIONS, functionBuildOptions } from './function-build.mjs';

const started = Date.now();
await Promise.all([
  build({
    entryPoints: { stepshift: 'cli/main.ts' },
    outdir: 'dist/cli',
    outExtension: { '.js': '.mjs' },
    // Each command's module is a chunk of its own, loaded when that command runs (cli/main.ts); the
    // chunks sit beside the entry, two folders below the root, for the ASL's relative URL.
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    // CommonJS packages in an ESM bundle still call require() for node's own modules.
    banner: {
      js: "import { createRequire as __stepshiftRequire } from 'node:module'; const require = __stepshiftRequire(import.meta.url);",
    },
    // dynalite loads its operations by computed path (require('./validations/' + action)): it stays a dependency.
    external: ['dynalite'],
    logLevel: 'warning',
  }),
  ...FUNCTIONS.map((name) => build(functionBuildOptions(name))),
]);
console.log(
  `built dist/cli/stepshift.mjs and dist/functions/{${FUNCTIONS.join(',')}} in ${Date.now() - started} ms`,
);
