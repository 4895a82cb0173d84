import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BundledPackage,
  NOTICES_FILE,
  renderNotices,
  writeNotices,
} from '../../scripts/third-party-notices.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Licences that let the package redistribute the code with its notice and nothing more. Checked
 * against what the bundles held when this list was written: MIT, MIT-0, ISC, Apache-2.0 and
 * BSD-3-Clause; the rest are as permissive. A licence outside it is a person's decision, not a
 * regeneration's.
 */
const PERMISSIVE = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'Python-2.0',
]);

/** The lines only one of the two texts has, the first few: a readable failure for a 170 KB file. */
function linesApart(committed: string, fresh: string): string[] {
  const a = new Set(committed.split('\n'));
  const b = new Set(fresh.split('\n'));
  return [
    ...[...a].filter((line) => !b.has(line)).map((line) => `- ${line}`),
    ...[...b].filter((line) => !a.has(line)).map((line) => `+ ${line}`),
  ].slice(0, 20);
}

describe('THIRD_PARTY_NOTICES.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepshift-notices-'));
  let packages: BundledPackage[] = [];
  let fresh = '';

  // One build of each bundle, in memory, for every test here (about 7 s on a loaded 2-core machine).
  beforeAll(async () => {
    packages = await writeNotices(join(dir, NOTICES_FILE));
    fresh = readFileSync(join(dir, NOTICES_FILE), 'utf8');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what `npm run notices` writes from the bundles today', () => {
    const committed = readFileSync(join(ROOT, NOTICES_FILE), 'utf8');
    expect(linesApart(committed, fresh), `run \`npm run notices\` and commit ${NOTICES_FILE}`).toEqual([]);
    expect(committed === fresh, `run \`npm run notices\` and commit ${NOTICES_FILE}`).toBe(true);
  });

  it('lists only packages under a permissive licence', () => {
    const others = packages
      .filter((p) => p.licence === undefined || !PERMISSIVE.has(p.licence))
      .map((p) => `${p.id}: ${p.licence ?? 'no licence declared'}`);
    expect(others).toEqual([]);
  });

  it("names each package's bundles, RE2's engine beside the CLI and the functions that check patterns included", () => {
    const bundlesOf = (name: string) => packages.find((p) => p.name === name)?.bundles;
    // re2js reaches the functions only through re2js.cjs, a build of its own.
    expect(bundlesOf('re2js')).toBe('CLI; construct; functions: prepare, alarm');
    // The construct leaves zod to the consumer's install; every function bundles it.
    expect(bundlesOf('zod')).toBe('CLI; functions: all');
    expect(bundlesOf('aws-local-stepfunctions')).toBe('CLI');
    // Peers and dev tools are in no bundle.
    for (const name of ['aws-cdk-lib', 'constructs', 'esbuild', 'vitest'])
      expect(bundlesOf(name)).toBeUndefined();
  });

  it('is in the package', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain(NOTICES_FILE);
  });
});

describe('the notices', () => {
  const mit = 'MIT License\n\nCopyright (c) someone';
  const pkg = (name: string, files: BundledPackage['files'], patch?: string): BundledPackage => ({
    id: `${name}@1.0.0`,
    name,
    version: '1.0.0',
    licence: 'MIT',
    files,
    patch,
    bundles: 'CLI',
  });

  it('write a text that packages share once, say when a package ships none, and name its patch', () => {
    const text = renderNotices([
      pkg('a', [{ file: 'LICENSE', text: mit }]),
      pkg('b', [{ file: 'license', text: mit }], 'patches/b+1.0.0.patch'),
      pkg('c', []),
    ]);

    expect(text.split('Copyright (c) someone').length - 1).toBe(1);
    expect(text).toContain('Shipped by a@1.0.0 (LICENSE), b@1.0.0 (license).');
    expect(text).toContain(
      '| b@1.0.0 (bundled with patches/b+1.0.0.patch applied) | MIT | CLI | [license: text 1](#text-1) |',
    );
    expect(text).toContain('| c@1.0.0 | MIT | CLI | none shipped |');
  });

  it('fence a text with backticks so that it cannot end its own block', () => {
    const text = renderNotices([pkg('a', [{ file: 'LICENSE', text: 'see ```this``` ' }])]);

    expect(text).toContain('````\nsee ```this``` \n````');
  });
});
