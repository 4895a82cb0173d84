import type { RehearsalRun } from '../../cli/chart/from-rehearsal.ts';

/** The route's weights with w% on the new version. */
export const v1 = (w: number) => ({ 'orders-v1': 100 - w, ...(w ? { 'orders-v2': w } : {}) });

/** A rehearsal's JSON, small: a release that shifts to 10%, passes a check, goes to 25%, sees its alarm fire and rolls back. */
export const run: RehearsalRun = {
  name: 'orders v2: rolls back',
  outcome: 'rolled_back',
  error: { name: 'ReleaseRolledBack', message: 'orders-5xx is ALARM' },
  durationSeconds: 421,
  timeline: [
    {
      at: 0.5,
      event: 'release.planned',
      weights: v1(0),
      detail: {
        version: 'v2',
        stable: 'orders-v1',
        canary: 'orders-v2',
        steps: [10, 25, 50],
        alarms: ['orders-5xx'],
        metrics: ['error-rate'],
        trigger: 'request',
      },
    },
    {
      at: 0.6,
      event: 'hook.finished',
      weights: v1(0),
      detail: { hook: 'smoke', phase: 'preRollout', result: 'pass', reason: 'fine' },
    },
    { at: 0.8, event: 'traffic.shifted', weights: v1(10), detail: { step: 0 } },
    {
      at: 301,
      event: 'analysis.completed',
      weights: v1(10),
      detail: {
        step: 0,
        check: 0,
        passed: true,
        failedChecks: 0,
        failureThreshold: 1,
        signals: [
          { name: 'orders-5xx', kind: 'alarm', value: 'OK', verdict: 'pass', detail: '0.2, alarm when > 1' },
          {
            name: 'error-rate',
            kind: 'metric',
            value: '0.001',
            verdict: 'pass',
            detail: '0.001 within max 0.01 over 5 samples',
            measured: { canary: 0.001, max: 0.01 },
          },
        ],
      },
    },
    { at: 301.2, event: 'traffic.shifted', weights: v1(25), detail: { step: 1 } },
    {
      at: 360,
      event: 'operator.requested',
      weights: v1(25),
      detail: { command: 'pause', by: 'alice', delivered: false },
    },
    { at: 420, event: 'alarm.triggered', weights: v1(25), detail: { alarm: 'orders-5xx', delivered: true } },
    {
      at: 420.2,
      event: 'release.halted',
      weights: v1(25),
      detail: { error: 'AlarmTriggered', reason: 'orders-5xx is ALARM (4.7, alarm when > 1), at step 2' },
    },
    { at: 420.5, event: 'release.rolled_back', weights: v1(0), detail: { reason: 'AlarmTriggered: …' } },
  ],
};
