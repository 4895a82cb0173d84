import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';
import { storyOfRehearsal } from '../../../cli/chart/from-rehearsal.ts';
import { renderSvg } from '../../../cli/chart/render.ts';
import { chartData, releaseChartSpec } from '../../../cli/chart/spec.ts';
import { itemsOf } from '../../support/svg.ts';

/**
 * Every example's chart, rendered and read back. npm test draws a few that between them use every
 * panel and marker; `npm run test:charts` (CI) draws them all (STEPSHIFT_CHART_EXAMPLES=all).
 */
const root = new URL('../../../examples/', import.meta.url).pathname;
const all = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();
const FEW = ['judge-latency-shifted-20.json', 'on-failure-gradual.json', 'operator-pause-resume.json'];
// "all", or some of them by path under examples/, comma-separated.
const chosen = process.env.STEPSHIFT_CHART_EXAMPLES;
const examples = chosen === 'all' ? all : chosen ? chosen.split(',') : FEW;

describe('the chart of every example', () => {
  // A rehearsal and its chart take about a second; minutes on a machine others load heavily.
  it.each(examples)('%s', { timeout: 120_000 }, async (file) => {
    // Prepare
    const report = await rehearse(await loadScenario(`${root}${file}`));
    const story = storyOfRehearsal(report);
    const data = chartData(story);

    // Act
    const svg = await renderSvg(releaseChartSpec(story));

    // Assess: the title, the share's line when the release planned one, a marker for every check and
    // turn, a band for every alarm reading, a panel for every metric check that measured
    expect(svg).toContain(report.name.replaceAll('&', '&amp;').replaceAll('"', '&quot;').slice(0, 30));
    expect(itemsOf(svg, 'weights')).toHaveLength(story.plan ? 1 : 0);
    expect(itemsOf(svg, 'markers')).toHaveLength(story.checks.length + story.marks.length);
    // Every analysis of the release's execution is a check of its story, counted off the timeline.
    const planned = report.timeline.find((e) => e.event === 'release.planned')?.detail.execution;
    const analyses = report.timeline.filter(
      (e) =>
        e.event === 'analysis.completed' &&
        (planned === undefined || e.detail.execution === undefined || e.detail.execution === planned),
    );
    expect(story.checks.map((c) => c.at)).toEqual(analyses.map((e) => e.at));
    expect(itemsOf(svg, 'alarms')).toHaveLength(data.alarms.length);
    const metricChecks = new Set(data.metrics.map((m) => m.check));
    for (const [i] of [...metricChecks].entries())
      expect(itemsOf(svg, `metric_${i}`).length).toBeGreaterThan(0);
    expect(itemsOf(svg, `metric_${metricChecks.size}`)).toEqual([]);
    // The line ends where the rehearsal left the route.
    if (story.plan) {
      const canary = story.plan.canary;
      const left = report.timeline.at(-1)?.weights[canary] ?? 0;
      expect(data.weights.at(-1)?.weight).toBe(left);
    }
  });
});
