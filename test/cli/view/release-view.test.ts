import { describe, expect, it } from 'vitest';
import { type ViewEvent, viewOf } from '../../../cli/view/release-view.ts';
import { compactView, eventLine } from '../../../cli/view/render.ts';
import { CROWDED_CHECK } from '../../support/execution-history.ts';

const at = (seconds: number) => Date.UTC(2026, 0, 1) + seconds * 1000;
const planned: ViewEvent = {
  at: at(0),
  type: 'release.planned',
  detail: {
    version: 'v2',
    trigger: 'request',
    canary: 'orders-v2',
    stable: 'orders-v1',
    steps: [10, 50],
    alarms: ['orders-5xx'],
    snapshot: [{ name: 'orders-v1', weight: 100 }],
  },
};
const shifted: ViewEvent = {
  at: at(1),
  type: 'traffic.shifted',
  detail: {
    version: 'v2',
    step: 0,
    steps: 2,
    unchanged: false,
    targets: [
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10 },
    ],
  },
};
const bake: ViewEvent = {
  at: at(2),
  type: 'bake.started',
  detail: { version: 'v2', step: 0, check: 0, seconds: 300 },
};

describe('the release view', () => {
  it('bakes at the step it shifted to, counting down to the next check', () => {
    const view = viewOf('r1', 'orders', [planned, shifted, bake]);
    expect(view).toMatchObject({ state: 'baking', step: 0, version: 'v2', trigger: 'request' });
    expect(compactView(view, at(62))).toEqual([
      'orders v2 (r1): baking · step 1/2 ▰▱ 10% on orders-v2',
      '  weights     orders-v1 90% · orders-v2 10%',
      '  next check  in 4m',
    ]);
  });

  it('shows each signal of the latest check against its threshold, and stops the countdown', () => {
    const view = viewOf('r1', 'orders', [
      planned,
      shifted,
      bake,
      {
        at: at(302),
        type: 'analysis.completed',
        detail: {
          version: 'v2',
          step: 0,
          check: 0,
          passed: true,
          failedChecks: 0,
          failureThreshold: 1,
          signals: [
            {
              name: 'orders-5xx',
              kind: 'alarm',
              value: 'OK',
              verdict: 'pass',
              detail: '0.2, alarm when > 1',
            },
          ],
        },
      },
    ]);
    expect(view.nextCheckAt).toBeUndefined();
    expect(compactView(view, at(303))).toContain('  signals     orders-5xx OK (0.2, alarm when > 1)');
  });

  it('shows the 8 signals a check of 11 carried, says 3 more, and drops the count when a check fits', () => {
    const check = (at: number, detail: Record<string, unknown>): ViewEvent => ({
      at,
      type: 'analysis.completed',
      detail: { version: 'v2', step: 0, check: 0, passed: false, ...detail },
    });
    const crowded = check(at(302), {
      signals: CROWDED_CHECK.signals,
      signalsOmitted: CROWDED_CHECK.signalsOmitted,
    });
    const view = viewOf('r1', 'orders', [planned, shifted, bake, crowded]);
    expect(view.signalsOmitted).toBe(3);
    const lines = compactView(view, at(303));
    expect(lines.filter((l) => l.includes('(4.7, alarm when > 1)'))).toHaveLength(8);
    expect(lines).toContain('              … and 3 more signals');
    expect(eventLine(view, crowded, true)).toMatch(
      /alarm-7 ALARM \(4\.7, alarm when > 1\); … and 3 more signals$/,
    );
    const fits = viewOf('r1', 'orders', [planned, shifted, bake, crowded, check(at(603), { signals: [] })]);
    expect(fits).not.toHaveProperty('signalsOmitted');
    expect(compactView(fits, at(604)).join('\n')).not.toContain('more signal');
  });

  it('says which hold a release is in, and why, until it resumes', () => {
    const held = (why: string) =>
      viewOf('r1', 'orders', [
        planned,
        shifted,
        { at: at(300), type: 'release.held', detail: { version: 'v2', why, reason: 'because', targets: [] } },
      ]);
    expect(held('approval').state).toBe('held for approval');
    expect(held('frozen').state).toBe('frozen');
    expect(held('paused')).toMatchObject({ state: 'paused', reason: 'because' });
    const resumed = viewOf('r1', 'orders', [
      planned,
      shifted,
      {
        at: at(300),
        type: 'release.held',
        detail: { version: 'v2', why: 'paused', reason: 'x', targets: [] },
      },
      { at: at(400), type: 'release.resumed', detail: { version: 'v2', after: 'paused' } },
    ]);
    expect(resumed.state).toBe('baking');
    expect(resumed.reason).toBeUndefined();
  });

  it('ends with the outcome, and prints lifecycle events in notification words, checks only when asked', () => {
    const view = viewOf('r1', 'orders', [planned, shifted]);
    expect(eventLine(view, shifted, false)).toBe(
      '+00:00:01 orders v2 step 1/2: orders-v1 90% · orders-v2 10%',
    );
    expect(eventLine(view, bake, true)).toBeUndefined();
    const stopped = viewOf('r1', 'orders', [
      planned,
      shifted,
      { at: at(5), type: 'execution.aborted', detail: {} },
    ]);
    expect(stopped).toMatchObject({ state: 'ended', outcome: 'stopped' });
  });
});
