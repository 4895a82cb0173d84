import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { storyOfRehearsal } from '../cli/chart/from-rehearsal.ts';
import { releaseChartSvg } from '../cli/chart/write.ts';

/** The chart docs/operating.md shows; a test keeps it equal to what docsChart() draws today. */
export const DOCS_CHART_FILE = new URL('../docs/release-chart.svg', import.meta.url);
const EXAMPLE = new URL('../examples/canary-alarm-rollback.json', import.meta.url);

/** The chart of examples/canary-alarm-rollback.json, as `stepshift rehearse --chart` draws it. */
export async function docsChart(): Promise<string> {
  const report = await rehearse(await loadScenario(fileURLToPath(EXAMPLE)));
  return releaseChartSvg(storyOfRehearsal(report));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DOCS_CHART_FILE, await docsChart());
  console.log(`wrote ${fileURLToPath(DOCS_CHART_FILE)}`);
}
