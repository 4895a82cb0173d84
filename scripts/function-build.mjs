// How each Lambda function's code is built (scripts/build.mjs writes it to dist/functions/<name>/;
// test/scripts/function-build.test.ts builds it in memory to see what each holds).

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REGEX_ENGINE_STAND_IN = fileURLToPath(new URL('./function-stubs/regex-engine.mjs', import.meta.url));

/**
 * RE2's engine (re2js, about 150 KB) in a file of its own, re2js.cjs, required the first time a
 * pattern is checked: only an A/B header regex or an ECR source's tag pattern has one, and loading it
 * with the rest would cost every Prepare a quarter more code to load, and every CLI command that
 * reads a profile an eighth more. The bundle's folder gets the file (regexEngineBuildOptions).
 */
export const regexEngineApart = {
  name: 'regex-engine-apart',
  setup(b) {
    b.onResolve({ filter: /\/regex-engine\.ts$/ }, (args) =>
      args.importer.endsWith('/core/regex.ts') ? { path: REGEX_ENGINE_STAND_IN } : undefined,
    );
  },
};

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
const REQUIRE_SHIM = {
  js: "import { createRequire as __stepshiftRequire } from 'node:module'; const require = __stepshiftRequire(import.meta.url);",
};

/**
 * What the functions' and the CLI's bundles share: minified ES modules for node, split into chunks
 * along import() (loaded when first used), from the packages' ES module builds first (esbuild keeps
 * only what the code calls of them, where each SDK client's CommonJS build is one file holding every
 * command of its service), with the require() shim.
 */
export const SPLIT_ESM = {
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: '[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  logLevel: 'warning',
};

/** esbuild's options for one function: dist/functions/<name>/index.mjs and its lazy chunks. */
export function functionBuildOptions(name) {
  return {
    ...SPLIT_ESM,
    entryPoints: { index: `functions/${name}.ts` },
    outdir: `dist/functions/${name}`,
    // An ES module by its extension (.mjs), wherever it is copied (Lambda developer guide,
    // "Designating a function handler as an ES module"); the handler setting stays index.handler.
    // Each router's code and SDK client is a chunk of its own, imported when a release first uses
    // that router (routers/adapters.ts), so a function loads one router's client, not four.
    target: 'node24',
    // Every SDK client is bundled, at the versions the rehearsal runs against, not whichever the
    // runtime ships.
    legalComments: 'none',
    // Linked maps beside the code; the construct uploads them only with its sourceMaps prop.
    sourcemap: 'linked',
    // Lambda gives a function its role's keys in environment variables: the default chain's other
    // providers are dead weight there (adapters/aws/lambda-credentials.ts).
    alias: { '@aws-sdk/credential-provider-node': './adapters/aws/lambda-credentials.ts' },
    plugins: [regexEngineApart],
  };
}

/** esbuild's options for re2js.cjs, RE2's engine as the functions require it (regexEngineApart). */
export function regexEngineBuildOptions(outdir, target = 'node24') {
  return {
    entryPoints: ['re2js'],
    outfile: `${outdir}/re2js.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target,
    minify: true,
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/**
 * Builds one function into dist/functions/<name>/ (or `outdir`), with re2js.cjs beside it when its
 * code checks patterns.
 */
export async function buildFunction(name, outdir = `dist/functions/${name}`) {
  const { metafile } = await build({ ...functionBuildOptions(name), outdir, metafile: true });
  if (checksPatterns(metafile)) await build(regexEngineBuildOptions(outdir));
}

/** Whether a build's code checks patterns, by its metafile: then re2js.cjs goes beside it. */
export function checksPatterns(metafile) {
  return Object.keys(metafile.inputs).some((input) => input.endsWith('function-stubs/regex-engine.mjs'));
}
