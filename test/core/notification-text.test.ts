import { describe, expect, it } from 'vitest';
import { judgeAlarms } from '#core/health/alarms.ts';
import { briefSignal } from '#core/health/signals.ts';
import { LIFECYCLE_DETAIL_TYPES, type LifecycleEvent, lifecycleEventOf } from '#core/lifecycle.ts';
import { NOTIFICATION_MAX_CHARS, notificationText } from '#core/notification-text.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario } from '#rehearsal/script/scenario.ts';

const about = { releaseId: 'orders-v8', service: 'orders', version: 'v8' };
/** A rollback of the release `about`, all traffic back on the stable version. */
const rolledBack = {
  type: 'release.rolled_back' as const,
  ...about,
  targets: [{ name: 'orders-v7', weight: 100 }],
};
const split = [
  { name: 'orders-v7', weight: 75 },
  { name: 'orders-v8', weight: 25 },
];
const line = (event: ReleaseEvent) => {
  const lifecycle = lifecycleEventOf(event);
  if (!lifecycle) throw new Error(`${event.type} is not a lifecycle event`);
  return notificationText(lifecycle);
};

describe('notificationText', () => {
  it('says where a release rolled back from and what failed, briefly', () => {
    expect(
      line({
        ...rolledBack,
        error: 'ReleaseRolledBack',
        reason:
          'orders-5xx is ALARM (4.7, alarm when > 1; in ALARM for 0s), at step 2 with 25% on the new version; 1 failed check reached the threshold',
        step: 1,
        weight: 25,
        signals: ['orders-5xx 4.7 > 1'],
      }),
    ).toBe('orders v8 rolled back at step 2 (25%): orders-5xx 4.7 > 1');
  });

  it('says how many failed signals the briefs left out', () => {
    const briefs = ['a-0 4.7 > 1', 'a-1 4.7 > 1', 'a-2 4.7 > 1', 'a-3 4.7 > 1', 'a-4 4.7 > 1'];
    expect(
      line({
        ...rolledBack,
        error: 'ReleaseRolledBack',
        reason: 'a-0 is ALARM (4.7, alarm when > 1); ..., at step 2 with 25% on the new version',
        step: 1,
        weight: 25,
        signals: briefs,
        signalsOmitted: 6,
      }),
    ).toBe(`orders v8 rolled back at step 2 (25%): ${briefs.join(', ')} and 6 more`);
    // Long briefs are cut, the count is not.
    const long = line({
      ...rolledBack,
      error: 'ReleaseRolledBack',
      reason: 'r',
      signals: briefs.map((b) => `${'x'.repeat(100)}-${b}`),
      signalsOmitted: 6,
    });
    expect(long).toHaveLength(NOTIFICATION_MAX_CHARS);
    expect(long.endsWith('… and 6 more')).toBe(true);
  });

  it("falls back to the reason's gist when no signal failed, and to no place when the guard restored", () => {
    expect(
      line({
        ...rolledBack,
        error: 'ReleaseAborted',
        reason:
          'ReleaseAborted: aborted by alice at 2026-01-01T00:00:00Z: bad build, at step 1 with 10% on the new version',
        step: 0,
        weight: 10,
      }),
    ).toBe(
      'orders v8 rolled back at step 1 (10%): ReleaseAborted: aborted by alice at 2026-01-01T00:00:00Z: bad build',
    );
    expect(
      line({
        ...rolledBack,
        error: 'ExecutionStopped',
        reason: 'stopped with orders-v7 90% · orders-v8 10% on r; the guard put the snapshot back',
      }),
    ).toBe(
      'orders v8 rolled back: stopped with orders-v7 90% · orders-v8 10% on r; the guard put the snapshot back',
    );
  });

  it('words every other detail-type with the service, the version and what matters', () => {
    expect(
      line({ type: 'traffic.shifted', ...about, step: 1, steps: 3, targets: split, unchanged: false }),
    ).toBe('orders v8 step 2/3: orders-v7 75% · orders-v8 25%');
    expect(line({ type: 'release.promoted', ...about, targets: [{ name: 'orders-v8', weight: 100 }] })).toBe(
      'orders v8 promoted (orders-v8 100%)',
    );
    expect(
      line({
        type: 'release.held',
        ...about,
        why: 'approval',
        reason: 'waiting for stepshift approve orders-v8 (or reject) until 2026-01-01T01:00:00Z',
        targets: split,
      }),
    ).toBe(
      'orders v8 waiting for approval (orders-v7 75% · orders-v8 25%): waiting for stepshift approve orders-v8 (or reject) until 2026-01-01T01:00:00Z',
    );
    expect(line({ type: 'release.resumed', ...about, after: 'paused', by: 'bob' })).toBe(
      'orders v8 resumed after paused (bob)',
    );
    expect(line({ type: 'release.rejected', releaseId: 'r9', service: 'orders', problems: ['a', 'b'] })).toBe(
      'orders r9 rejected, nothing written: a; b',
    );
    expect(
      line({
        type: 'release.retreating',
        ...about,
        error: 'ReleaseRolledBack',
        reason: 'error-rate 0.04 above max 0.01 over 3 samples, at step 2 with 25% on the new version',
        weight: 10,
      }),
    ).toBe('orders v8 stepping back to 10%: error-rate 0.04 above max 0.01 over 3 samples');
  });

  it('says what a start watches only when the event says: none is "watching no signals", unknown is nothing', () => {
    const started = {
      releaseId: 'orders-v8',
      service: 'orders',
      version: 'v8',
      trigger: 'ecr',
      stable: 'a',
      canary: 'b',
      steps: [10],
    };
    expect(notificationText({ detailType: 'Release Started', detail: { ...started, alarms: [] } })).toBe(
      'orders v8 started (ecr): a -> b in 10%, watching no signals',
    );
    expect(notificationText({ detailType: 'Release Started', detail: started })).toBe(
      'orders v8 started (ecr): a -> b in 10%',
    );
  });

  it('has words for every detail-type stepshift sends, none of them the fallback', () => {
    for (const detailType of Object.values(LIFECYCLE_DETAIL_TYPES)) {
      const text = notificationText({ detailType, detail: about } as LifecycleEvent);
      expect(text, detailType).not.toBe(`orders v8: ${detailType}`);
    }
  });

  it(`keeps a line within ${NOTIFICATION_MAX_CHARS} characters, on one line`, () => {
    const text = line({
      type: 'release.not_ready',
      ...about,
      reason: `line one\nline two ${'x'.repeat(1000)}`,
    });
    expect(text).toHaveLength(NOTIFICATION_MAX_CHARS);
    expect(text).not.toContain('\n');
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('briefSignal', () => {
  it('gives an alarm its measured value against its threshold, as CloudWatch measured them', () => {
    const [signal] = judgeAlarms({ alarms: ['orders-5xx'], insufficientData: 'ignore' }, [
      {
        name: 'orders-5xx',
        type: 'metric',
        state: 'ALARM',
        measurement: { value: 4.7, threshold: 1, comparison: 'GreaterThanThreshold' },
      },
    ]);
    expect(signal && briefSignal(signal)).toBe('orders-5xx 4.7 > 1');
  });

  it('gives a bound metric check its mean against the bound it broke, and others their state', () => {
    const metric = { name: 'error-rate', kind: 'metric', value: '0.042', verdict: 'fail' } as const;
    expect(briefSignal({ ...metric, detail: '0.042 above max 0.01 over 12 samples' })).toBe(
      'error-rate 0.042 > 0.01',
    );
    expect(briefSignal({ ...metric, detail: '80 ms below min 100 ms over 3 samples' })).toBe(
      'error-rate 80 < 100',
    );
    expect(briefSignal({ ...metric, value: 'NO DATA', detail: 'no data' })).toBe('error-rate NO DATA');
    expect(
      briefSignal({
        name: 'health',
        kind: 'alarm',
        value: 'ALARM',
        verdict: 'fail',
        detail: 'composite alarm',
      }),
    ).toBe('health ALARM');
    expect(briefSignal({ name: 'smoke', kind: 'hook', value: 'fail', verdict: 'fail', detail: 'x' })).toBe(
      'hook smoke failed',
    );
  });
});

describe('a rehearsed rollback, on the bus', () => {
  it('reads "orders v2 rolled back at step 2 (25%): orders-5xx 4.7 > 1"', async () => {
    const report = await rehearse(await loadScenario('examples/canary-alarm-rollback.json'));
    const last = report.events.at(-1);
    expect(last && notificationText(last as unknown as LifecycleEvent)).toBe(
      'orders v2 rolled back at step 2 (25%): orders-5xx 4.7 > 1',
    );
  });
});
