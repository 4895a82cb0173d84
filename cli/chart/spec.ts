import type { TopLevelSpec } from 'vega-lite';
import type { MarkKind, ReleaseStory } from './story.ts';
import { weightAt } from './story.ts';

/**
 * A release as one Vega-Lite picture, panels on one time axis: the new version's share of traffic as
 * a step line; the checks, hooks, people and the release's turns as markers; each alarm's state as a
 * band; each metric check's canary and stable values with the bound it was held to.
 */

const WIDTH = 760;

const STATE_COLORS = { OK: '#59a14f', ALARM: '#e15759', INSUFFICIENT_DATA: '#bab0ac' };

const LANES: Record<MarkKind | 'check', string> = {
  check: 'checks',
  hook: 'hooks',
  operator: 'people',
  hold: 'release',
  resume: 'release',
  halt: 'release',
  rollback: 'traffic back',
  promote: 'promoted',
};
const LANE_ORDER = ['checks', 'hooks', 'people', 'release', 'traffic back', 'promoted'];

const MARK_STYLE: Record<MarkKind | 'passed' | 'failed', { color: string; shape: string }> = {
  passed: { color: '#59a14f', shape: 'circle' },
  failed: { color: '#e15759', shape: 'circle' },
  hook: { color: '#76b7b2', shape: 'diamond' },
  operator: { color: '#b07aa1', shape: 'triangle-down' },
  hold: { color: '#edc948', shape: 'square' },
  resume: { color: '#59a14f', shape: 'square' },
  halt: { color: '#e15759', shape: 'cross' },
  rollback: { color: '#9c755f', shape: 'triangle-left' },
  promote: { color: '#4e79a7', shape: 'triangle-right' },
};

const SERIES_STYLE = {
  canary: { color: '#f28e2b', dash: [1, 0] },
  stable: { color: '#4e79a7', dash: [1, 0] },
  'bound (max)': { color: '#e15759', dash: [5, 3] },
  'bound (min)': { color: '#e15759', dash: [5, 3] },
};
const SERIES = Object.keys(SERIES_STYLE) as (keyof typeof SERIES_STYLE)[];

/** Minutes, to three decimals: the axis unit whatever the release's length. */
const minutes = (seconds: number) => Math.round((seconds / 60) * 1000) / 1000;

const short = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function xAxis(story: ReleaseStory, title: boolean) {
  return {
    field: 't',
    type: 'quantitative' as const,
    scale: { domain: [0, Math.max(minutes(story.endSeconds), 0.1)], nice: false },
    axis: title
      ? {
          title: story.startedAt
            ? `minutes since ${story.startedAt}`
            : 'minutes since the release started (virtual time)',
        }
      : { title: null, labels: false },
  };
}

/** The data each panel draws, in the chart's own units (minutes, percent). */
export function chartData(story: ReleaseStory) {
  const end = minutes(story.endSeconds);
  const weights = story.weights.map((w) => ({ t: minutes(w.at), weight: w.canary }));
  if (weights.length) weights.push({ t: end, weight: weights.at(-1)?.weight ?? 0 });
  const events = [
    ...story.checks.map((c) => ({
      t: minutes(c.at),
      lane: LANES.check,
      kind: c.passed ? 'passed' : 'failed',
      label: '',
      weight: weightAt(story, c.at),
    })),
    ...story.marks.map((m) => ({
      t: minutes(m.at),
      lane: LANES[m.kind],
      kind: m.kind,
      label: short(m.label),
      weight: weightAt(story, m.at),
    })),
  ];
  const labels = placeLabels(
    events.filter((e) => e.label),
    Math.max(end, 0.1),
  );
  const seen = [...new Set(story.alarms.map((a) => a.alarm))];
  const alarms = seen.flatMap((alarm) => {
    const points = story.alarms.filter((a) => a.alarm === alarm).sort((a, b) => a.at - b.at);
    return points.map((p, i) => ({
      alarm,
      state: p.state,
      t: minutes(p.at),
      t2: minutes(points[i + 1]?.at ?? story.endSeconds),
    }));
  });
  const metrics = story.checks.flatMap((c) =>
    c.signals
      .filter((s) => s.kind !== 'alarm' && s.kind !== 'hook' && s.measured)
      .flatMap((s) =>
        (['canary', 'stable', 'max', 'min'] as const)
          .filter((series) => s.measured?.[series] !== undefined)
          .map((series) => ({
            check: s.name,
            t: minutes(c.at),
            series: series === 'max' || series === 'min' ? `bound (${series})` : series,
            value: s.measured?.[series] as number,
          })),
      ),
  );
  return { weights, events, labels, alarms, metrics };
}

/** About how wide a character of the 9 px labels is: enough to keep labels from running into each other. */
export const CHAR_PX = 5.2;

export interface PlacedLabel {
  readonly t: number;
  readonly lane: string;
  readonly label: string;
  readonly align: 'left' | 'right';
}

/**
 * Where each marker's label goes: to its right when it fits before the next label of its lane (or the
 * edge), else to its left when there is more room there; cut to the room it has, and left out when
 * that is under four characters (the marker stays, its words are in the report).
 */
export function placeLabels(
  events: readonly { readonly t: number; readonly lane: string; readonly label: string }[],
  end: number,
): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const xOf = (t: number) => (t / end) * WIDTH;
  for (const lane of new Set(events.map((e) => e.lane))) {
    const group = events.filter((e) => e.lane === lane).sort((a, b) => a.t - b.t);
    let freeFrom = 0;
    group.forEach((e, i) => {
      const x = xOf(e.t);
      const next = group[i + 1];
      const rightRoom = (next ? xOf(next.t) : WIDTH) - x - 10;
      const leftRoom = x - freeFrom - 10;
      const right = e.label.length * CHAR_PX <= rightRoom || rightRoom >= leftRoom;
      const room = Math.floor((right ? rightRoom : leftRoom) / CHAR_PX);
      if (room < 4) return;
      const label = short(e.label, room);
      placed.push({ t: e.t, lane, label, align: right ? 'left' : 'right' });
      freeFrom = right ? x + 7 + label.length * CHAR_PX : x;
    });
  }
  return placed;
}

function legendColors(keys: readonly string[]) {
  return {
    domain: [...keys],
    range: keys.map((k) => MARK_STYLE[k as keyof typeof MARK_STYLE].color),
  };
}

/** The Vega-Lite spec of a release's chart: data inline, nothing to fetch. */
export function releaseChartSpec(story: ReleaseStory): TopLevelSpec {
  const data = chartData(story);
  const canary = story.plan?.canary ?? 'the new version';
  // Layers of one panel share its axis: each says the same, or Vega-Lite keeps only one of them.
  const markersLast = data.alarms.length === 0 && data.metrics.length === 0;
  const halts = data.events.filter((e) => ['halt', 'rollback', 'promote'].includes(e.kind));
  const panels: object[] = [
    {
      title: { text: `Traffic on ${canary}`, anchor: 'start', fontSize: 12 },
      width: WIDTH,
      height: 170,
      layer: [
        {
          name: 'share',
          data: { values: data.weights },
          mark: { type: 'area', interpolate: 'step-after', color: '#4e79a7', opacity: 0.15 },
          encoding: { x: xAxis(story, false), y: { field: 'weight', type: 'quantitative' } },
        },
        {
          name: 'weights',
          data: { values: data.weights },
          mark: { type: 'line', interpolate: 'step-after', color: '#4e79a7', strokeWidth: 2 },
          encoding: {
            x: xAxis(story, false),
            y: {
              field: 'weight',
              type: 'quantitative',
              scale: { domain: [0, 100] },
              axis: { title: `% on ${short(canary, 24)}` },
            },
          },
        },
        {
          name: 'turns',
          data: { values: halts },
          mark: { type: 'rule', strokeDash: [4, 3] },
          encoding: {
            x: xAxis(story, false),
            color: {
              field: 'kind',
              type: 'nominal',
              scale: legendColors(['halt', 'rollback', 'promote']),
              legend: null,
            },
          },
        },
      ],
    },
    {
      width: WIDTH,
      height: LANE_ORDER.length * 16,
      layer: [
        {
          name: 'markers',
          data: { values: data.events },
          mark: { type: 'point', filled: true, size: 70 },
          encoding: {
            x: xAxis(story, markersLast),
            y: {
              field: 'lane',
              type: 'nominal',
              scale: { domain: LANE_ORDER },
              axis: { title: null },
            },
            color: {
              field: 'kind',
              type: 'nominal',
              title: 'markers',
              scale: legendColors(Object.keys(MARK_STYLE)),
            },
            shape: {
              field: 'kind',
              type: 'nominal',
              scale: {
                domain: Object.keys(MARK_STYLE),
                range: Object.values(MARK_STYLE).map((s) => s.shape),
              },
              title: 'markers',
            },
          },
        },
        ...(['left', 'right'] as const).map((align) => ({
          name: `labels-${align}`,
          data: { values: data.labels.filter((l) => l.align === align) },
          mark: { type: 'text', align, dx: align === 'left' ? 7 : -7, fontSize: 9, color: '#333' },
          encoding: {
            x: xAxis(story, markersLast),
            y: { field: 'lane', type: 'nominal' },
            text: { field: 'label' },
          },
        })),
      ],
    },
  ];
  if (data.alarms.length) {
    const names = [...new Set(data.alarms.map((a) => a.alarm))];
    panels.push({
      title: { text: 'Alarms, as the release saw them', anchor: 'start', fontSize: 12 },
      width: WIDTH,
      height: names.length * 18,
      name: 'alarms',
      data: { values: data.alarms },
      mark: { type: 'bar', height: 12 },
      encoding: {
        x: xAxis(story, data.metrics.length === 0),
        x2: { field: 't2' },
        y: { field: 'alarm', type: 'nominal', axis: { title: null }, scale: { domain: names } },
        color: {
          field: 'state',
          type: 'nominal',
          title: 'alarm state',
          scale: { domain: Object.keys(STATE_COLORS), range: Object.values(STATE_COLORS) },
        },
      },
    });
  }
  const checks = [...new Set(data.metrics.map((m) => m.check))];
  checks.forEach((check, i) => {
    const values = data.metrics.filter((m) => m.check === check);
    const series = SERIES.filter((name) => values.some((v) => v.series === name));
    panels.push({
      title: { text: `Metric check ${check}`, anchor: 'start', fontSize: 12 },
      width: WIDTH,
      height: 90,
      name: `metric-${i}`,
      data: { values },
      mark: { type: 'line', point: true, interpolate: 'linear' },
      encoding: {
        x: xAxis(story, i === checks.length - 1),
        y: { field: 'value', type: 'quantitative', axis: { title: null }, scale: { zero: false } },
        color: {
          field: 'series',
          type: 'nominal',
          title: 'metric checks',
          scale: { domain: series, range: series.map((name) => SERIES_STYLE[name].color) },
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: 'metric checks',
          scale: { domain: series, range: series.map((name) => SERIES_STYLE[name].dash) },
        },
      },
    });
  });
  const outcome = `${story.outcome.toUpperCase()}${story.error ? ` (${story.error.name})` : ''}`;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: story.title, subtitle: outcome, anchor: 'start' },
    background: 'white',
    padding: 12,
    config: { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 10 } },
    vconcat: panels,
    spacing: 8,
    resolve: { scale: { color: 'independent', shape: 'independent', strokeDash: 'independent' } },
  } as TopLevelSpec;
}
