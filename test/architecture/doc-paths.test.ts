import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './import-graph.ts';

/** What a clean clone does not hold: installs, builds, coverage, git's own. */
const NOT_THE_REPOSITORY = new Set(['node_modules', 'dist', 'cdk.out', 'coverage']);

/** Every file and folder of the repository, as paths from its root (folders end in "/"). */
function repositoryPaths(): string[] {
  const tops = readdirSync(ROOT, { withFileTypes: true }).filter(
    (e) => !e.name.startsWith('.') && !NOT_THE_REPOSITORY.has(e.name),
  );
  const paths: string[] = tops.map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  for (const top of tops.filter((e) => e.isDirectory())) {
    for (const e of readdirSync(join(ROOT, top.name), { recursive: true, withFileTypes: true })) {
      const path = relative(ROOT, join(e.parentPath, e.name)).replaceAll('\\', '/');
      if (!path.split('/').some((part) => NOT_THE_REPOSITORY.has(part))) {
        paths.push(e.isDirectory() ? `${path}/` : path);
      }
    }
  }
  return paths;
}

/**
 * The repository paths a page names that do not exist: any word that starts with one of the
 * repository's top folders (`<name>` and `*` stand for one path segment), and every relative link.
 */
function missingPaths(page: string, text: string, paths: readonly string[]): string[] {
  const known = new Set(paths);
  const tops = paths.filter((p) => /^[^/]+\/$/.test(p)).map((p) => p.slice(0, -1));
  const named = new RegExp(`(?<![\\w./@<>*-])(?:${tops.join('|')})/[\\w.<>*+/-]*`, 'g');
  const exists = (path: string) => {
    if (!/[<*]/.test(path)) return known.has(path) || known.has(`${path}/`);
    const pattern = path
      .split(/(<[^>]*>|\*)/)
      .map((part) => (/^(<[^>]*>|\*)$/.test(part) ? '[^/]+' : part.replace(/[.+]/g, '\\$&')))
      .join('');
    const matcher = new RegExp(`^${pattern}${path.endsWith('/') ? '' : '/?$'}`);
    return paths.some((p) => matcher.test(p));
  };
  const missing: string[] = [];
  for (const [word] of text.matchAll(named)) {
    const path = word.replace(/[.,]+$/, '');
    if (!exists(path)) missing.push(`${page} names ${path}`);
  }
  for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
    if (target === undefined || /^[a-z]+:/.test(target)) continue;
    const path = posix.normalize(posix.join(posix.dirname(page), target));
    if (!exists(path)) missing.push(`${page} links ${target}`);
  }
  return missing;
}

describe("the docs' paths", () => {
  const paths = repositoryPaths();

  it('name files and folders the repository holds', () => {
    const pages = readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`);
    const missing = pages.flatMap((page) =>
      missingPaths(page, readFileSync(join(ROOT, page), 'utf8'), paths),
    );
    expect(missing).toEqual([]);
  });

  it('are told missing when a file, a folder, a pattern or a link names nothing', () => {
    const text = [
      'Lives in `core/observed-release.ts` and routers/<name>/kind.ts, as routers/*/sim/ and core/doctor/ do.',
      'Not in `core/nowhere.ts`, nor routers/<name>/nothing.ts, nor cli/gone/.',
      'See [routers](routers.md) and [a lost page](lost.md#top), not https://example.com/core/x.ts.',
    ].join('\n');
    expect(missingPaths('docs/x.md', text, paths)).toEqual([
      'docs/x.md names core/nowhere.ts',
      'docs/x.md names routers/<name>/nothing.ts',
      'docs/x.md names cli/gone/',
      'docs/x.md links lost.md',
    ]);
  });
});
