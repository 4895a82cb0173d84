import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FunctionAssets } from '../../../bench/parts/processes.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'stepshift-bench-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const INDEX = 'import { n } from "./chunk-A.mjs";\nexport const handler = async () => n;\n';
const CHUNK = 'export const n = 1;\n';
const LATER = 'export const m = 2;\n';

/** A cloud assembly with one function, "Tiny", whose asset is an index.mjs importing a chunk. */
function tinyAssembly(): string {
  const out = join(work, 'cdk.out');
  mkdirSync(join(out, 'asset.tiny'), { recursive: true });
  writeFileSync(join(out, 'asset.tiny', 'index.mjs'), INDEX);
  writeFileSync(join(out, 'asset.tiny', 'chunk-A.mjs'), CHUNK);
  writeFileSync(join(out, 'asset.tiny', 'later-B.mjs'), LATER);
  writeFileSync(
    join(out, 'Stepshift.template.json'),
    JSON.stringify({
      Resources: {
        TinyFunction: {
          Type: 'AWS::Lambda::Function',
          Metadata: { 'aws:asset:path': 'asset.tiny', 'aws:cdk:path': 'Stepshift/TinyFunction/Resource' },
        },
      },
    }),
  );
  return out;
}

function functionAssets(env: Record<string, string>) {
  return spawnSync(process.execPath, ['bench/function-assets.mjs', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, STEPSHIFT_BENCH_RUNS: '1', ...env },
  });
}

describe('bench/function-assets.mjs', () => {
  it('prints one JSON document: each function with its bytes at start and its load beyond node, and the floor', () => {
    // Act
    const run = functionAssets({ STEPSHIFT_CDK_OUT: tinyAssembly() });

    // Assess
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as FunctionAssets;
    expect(doc.goal).toEqual({ atStartBytes: 600 * 1024, loadMs: 150 });
    const [tiny] = doc.functions;
    expect(doc.functions).toHaveLength(1);
    // index.mjs and the chunk it imports statically load at start; later-B.mjs does not.
    expect(tiny).toMatchObject({
      name: 'Tiny',
      atStartBytes: INDEX.length + CHUNK.length,
      codeBytes: INDEX.length + CHUNK.length + LATER.length,
      mapsBytes: 0,
    });
    // One pair: the load is that pair's difference (each figure rounded on its own).
    const difference = tiny ? tiny.wholeMs - tiny.nodeAloneMs : Number.NaN;
    expect(Math.abs((tiny?.loadMs ?? Number.NaN) - difference)).toBeLessThanOrEqual(1);
    expect(tiny?.meetsGoal).toBe(
      tiny !== undefined && tiny.atStartBytes <= doc.goal.atStartBytes && tiny.loadMs <= doc.goal.loadMs,
    );
    expect(doc.floor.map((f) => f.name)).toEqual(['empty handler', 'two SDK clients']);
    expect(doc.floor[1]?.atStartBytes).toBeGreaterThan(100 * 1024);
  }, 60_000);

  it('without a synthesized stack says to synthesize first, with exit 2', () => {
    const run = functionAssets({ STEPSHIFT_CDK_OUT: join(work, 'nothing') });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('run `npm run synth` first');
  });
});
