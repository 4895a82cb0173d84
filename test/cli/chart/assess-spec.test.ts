import { describe, expect, it } from 'vitest';
import { assessChartData, assessChartSpec } from '../../../cli/chart/assess-spec.ts';
import { renderSvg } from '../../../cli/chart/render.ts';
import { assessment } from '../../support/assessment.ts';
import { itemsOf } from '../../support/svg.ts';

describe("an assessment's chart", () => {
  it('has a datum per degradation and onset, with what the release did and its words', () => {
    // Act
    const data = assessChartData(assessment);

    // Assess
    expect(data.cells).toHaveLength(assessment.cells.length);
    expect(data.rows).toEqual(['error rate ×2', 'error rate ×10', 'latency +50% (unwatched)']);
    expect(data.onsets).toEqual([
      'from the start (at 1s)',
      'from mid-step (at 2m31s)',
      'from the last step (at 10m1s)',
    ]);
    expect(data.cells.map((c) => [c.degradation, c.onset, c.verdict, c.timeLabel])).toEqual([
      ['error rate ×2', 'from the start (at 1s)', 'not caught', 'not caught'],
      ['error rate ×10', 'from the start (at 1s)', 'rolled back', '1m'],
      ['error rate ×10', 'from mid-step (at 2m31s)', 'caught, traffic kept', 'caught, traffic kept'],
      ['latency +50% (unwatched)', 'from the last step (at 10m1s)', 'not caught', 'not caught'],
    ]);
    expect(data.cells[1]).toMatchObject({ badRequests: 599, requestsLabel: '599', minutes: 1 });
    expect(data.healthy).toEqual({
      what: 'healthy new version',
      percent: 5,
      label: '1 false rollback in 20 runs (5%)',
    });
  });

  it('renders to SVG: a bar per cell in both panels, and the false-rollback rate', async () => {
    // Act
    const svg = await renderSvg(assessChartSpec(assessment));

    // Assess
    expect(svg.startsWith('<svg')).toBe(true);
    expect(itemsOf(svg, 'bad_requests')).toHaveLength(assessment.cells.length);
    expect(itemsOf(svg, 'to_rollback')).toHaveLength(assessment.cells.length);
    expect(itemsOf(svg, 'bad_requests_labels')).toEqual(expect.arrayContaining(['25,576', '599']));
    expect(itemsOf(svg, 'to_rollback_labels')).toEqual(
      expect.arrayContaining(['not caught', '1m', 'caught, traffic kept']),
    );
    expect(itemsOf(svg, 'false_rollbacks')).toHaveLength(1);
    expect(itemsOf(svg, 'false_rollbacks_label')).toEqual(['1 false rollback in 20 runs (5%)']);
    expect(svg).toContain('from the last step (at 10m1s)');
  });
});
