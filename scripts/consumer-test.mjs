// `npm run test:consumer`: stepshift as a team adopts it. Packs the package as `npm publish` would
// (prepack builds it), installs the tarball into a fresh project beside aws-cdk-lib, constructs and
// cdk-nag at this repository's pinned versions (from npm's cache where it can), and there:
// (a) `npx stepshift --version` and `npx stepshift rehearse` of a scenario the package ships work;
// (b) the CDK app docs/deploying.md shows reads its profiles folder and synthesizes cdk-nag clean,
//     without esbuild or TypeScript installed: the functions' code comes prebuilt;
// (c) the declarations of `stepshift/cdk` and `stepshift/profile` type-check a consumer's TypeScript.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'stepshift-consumer-'));
const app = join(work, 'app');
const started = Date.now();
let passed = 0;

/** Runs a command to its end; a failure stops the test with what it printed. */
function run(what, command, args, options = {}) {
  const begun = Date.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const seconds = ((Date.now() - begun) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`consumer test: ${what} failed (exit ${result.status}, ${seconds} s)`);
    console.error(`${result.stdout ?? ''}${result.stderr ?? ''}`.slice(-6000));
    process.exit(1);
  }
  console.log(`consumer test: ${what} (${seconds} s)`);
  return result.stdout;
}

function check(what, ok, detail = '') {
  if (!ok) {
    console.error(`consumer test: FAILED: ${what}${detail ? `\n${detail}` : ''}`);
    process.exit(1);
  }
  passed += 1;
  console.log(`consumer test: ok: ${what}`);
}

// 1. Pack, as `npm publish` would: prepack builds the JavaScript and the declarations.
const packed = run('npm pack', 'npm', ['pack', '--json', '--pack-destination', work], { cwd: repo });
const [tarball] = JSON.parse(packed.slice(packed.indexOf('[\n')));
const files = tarball.files.map((f) => f.path);
console.log(
  `consumer test: ${tarball.filename}: ${(tarball.size / 1e6).toFixed(2)} MB packed, ${(tarball.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${tarball.entryCount} files`,
);
const leaked = files.filter(
  (f) =>
    /^(test|core|infra|routers|adapters|functions|rehearsal|cli|scripts|bench)\//.test(f) ||
    /\.ts$/.test(f.replace(/\.d\.ts$/, '')) ||
    /^examples\/.+\//.test(f),
);
check("the package holds no sources, tests or examples' twins", leaked.length === 0, leaked.join('\n'));
const maps = files.filter((f) => f.endsWith('.map'));
check('the package holds no source maps', maps.length === 0, maps.join('\n'));
const expected = [
  'bin/stepshift.mjs',
  'dist/cli/stepshift.mjs',
  'dist/cdk.mjs',
  'dist/cdk.d.ts',
  'dist/profile.mjs',
  'dist/profile.d.ts',
  'docs/profile.schema.json',
  'statemachines/release.asl.json',
  'statemachines/guard.asl.json',
  'dist/functions/prepare/index.mjs',
  'THIRD_PARTY_NOTICES.md',
];
const missing = expected.filter((f) => !files.includes(f));
check(
  "the package holds the CLI, both entries with their declarations, the ASL, the functions and the bundled packages' licences",
  missing.length === 0,
  missing.join('\n'),
);

// 2. A fresh project with the package and the peers the CDK app needs, nothing else.
mkdirSync(app);
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
);
const peers = ['aws-cdk-lib', 'constructs', 'cdk-nag'].map(
  (name) => `${name}@${manifest.devDependencies[name]}`,
);
run(
  'npm install',
  'npm',
  [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--save-exact',
    join(work, tarball.filename),
    ...peers,
  ],
  { cwd: app },
);
check(
  'neither esbuild nor TypeScript is installed in the consumer',
  !existsSync(join(app, 'node_modules/esbuild')) &&
    !existsSync(join(app, 'node_modules/typescript')) &&
    !existsSync(join(app, 'node_modules/tsx')),
);
// The rehearsal's dynalite is inside the CLI's bundle, on memory only (scripts/cli-stubs/README.md).
check(
  'no dynalite and no native LevelDB is installed in the consumer',
  !existsSync(join(app, 'node_modules/dynalite')) && !existsSync(join(app, 'node_modules/classic-level')),
);

// (a) The CLI, as built JavaScript.
const version = run('npx stepshift --version', 'npx', ['--no-install', 'stepshift', '--version'], {
  cwd: app,
}).trim();
check(`stepshift --version prints ${manifest.version}`, version === manifest.version, version);
const scenario = 'node_modules/stepshift/examples/canary-healthy.json';
const report = JSON.parse(
  run('npx stepshift rehearse', 'npx', ['--no-install', 'stepshift', 'rehearse', scenario, '--json'], {
    cwd: app,
  }),
);
check(
  'the shipped canary-healthy scenario rehearses to "promoted"',
  report.outcome === 'promoted' && report.expectation?.met === true,
  JSON.stringify(report).slice(0, 400),
);

// (b) The CDK app of docs/deploying.md, with one profile in its own folder, named by its $schema.
const schema = 'node_modules/stepshift/docs/profile.schema.json';
check('the profile JSON Schema is where profiles name it', existsSync(join(app, schema)));
mkdirSync(join(app, 'profiles'));
const { profile } = JSON.parse(readFileSync(join(app, scenario), 'utf8'));
writeFileSync(
  join(app, 'profiles/orders.json'),
  `${JSON.stringify({ $schema: `../${schema}`, ...profile }, null, 2)}\n`,
);
const guide = readFileSync(join(repo, 'docs/deploying.md'), 'utf8');
const appSource = /<!-- consumer-app -->\s*```js\n([\s\S]*?)```/.exec(guide)?.[1];
check('docs/deploying.md shows the consumer app', Boolean(appSource));
writeFileSync(join(app, 'app.mjs'), appSource);
const out = join(work, 'cdk.out');
run('node app.mjs (synth with cdk-nag)', process.execPath, ['app.mjs'], {
  cwd: app,
  env: { ...process.env, CDK_OUTDIR: out },
});
const templateFile = readdirSync(out).find((f) => f.endsWith('.template.json'));
const template = JSON.parse(readFileSync(join(out, templateFile), 'utf8'));
const functions = Object.values(template.Resources).filter(
  (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler',
);
const machines = Object.values(template.Resources).filter(
  (r) => r.Type === 'AWS::StepFunctions::StateMachine',
);
check(
  `the template holds the functions (${functions.length}) and both state machines`,
  functions.length >= 8 && machines.length === 2,
);
const assets = readdirSync(out).filter(
  (f) => f.startsWith('asset.') && existsSync(join(out, f, 'index.mjs')),
);
check(`each function's code is the prebuilt index.mjs (${assets.length} assets)`, assets.length >= 8);

// The package ships no source maps, so asking for them fails the synth with a sentence, not a stack.
const withMaps = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    "import { App, Stack } from 'aws-cdk-lib'; import { profilesFrom, ReleaseOrchestrator } from 'stepshift/cdk'; new ReleaseOrchestrator(new Stack(new App(), 'S'), 'R', { profiles: profilesFrom('profiles'), sourceMaps: true });",
  ],
  { cwd: app, encoding: 'utf8' },
);
check(
  'sourceMaps from the package is refused with a sentence',
  withMaps.status !== 0 && /sourceMaps needs the functions' source maps/.test(withMaps.stderr),
  withMaps.stderr.slice(-2000),
);

// Each function's code loads in node, as Lambda's runtime would import it (one process for all nine).
const built = join(app, 'node_modules/stepshift/dist/functions');
const names = readdirSync(built);
const kinds = run('import each dist/functions/<name>/index.mjs', process.execPath, [
  '--input-type=module',
  '-e',
  `for (const name of ${JSON.stringify(names)}) console.log(name, typeof (await import(${JSON.stringify(`${built}/`)} + name + '/index.mjs')).handler);`,
]);
const noHandler = names.filter((name) => !kinds.includes(`${name} function`));
check(
  `each of the ${names.length} functions exports a handler`,
  names.length >= 8 && noHandler.length === 0,
  kinds,
);

// (c) The declarations, through the package's exports, with this repository's TypeScript.
writeFileSync(
  join(app, 'typed.ts'),
  [
    "import { App, Stack } from 'aws-cdk-lib';",
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    "import { type ProfileInput, ReleaseOrchestrator, type ReleaseOrchestratorProps, profilesFrom } from 'stepshift/cdk';",
    "import { parseProfile, profileSchema, type ReleaseProfile } from 'stepshift/profile';",
    'const profiles: ProfileInput[] = profilesFrom("profiles");',
    'const props: ReleaseOrchestratorProps = { profiles, logLevel: "WARN" };',
    'const orchestrator = new ReleaseOrchestrator(new Stack(new App(), "S"), "R", props);',
    'orchestrator.grantStartRelease(new iam.AccountRootPrincipal());',
    'const parsed: ReleaseProfile = parseProfile(profileSchema.parse(profiles[0]));',
    'export const service: string = parsed.service;',
    '',
  ].join('\n'),
);
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    files: ['typed.ts'],
  }),
);
run(
  'tsc over a consumer using both entries',
  process.execPath,
  [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
  { cwd: app },
);
passed += 1;

rmSync(work, { recursive: true, force: true });
console.log(`consumer test: ${passed} passed, 0 failed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
