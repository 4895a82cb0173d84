// `npm run notices`: THIRD_PARTY_NOTICES.md, the licences of the packages whose code the built code
// carries. The bundles hold none of their licence files, and the functions' not even their licence
// comments (legalComments: 'none'), so the package ships their texts in this file instead. It builds
// what scripts/build.mjs builds, with the same options, in memory, and reads esbuild's metafile for the
// packages that put code in each output; a test (test/scripts/third-party-notices.test.ts, run by
// npm run test:package) regenerates it and fails when the committed file differs.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cliBuildOptions } from './cli-build.mjs';
import {
  checksPatterns,
  FUNCTIONS,
  functionBuildOptions,
  regexEngineBuildOptions,
} from './function-build.mjs';
import { libraryBuildOptions } from './library-build.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The file's name at the repository's root, as package.json's `files` lists it. */
export const NOTICES_FILE = 'THIRD_PARTY_NOTICES.md';

/** A licence's, copyright's or notice's file in a package's folder (not code named after one). */
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-.][\w.-]*)?$/i;
const CODE = /\.(c|m)?(js|ts)$|\.json$/i;

/** The package folder a metafile's input lies in (the innermost node_modules/), or undefined. */
const packageFolder = (input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/** The package folders with code in a build's outputs (an input esbuild shook out entirely is not). */
async function packagesBuiltBy(options) {
  const { metafile } = await build({
    ...options,
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const folders = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const folder = packageFolder(input);
      if (folder !== undefined && bytesInOutput > 0) folders.add(folder);
    }
  }
  return { folders, metafile };
}

/**
 * Every bundle the package ships, in the order the file names them, with the package folders whose
 * code is in it. RE2's engine, re2js.cjs, is part of the CLI's bundle and of each function's whose
 * code checks patterns (scripts/function-build.mjs); built here once for the CLI's target and once for
 * the functions', since only its folder differs from one function to the next.
 */
async function bundles() {
  const [cli, cliEngine, library, functionEngine, ...functions] = await Promise.all([
    packagesBuiltBy(cliBuildOptions),
    packagesBuiltBy(regexEngineBuildOptions('dist/cli', cliBuildOptions.target)),
    packagesBuiltBy(libraryBuildOptions),
    packagesBuiltBy(regexEngineBuildOptions('dist/functions')),
    ...FUNCTIONS.map((name) => packagesBuiltBy(functionBuildOptions(name))),
  ]);
  return [
    { name: 'CLI', folders: new Set([...cli.folders, ...cliEngine.folders]) },
    { name: 'construct', folders: library.folders },
    ...FUNCTIONS.map((name, i) => {
      const { folders, metafile } = functions[i];
      const engine = checksPatterns(metafile) ? functionEngine.folders : [];
      return { name, isFunction: true, folders: new Set([...folders, ...engine]) };
    }),
  ];
}

/** A package.json's licence as one identifier or expression; the old object and array forms too. */
function declaredLicence(manifest) {
  const { license, licenses } = manifest;
  if (typeof license === 'string') return license;
  if (typeof license?.type === 'string') return license.type;
  if (Array.isArray(licenses) && licenses.length > 0) {
    const types = licenses.map((l) => (typeof l === 'string' ? l : l?.type));
    if (types.every((t) => typeof t === 'string')) return types.join(' OR ');
  }
  return undefined;
}

/** Byte order, not the locale's: the same file on every machine. */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The packages whose code is in any bundle, sorted by name and version, each with its declared
 * licence, the bundles it is in, its licence files' texts and the patch the repository applies to it.
 */
async function bundledPackages() {
  const found = new Map();
  for (const bundle of await bundles()) {
    for (const folder of bundle.folders) {
      const manifest = JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8'));
      const id = `${manifest.name}@${manifest.version}`;
      if (!found.has(id)) {
        const files = readdirSync(join(ROOT, folder), { withFileTypes: true })
          .filter((e) => e.isFile() && LICENCE_FILE.test(e.name) && !CODE.test(e.name))
          .map((e) => e.name)
          .sort(byCodeUnit)
          // Line ends as \n and no trailing blank lines: the same text whatever a checkout did to them.
          .map((file) => ({
            file,
            text: readFileSync(join(ROOT, folder, file), 'utf8')
              .replace(/\r\n?/g, '\n')
              .trimEnd(),
          }));
        const patch = `patches/${manifest.name.replace('/', '+')}+${manifest.version}.patch`;
        found.set(id, {
          id,
          name: manifest.name,
          version: manifest.version,
          licence: declaredLicence(manifest),
          files,
          patch: existsSync(join(ROOT, patch)) ? patch : undefined,
          bundles: [],
        });
      }
      const entry = found.get(id);
      if (!entry.bundles.includes(bundle)) entry.bundles.push(bundle);
    }
  }
  return [...found.values()]
    .sort((a, b) => byCodeUnit(a.name, b.name) || byCodeUnit(a.version, b.version))
    .map(({ bundles: inside, ...entry }) => ({ ...entry, bundles: bundleNames(inside) }));
}

/** "CLI, construct, functions: all" or "functions: prepare, alarm", in FUNCTIONS' order. */
function bundleNames(inside) {
  const others = inside.filter((b) => !b.isFunction).map((b) => b.name);
  const functions = FUNCTIONS.filter((name) => inside.some((b) => b.isFunction && b.name === name));
  const order = ['CLI', 'construct'];
  const named = others.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (functions.length === FUNCTIONS.length) named.push('functions: all');
  else if (functions.length > 0) named.push(`functions: ${functions.join(', ')}`);
  return named.join('; ');
}

/** A code fence longer than any run of backticks in the text, so the text cannot close it. */
function fence(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(([run]) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The Markdown of THIRD_PARTY_NOTICES.md: a table of the packages, then each distinct text once. */
export function renderNotices(packages) {
  // Most AWS SDK packages ship the same Apache-2.0 text; each distinct text is written once and every
  // package that ships it links to it (about a third of the size of repeating them).
  const texts = new Map();
  for (const p of packages) {
    for (const { file, text } of p.files) {
      if (!texts.has(text)) texts.set(text, { number: texts.size + 1, shippedBy: [] });
      texts.get(text).shippedBy.push(`${p.id} (${file})`);
    }
  }
  const cell = (s) => s.replaceAll('|', '\\|');
  const rows = packages.map((p) => {
    const files =
      p.files.length === 0
        ? 'none shipped'
        : p.files
            .map(
              ({ file, text }) =>
                `[${file}: text ${texts.get(text).number}](#text-${texts.get(text).number})`,
            )
            .join(', ');
    const licence = p.licence ?? 'none declared';
    const patched = p.patch === undefined ? '' : ` (bundled with ${p.patch} applied)`;
    return `| ${cell(p.id)}${patched} | ${cell(licence)} | ${p.bundles} | ${files} |`;
  });
  const unfiled = packages.filter((p) => p.files.length === 0);
  const sections = [...texts].map(([text, { number, shippedBy }]) => {
    const f = fence(text);
    return [`### Text ${number}`, '', `Shipped by ${shippedBy.join(', ')}.`, '', f, text, f].join('\n');
  });
  return `${[
    '# Third-party notices',
    '',
    "stepshift's own code is under the Apache License 2.0 (LICENSE). Its built code, in dist/, bundles",
    "code of the packages below without their licence files (the functions' bundles drop even their",
    'licence comments), so their licences are here. This file is generated by `npm run notices`',
    '(scripts/third-party-notices.mjs) from what esbuild puts in each bundle; do not edit it by hand.',
    '',
    'The bundles:',
    '',
    '- CLI: dist/cli/, the `stepshift` command, with re2js.cjs beside it.',
    '- construct: dist/cdk.mjs and dist/profile.mjs (`stepshift/cdk`, `stepshift/profile`) and their',
    "  chunks. aws-cdk-lib, constructs, cdk-nag, zod and yaml are not bundled: they are the consumer's",
    '  own installs, with their own licence files.',
    "- functions: dist/functions/<name>/, each Lambda function's code, which the construct deploys as",
    '  it is (`npm run synth` copies it into cdk.out/), with re2js.cjs beside it when the function checks',
    '  patterns.',
    '',
    `${packages.length} packages; ${unfiled.length} of them ship no licence file, and for those the licence`,
    "their package.json declares is all there is (the Apache License 2.0's text is stepshift's LICENSE).",
    '',
    '## Packages',
    '',
    '| Package | Licence (package.json) | Bundles | Licence files |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '## Licence texts',
    '',
    sections.join('\n\n'),
  ].join('\n')}\n`;
}

/** Builds the bundles, writes the notices to `file` and returns the packages they list. */
export async function writeNotices(file = join(ROOT, NOTICES_FILE)) {
  const packages = await bundledPackages();
  writeFileSync(file, renderNotices(packages));
  return packages;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const packages = await writeNotices();
  console.log(`wrote ${NOTICES_FILE}: ${packages.length} packages`);
}
