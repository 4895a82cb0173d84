import { describe, expect, it } from 'vitest';
import type { Signal } from '#core/shapes.ts';

import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, type Scenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant } from '../../support/invariant.ts';

/**
 * Metric checks and the compare-to-stable judge, rehearsed through the deployed definition: the
 * examples' outcomes, when they happen, the words an operator reads, and the invariant.
 */

const dir = new URL('../../../examples/', import.meta.url).pathname;

async function run(file: string): Promise<{ scenario: Scenario; report: RehearsalReport }> {
  const scenario = await loadScenario(`${dir}${file}`);
  return { scenario, report: await rehearse(scenario) };
}

function analyses(report: RehearsalReport) {
  return report.timeline
    .filter((e) => e.event === 'analysis.completed')
    .map((e) => ({ at: e.at, signals: e.detail.signals as Signal[] }));
}

function minuteOf(report: RehearsalReport, event: string): number | undefined {
  const entry = report.timeline.find((e) => e.event === event);
  return entry === undefined ? undefined : Math.floor(entry.at / 60);
}

describe('an error-rate check that breaches at 12m', () => {
  it('rolls back at the analysis that reads the minute from 12m, saying the value against its bound', async () => {
    // Act
    const { scenario, report } = await run('metrics-error-rate-rollback.json');

    // Assess
    expect(report.outcome).toBe('rolled_back');
    expect(report.error).toEqual({
      name: 'ReleaseRolledBack',
      message:
        'error-rate 0.042 above max 0.01 over 1 sample, at step 3 with 50% on the new version; 1 failed check reached the threshold',
    });
    // Judged every minute: twelve healthy minutes pass, the thirteenth analysis (at 13m) fails.
    const checks = analyses(report);
    expect(checks.slice(0, -1).every((c) => c.signals[0]?.verdict === 'pass')).toBe(true);
    expect(checks.map((c) => Math.floor(c.at / 60))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(checks.at(-1)?.signals).toEqual([
      {
        name: 'error-rate',
        kind: 'metric',
        value: '0.042',
        verdict: 'fail',
        detail: '0.042 above max 0.01 over 1 sample',
        samples: 1,
        measured: { canary: 0.042, max: 0.01 },
      },
    ]);
    expect(minuteOf(report, 'release.rolled_back')).toBe(13);
    expectInvariant(scenario, report);
  });

  it('reads all checks with one GetMetricData per analysis, over the whole minutes since the last one', async () => {
    // Act
    const { report } = await run('metrics-error-rate-rollback.json');

    // Assess
    const reads = report.calls.filter((c) => c.operation === 'GetMetricData');
    expect(reads).toHaveLength(analyses(report).length);
    const epoch = Date.UTC(2026, 0, 1) / 1000;
    const minutes = reads.map((c) => [
      ((c.input.StartTime as number) - epoch) / 60,
      ((c.input.EndTime as number) - epoch) / 60,
    ]);
    expect(minutes.slice(0, 3)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    const queries = (reads[0]?.input.MetricDataQueries ?? []) as { Id: string }[];
    const ids = queries.map((q) => q.Id);
    expect(ids).toEqual(['canary_0_errors', 'canary_0_requests', 'canary_0_rate']);
  });
});

describe('a series with no datapoints, by noData policy', () => {
  it.each([
    {
      noData: 'fail',
      outcome: 'rolled_back',
      minute: 5,
      words:
        'error-rate has no datapoints in the window; noData is "fail", at step 1 with 10% on the new version; 1 failed check reached the threshold',
    },
    {
      noData: 'inconclusive',
      outcome: 'rolled_back',
      minute: 15,
      words:
        'error-rate has no datapoints in the window; noData is "inconclusive"; inconclusive 3 analyses in a row, the inconclusiveLimit of 3, at step 3 with 50% on the new version; 1 failed check reached the threshold',
    },
    { noData: 'pass', outcome: 'promoted', minute: 15, words: undefined },
  ])('noData "$noData": $outcome at $minute m', async ({ noData, outcome, minute, words }) => {
    // Act
    const { scenario, report } = await run(`metrics-no-data-${noData}.json`);

    // Assess
    expect(report.outcome).toBe(outcome);
    expect(report.error?.message).toBe(words);
    expect(minuteOf(report, outcome === 'promoted' ? 'release.promoted' : 'release.rolled_back')).toBe(
      minute,
    );
    const verdicts = analyses(report).map((c) => c.signals[0]?.verdict);
    expect(verdicts).toEqual(
      {
        fail: ['fail'],
        inconclusive: ['inconclusive', 'inconclusive', 'fail'],
        pass: ['pass', 'pass', 'pass'],
      }[noData],
    );
    expectInvariant(scenario, report);
  });
});

describe('the canary-vs-stable judge on p99 latency', () => {
  it('fails a canary whose latencies are shifted 20% above the stable, with the score in the words', async () => {
    // Act
    const { scenario, report } = await run('judge-latency-shifted-20.json');

    // Assess
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toBe(
      'canary p99 latency 115.2 ms vs baseline 96.9 ms (+19%, p=0.000091 < 0.05): fail, higher beyond the 10% tolerance (score 3), at step 1 with 25% on the new version; 1 failed check reached the threshold',
    );
    const [first] = analyses(report);
    expect(first?.signals[0]).toMatchObject({
      kind: 'comparison',
      verdict: 'fail',
      samples: 10,
      judgement: { verdict: 'fail' },
    });
    expect(minuteOf(report, 'release.rolled_back')).toBe(10);
    expectInvariant(scenario, report);
  });

  it('passes a canary whose latencies are shifted 2% above the stable, and promotes', async () => {
    // Act
    const { scenario, report } = await run('judge-latency-shifted-2.json');

    // Assess
    expect(report.outcome).toBe('promoted');
    const judged = analyses(report).map((c) => c.signals[0]);
    expect(judged.map((s) => s?.verdict)).toEqual(['pass', 'pass']);
    expect(judged[0]?.detail).toBe(
      'canary p99 latency 97.9 ms vs baseline 96.9 ms (+1%, p=0.11 >= 0.05): pass (score 80)',
    );
    expect(minuteOf(report, 'release.promoted')).toBe(20);
    expectInvariant(scenario, report);
  });
});
