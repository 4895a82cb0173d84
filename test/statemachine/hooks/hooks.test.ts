import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { loadScenario, parseScenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';

/** Hooks and a manual approval through the real state machine, answered by world.hooks and world.operator. */
const examples = new URL('../../../examples/', import.meta.url).pathname;
const events = (r: RehearsalReport, name: string) => r.timeline.filter((e) => e.event === name);
const hookRuns = (r: RehearsalReport) =>
  events(r, 'hook.finished').map((e) => `${e.detail.phase}:${e.detail.hook}:${e.detail.result}`);

/** The parts of an example these tests change. */
interface ExampleInput {
  expect?: unknown;
  world: { hooks: Record<string, unknown> };
  profile: { hooks: Record<string, unknown>[] };
}

async function variant(file: string, change: (s: ExampleInput) => void) {
  const { readFile } = await import('node:fs/promises');
  const input = JSON.parse(await readFile(`${examples}${file}`, 'utf8')) as ExampleInput;
  delete input.expect;
  change(input);
  return parseScenario(input);
}

describe('hooks', () => {
  it('runs pre-rollout before any weight moves, rollout at every analysis, post-rollout after promoting', async () => {
    const scenario = await loadScenario(`${examples}hooks-promote.json`);
    const report = await rehearse(scenario);
    expect(hookRuns(report)).toEqual([
      'preRollout:smoke-test:pass',
      'rollout:load-check:pass',
      'rollout:load-check:pass',
      'rollout:load-check:pass',
      'postRollout:announce:pass',
    ]);
    const smoke = events(report, 'hook.finished')[0]!;
    expect(smoke.at).toBeLessThan(writesIn(report)[0]!.at);
    expect(report.calls.filter((c) => c.operation === 'Invoke')).toHaveLength(1);
    expectInvariant(scenario, report);
  });

  it('rolls back with nothing shifted when the pre-rollout hook fails', async () => {
    const scenario = await variant('hooks-promote.json', (s) => {
      s.world.hooks['smoke-test'] = [{ at: '0s', result: 'fail', reason: '3 of 12 smoke tests failed' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toBe(
      'HookFailed: preRollout hook smoke-test failed (3 of 12 smoke tests failed), at step 1; nothing more was shifted',
    );
    expect(writesIn(report)).toEqual([]);
    expect(hookRuns(report)).toEqual(['preRollout:smoke-test:fail', 'rollback:tell-on-call:pass']);
    expectInvariant(scenario, report);
  });

  it('counts a failing rollout hook as a failed check, and tells on-call after restoring', async () => {
    const scenario = await loadScenario(`${examples}hooks-rollout-fails.json`);
    const report = await rehearse(scenario);
    expect(report.error?.message).toBe(
      'hook load-check failed (https://checks.example.com/orders/load answered 503: p99 1.9 s under load), at step 2 with 25% on the new version; 1 failed check reached the threshold',
    );
    const restored = events(report, 'release.rolled_back')[0]!;
    const told = events(report, 'hook.finished').at(-1)!;
    expect(told.detail).toMatchObject({ phase: 'rollback', hook: 'tell-on-call', result: 'pass' });
    expect(told.at).toBeLessThanOrEqual(restored.at);
    expect(told.weights).toEqual({ 'orders-v1': 100 });
    expectInvariant(scenario, report);
  });

  it('never lets a failing rollback or post-rollout hook hold recovery up', async () => {
    const scenario = await variant('hooks-rollout-fails.json', (s) => {
      s.world.hooks['tell-on-call'] = [{ at: '0s', result: 'timeout' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(events(report, 'hook.finished').at(-1)?.detail).toMatchObject({
      phase: 'rollback',
      result: 'fail',
      blocking: false,
      reason: 'https://chat.example.com/hooks/rollbacks did not answer within 10s',
    });
    expectInvariant(scenario, report);
  });
});

describe('the confirming hooks', () => {
  it('rolls back before the next step when a confirmTrafficIncrease hook fails, having moved nothing more', async () => {
    const scenario = await variant('hooks-promote.json', (s) => {
      s.profile.hooks.push({
        name: 'capacity',
        phase: 'confirmTrafficIncrease',
        type: 'webhook',
        url: 'https://capacity.example.com/check',
        retries: 0,
      });
      s.world.hooks.capacity = [
        { at: '0s', result: 'pass' },
        { at: '4m', result: 'fail', status: 409, reason: 'not enough headroom for 25%' },
      ];
    });
    const report = await rehearse(scenario);
    expect(report.error?.message).toBe(
      'HookFailed: confirmTrafficIncrease hook capacity failed (https://capacity.example.com/check answered 409: not enough headroom for 25%), at step 2; nothing more was shifted',
    );
    expect(writesIn(report).filter((w) => !w.error)).toHaveLength(2);
    expect(report.timeline.find((e) => e.event === 'release.rolled_back')?.weights).toEqual({
      'orders-v1': 100,
    });
    expectInvariant(scenario, report);
  });

  it('rolls back instead of promoting when a confirmPromotion Lambda hook times out', async () => {
    const scenario = await variant('hooks-promote.json', (s) => {
      s.profile.hooks.push({
        name: 'final-check',
        phase: 'confirmPromotion',
        type: 'lambda',
        functionName: 'orders-final-check',
      });
      s.world.hooks['final-check'] = [{ at: '0s', result: 'timeout' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toMatch(
      /^HookFailed: confirmPromotion hook final-check failed \(orders-final-check failed \(Unhandled\): \{"errorType":"Sandbox.Timedout"/,
    );
    expect(events(report, 'release.promoted')).toEqual([]);
    expectInvariant(scenario, report);
  });
});

describe('a manual approval (confirmPromotion)', () => {
  it('holds after the last check, says so once while analysis goes on, and promotes when approved', async () => {
    const scenario = await loadScenario(`${examples}approval-approved.json`);
    const report = await rehearse(scenario);
    expect(events(report, 'release.held').map((e) => [Math.floor(e.at), e.detail.why])).toEqual([
      [902, 'approval'],
    ]);
    // Analysis went on while it waited: at 15m, then 20m.
    expect(events(report, 'analysis.completed').filter((e) => e.at > 900).length).toBeGreaterThanOrEqual(2);
    expect(events(report, 'release.promoted').map((e) => Math.floor(e.at))).toEqual([1320]);
    expect(report.events.filter((e) => e.detailType === 'Release Held')).toHaveLength(1);
    expectInvariant(scenario, report);
  });

  it('rolls back at its deadline when no one answers (onExpiry "rollback")', async () => {
    const scenario = await loadScenario(`${examples}approval-expires.json`);
    const report = await rehearse(scenario);
    expect(report.error?.message).toMatch(/^ApprovalExpired: no one answered release-manager/);
    expect(Math.floor(events(report, 'release.rolled_back')[0]!.at / 60)).toBe(45);
    expectInvariant(scenario, report);
  });

  it('promotes at its deadline when onExpiry says "promote"', async () => {
    const scenario = await variant('approval-expires.json', (s) => {
      s.profile.hooks[0]!.onExpiry = 'promote';
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(Math.floor(events(report, 'release.promoted')[0]!.at / 60)).toBe(45);
    expectInvariant(scenario, report);
  });

  it('rolls back at once when rejected, with the reason', async () => {
    const scenario = await loadScenario(`${examples}approval-rejected.json`);
    const report = await rehearse(scenario);
    expect(report.error?.message).toBe(
      'PromotionRejected: promotion rejected by operator at 2026-01-01T00:20:00.000Z: error budget spent this week, at step 3 with 50% on the new version',
    );
    expect(Math.floor(events(report, 'release.rolled_back')[0]!.at)).toBe(1200);
    expectInvariant(scenario, report);
  });
});
