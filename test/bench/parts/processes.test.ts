import { describe, expect, it } from 'vitest';
import { parseCliStartup, parseFunctionAssets } from '../../../bench/parts/processes.ts';

describe('the bench scripts as read by bench/index.ts', () => {
  it("reads bench/function-assets.mjs's rows, marking those that miss the goal", () => {
    const parsed = parseFunctionAssets([
      'node alone: 41 ms (median of 5); goal per function: 600 KB, 150 ms to load',
      'function     code       maps     load     | before: code       maps     load',
      'Analyze        950 KB      0 KB   212 ms !|         1200 KB    300 KB   250 ms',
      'Bake           311 KB      0 KB    90 ms  |',
    ]);
    expect(parsed.nodeAloneMs).toBe(41);
    expect(parsed.functions).toEqual([
      { name: 'Analyze', codeKB: 950, mapsKB: 0, loadMs: 212, meetsGoal: false },
      { name: 'Bake', codeKB: 311, mapsKB: 0, loadMs: 90, meetsGoal: true },
    ]);
  });

  it("reads bench/cli-startup.mjs's lines", () => {
    const parsed = parseCliStartup([
      'stepshift rehearse examples/canary-healthy.json, whole process, median of 5 (node alone 40 ms):',
      '  built (bin/stepshift.mjs, dist/cli/)      412 ms ',
      '  the same sources through tsx (before)    1650 ms',
    ]);
    expect(parsed).toMatchObject({ nodeAloneMs: 40, builtMs: 412, tsxMs: 1650 });
  });
});
