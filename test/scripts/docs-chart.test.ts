import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCS_CHART_FILE, docsChart } from '../../scripts/docs-chart.ts';

describe('docs/release-chart.svg', () => {
  it('is what `npm run docs:chart` draws from the example today', async () => {
    expect(
      readFileSync(DOCS_CHART_FILE, 'utf8'),
      'run `npm run docs:chart` and commit docs/release-chart.svg',
    ).toBe(await docsChart());
  });
});
