import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SOURCE_DIRS, sourceFilesIn } from './import-graph.ts';

/** Past this a file holds more than one concept: split it by concern (docs/architecture.md). */
const MAX_LINES = 500;

describe('source files', () => {
  it(`are at most ${MAX_LINES} lines each`, () => {
    const over = SOURCE_DIRS.flatMap(sourceFilesIn)
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(over).toEqual([]);
  });
});
