// How each Lambda function's code is built (scripts/build.mjs writes it to dist/functions/<name>/;
// test/functions/bundles.test.ts builds it in memory to see what each holds).

/** Every function the construct deploys, by its file under functions/ (DeployedFunction, lowercased). */
export const FUNCTIONS = [
  'prepare',
  'shift',
  'bake',
  'analyze',
  'promote',
  'finish',
  'rollback',
  'guard',
  'alarm',
];

/** CommonJS packages in an ESM bundle still call require() for node's own modules. */
export const REQUIRE_SHIM = {
  js: "import { createRequire as __stepshiftRequire } from 'node:module'; const require = __stepshiftRequire(import.meta.url);",
};

/** esbuild's options for one function: dist/functions/<name>/index.mjs and its lazy chunks. */
export function functionBuildOptions(name) {
  return {
    entryPoints: { index: `functions/${name}.ts` },
    outdir: `dist/functions/${name}`,
    // An ES module by its extension, wherever it is copied (Lambda developer guide, "Designating a
    // function handler as an ES module"); the handler setting stays index.handler.
    outExtension: { '.js': '.mjs' },
    // Each router's code and SDK client is a chunk of its own, imported when a release first uses
    // that router (routers/adapters.ts), so a function loads one router's client, not four.
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    // The packages' ES module builds first: esbuild keeps only what the code calls of them, where
    // each SDK client's CommonJS build is one file holding every command of its service. Every SDK
    // client is bundled, at the versions the rehearsal runs against, not whichever the runtime ships.
    mainFields: ['module', 'main'],
    legalComments: 'none',
    // Linked maps beside the code; the construct uploads them only with its sourceMaps prop.
    sourcemap: 'linked',
    // Lambda gives a function its role's keys in environment variables: the default chain's other
    // providers are dead weight there (adapters/aws/lambda-credentials.ts).
    alias: { '@aws-sdk/credential-provider-node': './adapters/aws/lambda-credentials.ts' },
    banner: REQUIRE_SHIM,
    logLevel: 'warning',
  };
}
