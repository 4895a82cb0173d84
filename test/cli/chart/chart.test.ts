import { describe, expect, it } from 'vitest';
import { type RehearsalRun, storyOfRehearsal } from '../../../cli/chart/from-rehearsal.ts';
import { renderSvg } from '../../../cli/chart/render.ts';
import { sparkline } from '../../../cli/chart/sparkline.ts';
import { CHAR_PX, chartData, placeLabels, releaseChartSpec } from '../../../cli/chart/spec.ts';
import type { ReleaseStory } from '../../../cli/chart/story.ts';
import { run, v1 } from '../../support/release-run.ts';
import { itemsOf } from '../../support/svg.ts';

describe('a rehearsal told as a story', () => {
  it("reads the new version's share, each check, alarm states and the markers off the timeline", () => {
    // Act
    const story = storyOfRehearsal(run);

    // Assess
    expect(story.plan).toMatchObject({ stable: 'orders-v1', canary: 'orders-v2', steps: [10, 25, 50] });
    expect(story.weights).toEqual([
      { at: 0, canary: 0 },
      { at: 0.5, canary: 0 },
      { at: 0.8, canary: 10 },
      { at: 301.2, canary: 25 },
      { at: 420.5, canary: 0 },
    ]);
    expect(story.checks).toHaveLength(1);
    expect(story.checks[0]).toMatchObject({ at: 301, step: 0, check: 0, passed: true });
    expect(story.alarms).toEqual([
      { at: 301, alarm: 'orders-5xx', state: 'OK' },
      { at: 420, alarm: 'orders-5xx', state: 'ALARM' },
    ]);
    expect(story.marks.map((m) => [m.kind, m.label])).toEqual([
      ['hook', 'smoke ok'],
      ['operator', 'pause by alice'],
      ['halt', 'halted: orders-5xx is ALARM'],
      ['rollback', 'rolled back'],
    ]);
    expect(story.endSeconds).toBe(421);
  });

  it("keeps the scenario's own execution when a person started another", () => {
    // Prepare: a second execution's entries, tagged as the rehearsal tags them
    const tagged: RehearsalRun = {
      ...run,
      timeline: [
        ...run.timeline.map((e) => ({ ...e, detail: { ...e.detail, execution: 'first' } })),
        {
          at: 10,
          event: 'release.rejected',
          weights: v1(10),
          detail: { execution: 'second', problems: ['busy'] },
        },
      ],
    };

    // Act
    const story = storyOfRehearsal(tagged);

    // Assess
    expect(story.marks.map((m) => m.label)).not.toContain('rejected');
    expect(story.checks).toHaveLength(1);
  });
});

describe('the sparkline', () => {
  it('draws the share at each moment, 0% as the lowest block and 100% as the highest', () => {
    // Prepare
    const story = {
      endSeconds: 100,
      weights: [
        { at: 0, canary: 0 },
        { at: 10, canary: 10 },
        { at: 50, canary: 50 },
        { at: 90, canary: 100 },
      ],
    };

    // Act, Assess
    expect(sparkline(story, 10)).toBe('▂▂▂▂▅▅▅▅██');
    expect(sparkline({ ...story, weights: [...story.weights, { at: 95, canary: 0 }] }, 20).at(-1)).toBe('▁');
    expect(sparkline({ endSeconds: 5, weights: [] })).toBe('');
  });
});

describe('the labels of the markers', () => {
  it('go right of their marker when they fit, left near the edge, cut to their room, and never overlap', () => {
    // Prepare: four labels in a lane, the last at the very end; one alone in another lane
    const events = [
      { t: 0, lane: 'release', label: 'stepping back to 25%' },
      { t: 2, lane: 'release', label: 'a label far too long to fit before the next one' },
      { t: 3, lane: 'release', label: 'rolled back' },
      { t: 10, lane: 'release', label: 'promoted' },
      { t: 10, lane: 'hooks', label: 'x' },
    ];

    // Act
    const placed = placeLabels(events, 10);

    // Assess
    const release = placed.filter((p) => p.lane === 'release');
    expect(release.map((p) => p.align)).toEqual(['left', 'left', 'left', 'right']);
    expect(release[1]?.label.endsWith('…')).toBe(true);
    const spans = release.map((p) => {
      const x = (p.t / 10) * 760;
      const w = p.label.length * CHAR_PX;
      return p.align === 'left' ? [x, x + 7 + w] : [x - 7 - w, x];
    });
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? 0);
    expect(placed.find((p) => p.lane === 'hooks')).toMatchObject({ align: 'right', label: 'x' });
  });
});

describe('the chart', () => {
  it('holds the share as a step line, a marker for each check and turn, alarm bands, and the metric with its bound', async () => {
    // Prepare
    const story: ReleaseStory = storyOfRehearsal(run);

    // Act
    const spec = releaseChartSpec(story);
    const svg = await renderSvg(spec);

    // Assess: the spec's data
    const data = chartData(story);
    expect(data.alarms).toEqual([
      { alarm: 'orders-5xx', state: 'OK', t: 5.017, t2: 7 },
      { alarm: 'orders-5xx', state: 'ALARM', t: 7, t2: 7.017 },
    ]);
    expect(data.metrics.map((m) => [m.series, m.value])).toEqual([
      ['canary', 0.001],
      ['bound (max)', 0.01],
    ]);
    // ... and what Vega drew of it
    expect(svg.startsWith('<svg')).toBe(true);
    expect(itemsOf(svg, 'weights')).toHaveLength(1);
    const markers = itemsOf(svg, 'markers');
    expect(markers.filter((m) => m.includes('markers: passed'))).toHaveLength(1);
    expect(markers.filter((m) => /markers: (hook|operator|halt|rollback)/.test(m))).toHaveLength(4);
    expect([...itemsOf(svg, 'labels_left'), ...itemsOf(svg, 'labels_right')]).toEqual(
      expect.arrayContaining(['pause by alice', 'rolled back']),
    );
    expect(itemsOf(svg, 'alarms').filter((a) => a.includes('state: ALARM'))).toHaveLength(1);
    expect(itemsOf(svg, 'metric_0').length).toBeGreaterThan(0);
    expect(svg).toContain('orders v2: rolls back');
  });

  it('draws a release that never planned (refused before any weight moved) without a line', async () => {
    // Act
    const svg = await renderSvg(
      releaseChartSpec(
        storyOfRehearsal({
          name: 'refused',
          outcome: 'rejected',
          timeline: [
            { at: 0.3, event: 'release.rejected', weights: {}, detail: { problems: ['no profile'] } },
          ],
        }),
      ),
    );

    // Assess
    expect(itemsOf(svg, 'weights')).toEqual([]);
    // Without alarm or metric panels, the markers' panel carries the time axis.
    expect(svg).toContain('minutes since the release started (virtual time)');
    expect(itemsOf(svg, 'markers')).toEqual([expect.stringContaining('markers: halt')]);
    expect(itemsOf(svg, 'alarms')).toEqual([]);
  });

  it('loads nothing a spec names: a chart draws only the data it carries', async () => {
    // Act, Assess
    await expect(
      renderSvg({ data: { url: 'https://example.com/x.json' }, mark: 'point', encoding: {} }),
    ).rejects.toThrow(/draws only the data it carries/);
  });
});
