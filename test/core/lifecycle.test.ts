import { describe, expect, it } from 'vitest';
import { LIFECYCLE_DETAIL_TYPES, LIFECYCLE_SOURCE, lifecycleEventOf } from '#core/lifecycle.ts';
import type { ReleaseEvent } from '#core/shapes.ts';
import { RELEASE_REQUESTED } from '#core/triggers/eventbridge-envelope.ts';

const about = { releaseId: 'r1', service: 'orders', version: 'v2' };
const split = [
  { name: 'orders-v1', weight: 90 },
  { name: 'orders-v2', weight: 10, port: 8080 },
];

describe('lifecycleEventOf', () => {
  it('turns a shift into "Traffic Shifted" with every weight and the step counted from 1', () => {
    // Act
    const event = lifecycleEventOf({
      type: 'traffic.shifted',
      ...about,
      step: 0,
      steps: 3,
      targets: split,
      unchanged: false,
    });

    // Assess
    expect(event).toEqual({
      detailType: 'Traffic Shifted',
      detail: {
        ...about,
        step: 1,
        steps: 3,
        unchanged: false,
        weights: [
          { target: 'orders-v1', weight: 90 },
          { target: 'orders-v2', weight: 10, port: 8080 },
        ],
      },
    });
  });

  it('starts with the snapshot as the weights and the plan', () => {
    const event = lifecycleEventOf({
      type: 'release.planned',
      ...about,
      trigger: 'request',
      routeId: 'appmesh:shop/orders/orders',
      stable: 'orders-v1',
      canary: 'orders-v2',
      snapshot: [{ name: 'orders-v1', weight: 100 }],
      steps: [10, 50],
      alarms: ['orders-5xx'],
      totalSeconds: 600,
      stateTransitions: 12,
      historyEvents: 60,
      priceUsd: 0.0003,
    });
    expect(event?.detailType).toBe('Release Started');
    expect(event?.detail).toMatchObject({ ...about, weights: [{ target: 'orders-v1', weight: 100 }] });
    expect(event?.detail).not.toHaveProperty('snapshot');
  });

  it.each([
    [{ type: 'release.promoted', ...about, targets: split }, 'Release Promoted'],
    [{ type: 'release.finished', ...about, outcome: 'promoted', targets: split }, 'Release Finished'],
    [
      { type: 'release.rolled_back', ...about, targets: split, error: 'ReleaseRolledBack', reason: 'x' },
      'Release Rolled Back',
    ],
    [
      { type: 'release.failed', ...about, targets: split, error: 'RouteDrifted', reason: 'x' },
      'Release Failed',
    ],
  ] satisfies [ReleaseEvent, string][])('%j is "%s" with weights', (event, detailType) => {
    const lifecycle = lifecycleEventOf(event);
    expect(lifecycle?.detailType).toBe(detailType);
    expect(lifecycle?.detail.weights).toHaveLength(2);
    expect(lifecycle?.detail).toMatchObject(about);
  });

  it('tells of a rejected request with its problems and no weights', () => {
    const event = lifecycleEventOf({
      type: 'release.rejected',
      releaseId: 'r1',
      service: 'orders',
      problems: ['request.version: is missing'],
    });
    expect(event).toEqual({
      detailType: 'Release Rejected',
      detail: { releaseId: 'r1', service: 'orders', problems: ['request.version: is missing'] },
    });
  });

  it('keeps bakes, analyses and rollback attempts in the logs, off the bus', () => {
    expect(
      lifecycleEventOf({ type: 'bake.started', ...about, step: 0, check: 0, seconds: 60 }),
    ).toBeUndefined();
    expect(
      lifecycleEventOf({ type: 'rollback.started', ...about, error: 'ReleaseRolledBack', reason: 'x' }),
    ).toBeUndefined();
    expect(
      lifecycleEventOf({ type: 'operator.requested', ...about, command: 'pause', delivered: false }),
    ).toBeUndefined();
    expect(Object.values(LIFECYCLE_DETAIL_TYPES)).toHaveLength(12);
  });

  it('tells a team once when a release holds, resumes or steps back', () => {
    const targets = [
      { name: 'orders-v1', weight: 75 },
      { name: 'orders-v2', weight: 25 },
    ];
    expect(lifecycleEventOf({ type: 'release.held', ...about, why: 'frozen', reason: 'r', targets })).toEqual(
      {
        detailType: 'Release Held',
        detail: {
          ...about,
          why: 'frozen',
          reason: 'r',
          weights: [
            { target: 'orders-v1', weight: 75 },
            { target: 'orders-v2', weight: 25 },
          ],
        },
      },
    );
    expect(lifecycleEventOf({ type: 'release.resumed', ...about, after: 'paused', by: 'ana' })).toEqual({
      detailType: 'Release Resumed',
      detail: { ...about, after: 'paused', by: 'ana' },
    });
    expect(
      lifecycleEventOf({ type: 'release.retreating', ...about, error: 'E', reason: 'r', weight: 10 })
        ?.detailType,
    ).toBe('Release Stepping Back');
    expect(lifecycleEventOf({ type: 'release.not_ready', ...about, reason: 'r' })).toEqual({
      detailType: 'Release Not Ready',
      detail: { ...about, reason: 'r' },
    });
    expect(
      lifecycleEventOf({
        type: 'canary.waiting',
        ...about,
        reason: 'r',
        waitedSeconds: 1,
        timeoutSeconds: 2,
      }),
    ).toBeUndefined();
  });
});

describe('the lifecycle detail-types', () => {
  it('never include "Release Requested", the one detail-type of the source a requester may put', () => {
    // The bus denies every detail-type of the source but this one to all but the functions' roles.
    expect(LIFECYCLE_SOURCE).toBe(RELEASE_REQUESTED.source);
    expect(Object.values(LIFECYCLE_DETAIL_TYPES)).not.toContain(RELEASE_REQUESTED.detailType);
  });
});
