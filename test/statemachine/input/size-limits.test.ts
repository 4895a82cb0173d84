import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '#core/bounded-text.ts';
import { STATE_PAYLOAD_LIMIT_BYTES } from '#rehearsal/platform/payload-limits.ts';
import { rehearse } from '#rehearsal/rehearse.ts';
import { PUT_EVENTS_LIMIT_BYTES, putEventsEntryBytes } from '#rehearsal/services/eventbridge/limits.ts';
import { writesIn } from '../../support/invariant.ts';
import { type healthyScenarioInput, scenarioWith } from '../../support/scenarios.ts';

type Input = ReturnType<typeof healthyScenarioInput>;

/** 300 KB: what a Lambda hook answered in issue 12, straight into the cause and a bus event. */
const HUGE = 'r'.repeat(300_000);
/** The longest names the profile schema allows. */
const name = (prefix: string, length: number, i: number) => `${prefix}${i}-`.padEnd(length, 'x');

const PHASES = [
  'preRollout',
  'preRollout',
  'preRollout',
  'rollout',
  'rollout',
  'rollout',
  'confirmTrafficIncrease',
  'confirmTrafficIncrease',
  'postRollout',
  'rollback',
] as const;

/**
 * The healthy example with a maximal profile: 10 Lambda hooks, 10 alarms and 10 metric checks, every
 * name as long as the schema allows, every hook answering with a 300 KB reason; `failing` hooks fail.
 */
function maximal(failing: (phase: string) => boolean) {
  return scenarioWith((s: Input) => {
    const hooks = PHASES.map((phase, i) => ({
      name: name('hook', 64, i),
      phase,
      type: 'lambda',
      functionName: name('orders-hook-', 64, i),
    }));
    const alarms = Array.from({ length: 10 }, (_, i) => name('orders-alarm-', 255, i));
    const metrics = Array.from({ length: 10 }, (_, i) => ({
      name: name('check ', 64, i),
      queries: [
        {
          Id: name('q', 200, i).replaceAll('-', '_'),
          MetricStat: {
            Metric: {
              Namespace: 'Shop/Orders',
              MetricName: 'HTTP5xx',
              Dimensions: [{ Name: 'VirtualNode', Value: '{canary}' }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      returnId: name('q', 200, i).replaceAll('-', '_'),
      max: 1_000_000,
      noData: 'pass',
    }));
    Object.assign(s.profile, {
      hooks,
      analysis: { alarms, failureThreshold: 1, insufficientData: 'ignore', metrics },
    });
    s.world.alarms = alarms.map((alarm) => ({
      name: alarm,
      type: 'metric',
      states: [{ at: '0s', state: 'OK' }],
    }));
    s.world.hooks = Object.fromEntries(
      hooks.map((h) => [h.name, [{ at: '0s', result: failing(h.phase) ? 'fail' : 'pass', reason: HUGE }]]),
    );
  });
}

/** The largest PutEvents entry of the rehearsal, as EventBridge counts it. */
function largestEntry(report: Awaited<ReturnType<typeof rehearse>>): number {
  return Math.max(
    ...report.events.map((e) =>
      putEventsEntryBytes({ Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) }),
    ),
  );
}

describe('sizes stay under what AWS takes, with a maximal profile and hooks answering 300 KB reasons', () => {
  it('rolls back on a failing rollout hook with every payload and event far under the limits', async () => {
    const report = await rehearse(maximal((phase) => phase === 'rollout'));
    expect(report.outcome, report.error?.message).toBe('rolled_back');
    // A quarter of the limits: the margin kept for what later releases of stepshift add.
    expect(report.largestPayload?.bytes).toBeLessThan(STATE_PAYLOAD_LIMIT_BYTES / 4);
    expect(largestEntry(report)).toBeLessThan(PUT_EVENTS_LIMIT_BYTES / 4);
    expect(Buffer.byteLength(report.error?.message ?? '')).toBeLessThanOrEqual(TEXT_LIMITS.cause);
    // The hooks' 300 KB answers reach the cause only cut, and marked so: by the hook adapter's excerpt
    // (a receiver's words, "...") or by the bound on the whole message ("bytes cut").
    expect(report.error?.message).not.toMatch(/r{300}/);
    expect(report.error?.message).toMatch(/\.\.\.\)|bytes cut\] …/);
    const rolledBack = report.events.find((e) => e.detailType === 'Release Rolled Back');
    expect(Buffer.byteLength(String(rolledBack?.detail.reason))).toBeLessThanOrEqual(TEXT_LIMITS.reason);
    console.info(
      `maximal profile, rollout hooks failing: largest state payload ${report.largestPayload?.bytes} bytes (${report.largestPayload?.state} ${report.largestPayload?.what}), largest event entry ${largestEntry(report)} bytes`,
    );
  });

  it('rolls back on failing preRollout hooks, their reasons bounded in the error Step Functions catches', async () => {
    const report = await rehearse(maximal((phase) => phase === 'preRollout'));
    expect(report.outcome, report.error?.message).toBe('rolled_back');
    expect(report.error?.message).toContain('HookFailed: preRollout hook hook0-');
    expect(report.largestPayload?.bytes).toBeLessThan(STATE_PAYLOAD_LIMIT_BYTES / 4);
    expect(largestEntry(report)).toBeLessThan(PUT_EVENTS_LIMIT_BYTES / 4);
    console.info(
      `maximal profile, preRollout hooks failing: largest state payload ${report.largestPayload?.bytes} bytes (${report.largestPayload?.state} ${report.largestPayload?.what}), largest event entry ${largestEntry(report)} bytes`,
    );
  });

  it("fails a state over 256 KiB with States.DataLimitExceeded, which Prepare's Catch on States.ALL does not take", async () => {
    const report = await rehearse(
      scenarioWith((s) => {
        s.request = { service: 'orders', version: 'v2', releaseId: 'r'.repeat(STATE_PAYLOAD_LIMIT_BYTES) };
      }),
    );
    expect(report.outcome).toBe('failed');
    expect(report.error?.name).toBe('States.DataLimitExceeded');
    // Only Prepare ran: the Catch's "Release could not start" was never entered.
    expect(report.stateTransitions).toBe(1);
    expect(writesIn(report)).toEqual([]);
    expect(report.heldLocks).toEqual([]);
  });
});
