import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's import graph, read from the source text: every static import and export-from at the
 * top of a file (Biome keeps them at column 0), `import '...'`, and every dynamic or type-level
 * `import('...')`. Subpath imports (`#core/*`) resolve as package.json maps them.
 */

export const ROOT = normalize(fileURLToPath(new URL('../../', import.meta.url)));

/** The folders that hold the project's source (tests are not read: they may import anything). */
export const SOURCE_DIRS = [
  'core',
  'routers',
  'adapters',
  'functions',
  'rehearsal',
  'cli',
  'infra',
  'scripts',
  'bench',
];

export interface ImportEdge {
  /** The importing file, from the project's root: "core/plan.ts". */
  readonly from: string;
  /** A project file ("core/ports.ts") or a package ("zod", "aws-cdk-lib", "node:fs"). */
  readonly to: string;
  /** As written: "#core/ports.ts", "../ports.ts", "aws-cdk-lib/aws-iam". */
  readonly spec: string;
  readonly line: number;
}

/** Every file's imports, keyed by the importing file. */
export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

const STATIC =
  /^(?:import|export)(?:\s+type)?\s*(?:\{[^}]*\}|\*\s+as\s+\w+|\*|\w+(?:\s*,\s*\{[^}]*\})?)\s*from\s*(['"])([^'"]+)\1/gm;
const BARE = /^import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

function subpathImports(): [string, string][] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    imports: Record<string, string>;
  };
  return Object.entries(pkg.imports).map(([key, dir]) => [
    key.replace('*', ''),
    dir.replace('*', '').replace(/^\.\//, ''),
  ]);
}

const SUBPATHS = subpathImports();
const BUILTINS = new Set(builtinModules);

/** What a specifier names: a project file (from the root) or a package. */
export function resolveSpec(file: string, spec: string): string {
  if (spec.startsWith('.')) return normalize(join(dirname(file), spec)).replaceAll('\\', '/');
  for (const [prefix, dir] of SUBPATHS) if (spec.startsWith(prefix)) return dir + spec.slice(prefix.length);
  if (spec.startsWith('node:')) return spec;
  const bare = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
  return BUILTINS.has(bare) ? `node:${spec}` : bare;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The imports one file's text makes. */
export function importsIn(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const pattern of [STATIC, BARE, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[2] as string;
      edges.push({ from: file, to: resolveSpec(file, spec), spec, line: lineOf(text, match.index) });
    }
  }
  return edges;
}

export function sourceFilesIn(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).replaceAll('\\', '/'));
}

/** The project's import graph as the source holds it now. */
export function projectGraph(): ImportGraph {
  const files = SOURCE_DIRS.flatMap(sourceFilesIn).sort();
  return new Map(files.map((f) => [f, importsIn(f, readFileSync(join(ROOT, f), 'utf8'))]));
}
