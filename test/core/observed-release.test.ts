import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { historyStepOf } from '#adapters/aws/sfn-execution-history.ts';
import { observedEventsOf } from '#adapters/aws/sfn-release-observer.ts';
import { jsonObjectIn, type ObservedReleaseState, releaseStateIn } from '#core/observed-release.ts';
import { storyOfHistory } from '../../cli/report/from-history.ts';
import {
  CHECK_SIGNALS,
  exited,
  HISTORY_START,
  releaseHistory,
  releaseState,
} from '../support/execution-history.ts';

/** What `stepshift report` reads of the execution: the same events, as sfn-execution-history.ts gives them. */
const storyOf = (history: readonly HistoryEvent[], status: string) =>
  storyOfHistory(
    { executionArn: 'arn', status, startedAt: new Date(HISTORY_START), events: history.map(historyStepOf) },
    'orders-v2',
    new Date(HISTORY_START + 3_600_000),
  );

describe('releaseStateIn', () => {
  it('reads a JSON object as the release state, and nothing else: not an array, null, a string or broken JSON', () => {
    const state: ObservedReleaseState = { v: 2, step: 1, written: null, halt: { reason: 'r' } };
    expect(releaseStateIn(JSON.stringify(state))).toEqual(state);
    for (const text of [undefined, '', '[1]', 'null', '"v2"', '{"v":']) {
      expect(releaseStateIn(text)).toBeUndefined();
      expect(jsonObjectIn(text)).toBeUndefined();
    }
  });
});

describe('the report and the views read the release state from the same places', () => {
  it('take the plan, the weights written, each check and the halt from the task states the same way', () => {
    const history = releaseHistory('rolled back', { signals: true });
    const events = observedEventsOf(history);
    const story = storyOf(history, 'FAILED');

    const planned = events.find((e) => e.type === 'release.planned')?.detail;
    expect(planned).toMatchObject({ steps: [10, 50], stable: 'orders-v1', canary: 'orders-v2' });
    expect(story.plan).toMatchObject({ steps: [10, 50], stable: 'orders-v1', canary: 'orders-v2' });

    const shifted = events
      .filter((e) => e.type === 'traffic.shifted')
      .map((e) =>
        (e.detail.targets as { name: string; weight: number }[]).find((t) => t.name === 'orders-v2'),
      );
    expect(shifted.map((t) => t?.weight)).toEqual([10, 50]);
    expect(story.weights.map((w) => w.canary)).toEqual([0, 10, 50]);

    const checked = events
      .filter((e) => e.type === 'analysis.completed')
      .map(({ detail: { step, check, signals, passed } }) => ({ step, check, signals, passed }));
    expect(checked).toEqual([
      { step: 0, check: 0, signals: CHECK_SIGNALS.passed, passed: true },
      { step: 1, check: 0, signals: CHECK_SIGNALS.failed, passed: false },
    ]);
    expect(
      story.checks.map(({ step, check, signals, passed }) => ({ step, check, signals, passed })),
    ).toEqual(checked);

    const halted = events.find((e) => e.type === 'release.halted')?.detail.reason;
    expect(halted).toContain('orders-5xx is ALARM');
    expect(story.marks.find((m) => m.kind === 'halt')?.detail).toBe(halted);
  });

  it("read an Analyze output's failed checks, and its frozen hold, from the state it handed on", () => {
    const frozen = { error: 'ReleaseFrozen', reason: 'error-rate failed', at: '2026-01-01T09:05:00Z' };
    const history = [
      exited(1, 'Prepare the release', releaseState()),
      exited(300, 'Analyze health', {
        ...releaseState({ signals: CHECK_SIGNALS.failed, heldSince: frozen.at }),
        failedChecks: 1,
        frozen,
      }),
    ];
    const events = observedEventsOf(history);
    const story = storyOf(history, 'RUNNING');
    expect(events.find((e) => e.type === 'analysis.completed')?.detail.failedChecks).toBe(1);
    expect(story.checks[0]?.failedChecks).toBe(1);
    expect(events.find((e) => e.type === 'release.held')?.detail).toMatchObject({
      why: 'frozen',
      reason: 'error-rate failed',
    });
    expect(story.marks.find((m) => m.kind === 'hold')?.label).toBe('held (frozen)');
  });
});
