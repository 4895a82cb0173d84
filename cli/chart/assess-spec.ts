import type { TopLevelSpec } from 'vega-lite';
import { formatDuration } from '#core/duration.ts';
import type { AssessCell, AssessReport } from '#rehearsal/assess/assess.ts';

/**
 * An assessment as one Vega-Lite picture: a row per degradation, a block per onset; on the left the
 * requests the bad version served, on the right the time until it had no traffic, each bar coloured by
 * what the release did; below, how often a healthy new version was rolled back.
 */

const WIDTH = 330;
const ROW = 16;

const KIND_LABEL = { 'error-rate': 'error rate', latency: 'latency' } as const;

export const VERDICTS = {
  'rolled back': '#4e79a7',
  'caught, traffic kept': '#edc948',
  'not caught': '#e15759',
} as const;
export type Verdict = keyof typeof VERDICTS;

const ONSET_LABEL = {
  start: 'from the start',
  'mid-step': 'from mid-step',
  'last-step': 'from the last step',
};

function verdictOf(cell: AssessCell): Verdict {
  if (!cell.detected) return 'not caught';
  return cell.secondsToRollback === null ? 'caught, traffic kept' : 'rolled back';
}

/** The data each panel draws: one datum per degradation and onset, in the chart's own words. */
export function assessChartData(report: AssessReport) {
  const blocks = Object.fromEntries(
    Object.entries(ONSET_LABEL).map(([onset, label]) => [
      onset,
      `${label} (at ${formatDuration(Math.round(report.onsets[onset as keyof typeof ONSET_LABEL]))})`,
    ]),
  );
  const cells = report.cells.map((c) => {
    const verdict = verdictOf(c);
    return {
      degradation: `${KIND_LABEL[c.kind]} ${c.degradation}${report.unwatched.includes(c.kind) ? ' (unwatched)' : ''}`,
      onset: blocks[c.onset] as string,
      verdict,
      badRequests: c.badRequests,
      requestsLabel: c.badRequests.toLocaleString('en-US'),
      // Minutes on the axis; a cell that kept traffic has no bar, its verdict is written instead.
      minutes: c.secondsToRollback === null ? 0 : c.secondsToRollback / 60,
      timeLabel: c.secondsToRollback === null ? verdict : formatDuration(Math.round(c.secondsToRollback)),
    };
  });
  const { runs, falseRollbacks, rate } = report.healthy;
  const healthy = {
    what: 'healthy new version',
    percent: rate * 100,
    label: `${falseRollbacks} false rollback${falseRollbacks === 1 ? '' : 's'} in ${runs} run${runs === 1 ? '' : 's'} (${(rate * 100).toFixed(0)}%)`,
  };
  return {
    cells,
    rows: [...new Set(cells.map((c) => c.degradation))],
    onsets: Object.values(blocks),
    healthy,
  };
}

function panel(
  data: ReturnType<typeof assessChartData>,
  name: string,
  field: 'badRequests' | 'minutes',
  text: 'requestsLabel' | 'timeLabel',
  title: string,
  rowLabels: boolean,
) {
  return {
    data: { values: data.cells },
    facet: {
      row: {
        field: 'onset',
        type: 'nominal',
        sort: data.onsets,
        // Both panels name the block, so their rows line up side by side.
        header: { title: null, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' },
      },
    },
    spacing: 6,
    spec: {
      width: WIDTH,
      height: data.rows.length * ROW,
      layer: [
        {
          name,
          mark: { type: 'bar', height: ROW - 4 },
          encoding: {
            x: {
              field,
              type: 'quantitative',
              axis: { title, grid: true },
              // Room past the longest bar for its label.
              scale: { domain: [0, Math.max(...data.cells.map((c) => c[field]), 1) * 1.15], nice: true },
            },
            y: {
              field: 'degradation',
              type: 'nominal',
              sort: data.rows,
              axis: rowLabels
                ? { title: null, labelLimit: 260 }
                : { title: null, labels: false, ticks: false },
            },
            color: {
              field: 'verdict',
              type: 'nominal',
              title: 'the release',
              legend: { labelLimit: 200 },
              scale: { domain: Object.keys(VERDICTS), range: Object.values(VERDICTS) },
            },
          },
        },
        {
          name: `${name}_labels`,
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#333' },
          encoding: {
            x: { field, type: 'quantitative' },
            y: { field: 'degradation', type: 'nominal', sort: data.rows },
            text: { field: text },
          },
        },
      ],
    },
  };
}

/** The Vega-Lite spec of an assessment's chart: data inline, nothing to fetch. */
export function assessChartSpec(report: AssessReport): TopLevelSpec {
  const data = assessChartData(report);
  const { rps, seed, sigma } = report.options;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `How fast the profile catches a bad ${report.target}`,
      subtitle: `${report.name}: assessed at ${rps} requests/s, seed ${seed}, noise ±${Math.round(sigma * 100)}% around each baseline`,
      anchor: 'start',
    },
    background: 'white',
    padding: 12,
    config: { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 10 } },
    vconcat: [
      {
        hconcat: [
          panel(
            data,
            'bad_requests',
            'badRequests',
            'requestsLabel',
            'requests served by the bad version',
            true,
          ),
          panel(
            data,
            'to_rollback',
            'minutes',
            'timeLabel',
            'minutes from the onset until it had no traffic',
            false,
          ),
        ],
        spacing: 24,
      },
      {
        title: {
          text: 'False rollbacks of a healthy new version, same noise',
          anchor: 'start',
          fontSize: 12,
        },
        width: WIDTH,
        height: ROW,
        data: { values: [data.healthy] },
        layer: [
          {
            name: 'false_rollbacks',
            mark: { type: 'bar', height: ROW - 4, color: '#e15759' },
            encoding: {
              x: {
                field: 'percent',
                type: 'quantitative',
                scale: { domain: [0, 100] },
                axis: { title: '% of healthy runs rolled back' },
              },
              y: { field: 'what', type: 'nominal', axis: { title: null } },
            },
          },
          {
            name: 'false_rollbacks_label',
            mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#333' },
            encoding: {
              x: { field: 'percent', type: 'quantitative' },
              y: { field: 'what', type: 'nominal' },
              text: { field: 'label' },
            },
          },
        ],
      },
    ],
    spacing: 16,
  } as TopLevelSpec;
}
