// How the CLI's bundle is built (scripts/build.mjs writes it to dist/cli/).
import { fileURLToPath } from 'node:url';
import { regexEngineApart, SPLIT_ESM } from './function-build.mjs';

const STUBS = fileURLToPath(new URL('./cli-stubs/', import.meta.url));

/**
 * Modules two packages import though the rehearsal never reaches the code that uses them, each with
 * the stand-in the CLI's bundle gets in their place (cli-stubs/README.md): importing package ->
 * module -> stand-in. Only those packages' imports are replaced; stepshift's own are untouched.
 */
const STAND_INS = {
  'aws-local-stepfunctions': {
    'asl-validator': 'asl-validator.mjs',
    '@aws-sdk/client-lambda': 'lambda-invoke.mjs',
    '@aws-sdk/credential-providers': 'lambda-invoke.mjs',
  },
  dynalite: { level: 'level.mjs' },
};

const standIns = {
  name: 'stand-ins',
  setup(build) {
    const modules = new Set(Object.values(STAND_INS).flatMap((m) => Object.keys(m)));
    const escaped = [...modules].map((m) => m.replace(/[/.-]/g, '\\$&'));
    build.onResolve({ filter: new RegExp(`^(${escaped.join('|')})$`) }, (args) => {
      const from = /\/node_modules\/([^/]+)\//.exec(args.importer)?.[1];
      const standIn = from === undefined ? undefined : STAND_INS[from]?.[args.path];
      return standIn === undefined ? undefined : { path: `${STUBS}${standIn}` };
    });
  },
};

/** esbuild's options for the CLI: dist/cli/stepshift.mjs and a chunk per command (cli/main.ts). */
export const cliBuildOptions = {
  ...SPLIT_ESM,
  entryPoints: { stepshift: 'cli/main.ts' },
  // Each command's module is a chunk of its own, loaded when that command runs (cli/main.ts); the
  // chunks sit beside the entry, two folders below the root, for the ASL's relative URL.
  outdir: 'dist/cli',
  target: 'node20',
  plugins: [standIns, regexEngineApart],
};
