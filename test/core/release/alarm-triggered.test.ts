import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '#core/bounded-text.ts';
import { ALARM_TRIGGERED } from '#core/controls.ts';
import { onAlarmStateChange } from '#core/release/alarm-triggered.ts';
import { type FakeCallbacks, type FakeControls, FakeRouter, fakeDeps } from '../../support/fake-ports.ts';
import { ordersProfile } from '../../support/profiles.ts';

const AT = '2026-11-27T10:00:00.000+0000';
const REASON = 'Threshold Crossed: 1 datapoint [4.7] was greater than the threshold (1.0).';

/** CloudWatch's "Alarm State Change" event, as EventBridge delivers it. */
function alarmEvent(
  alarmName = 'shop-5xx',
  value = 'ALARM',
  state: { reason?: string; timestamp?: string } = { reason: REASON, timestamp: AT },
) {
  return {
    version: '0',
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    detail: {
      alarmName,
      state: { value, ...state },
      previousState: { value: 'OK' },
    },
  };
}

const analysis = { alarms: ['shop-5xx'], failureThreshold: 1, insufficientData: 'ignore' as const };

/** orders and payments both read shop-5xx; search reads only its own alarm. */
function team(...more: unknown[]) {
  const ctx = fakeDeps(new FakeRouter([]), ordersProfile({ analysis }), [], {}, [
    ordersProfile({ service: 'payments', analysis }),
    ordersProfile({ service: 'search', analysis: { ...analysis, alarms: ['search-latency'] } }),
    ...more,
  ]);
  return {
    ...ctx,
    controls: ctx.deps.controls as FakeControls,
    callbacks: ctx.deps.callbacks as FakeCallbacks,
  };
}

/** A release of the service, waiting in a bake with `token` when one is given. */
async function release(controls: FakeControls, service: string, token?: string) {
  const releaseId = `${service}-v2`;
  await controls.open({ releaseId, service, executionId: `exec-${service}` });
  if (token) await controls.waiting(releaseId, `exec-${service}`, token, '2026-11-27T09:58:00.000Z');
}

describe('onAlarmStateChange', () => {
  it('ignores what is not an alarm state change, saying why', async () => {
    // Prepare
    const { deps, callbacks } = team();

    // Act
    const outcome = await onAlarmStateChange(
      { 'detail-type': 'ECR Image Action', detail: { repository: 'orders' } },
      deps,
    );

    // Assess
    expect(outcome.releases).toEqual([]);
    expect(outcome.ignored).toMatch(/^not a CloudWatch Alarm State Change event: /);
    expect(outcome.ignored).toContain('detail-type');
    expect(callbacks.sent).toEqual([]);
  });

  it('ignores an alarm that went to OK', async () => {
    const { deps, controls, callbacks } = team();
    await release(controls, 'orders', 'token-orders');
    const outcome = await onAlarmStateChange(alarmEvent('shop-5xx', 'OK'), deps);
    expect(outcome).toEqual({ alarm: 'shop-5xx', releases: [], ignored: 'the alarm went to OK, not ALARM' });
    expect(callbacks.sent).toEqual([]);
  });

  it("fails the waiting bake of every service whose profile names the alarm, with the alarm's time and reason", async () => {
    // Prepare
    const { deps, controls, callbacks, events } = team();
    await release(controls, 'orders', 'token-orders');
    await release(controls, 'payments', 'token-payments');
    await release(controls, 'search', 'token-search');

    // Act
    const outcome = await onAlarmStateChange(alarmEvent(), deps);

    // Assess
    expect(outcome).toEqual({
      alarm: 'shop-5xx',
      releases: [
        { service: 'orders', releaseId: 'orders-v2', action: 'ended-bake' },
        { service: 'payments', releaseId: 'payments-v2', action: 'ended-bake' },
      ],
    });
    const cause = `shop-5xx went into ALARM at ${AT} (${REASON})`;
    expect(callbacks.sent).toEqual([
      { token: 'token-orders', error: ALARM_TRIGGERED, cause },
      { token: 'token-payments', error: ALARM_TRIGGERED, cause },
    ]);
    expect(events).toEqual([
      {
        type: 'alarm.triggered',
        releaseId: 'orders-v2',
        service: 'orders',
        alarm: 'shop-5xx',
        at: AT,
        delivered: true,
      },
      {
        type: 'alarm.triggered',
        releaseId: 'payments-v2',
        service: 'payments',
        alarm: 'shop-5xx',
        at: AT,
        delivered: true,
      },
    ]);
  });

  it("bounds the alarm's reason in the cause, which SendTaskFailure takes up to 32,768 characters", async () => {
    const { deps, controls, callbacks } = team();
    await release(controls, 'orders', 'token-orders');
    await onAlarmStateChange(
      alarmEvent('shop-5xx', 'ALARM', { reason: 'x'.repeat(300_000), timestamp: AT }),
      deps,
    );
    const cause = callbacks.sent[0]?.cause ?? '';
    expect(Buffer.byteLength(cause)).toBeLessThan(TEXT_LIMITS.reason + 100);
    expect(cause).toMatch(/^shop-5xx went into ALARM at .*bytes cut\]/);
  });

  it('takes the time from the clock and leaves out the reason when the event has neither', async () => {
    const { deps, controls, callbacks } = team();
    await release(controls, 'orders', 'token-orders');
    await onAlarmStateChange(alarmEvent('shop-5xx', 'ALARM', {}), deps);
    expect(callbacks.sent[0]?.cause).toBe('shop-5xx went into ALARM at 1970-01-01T00:00:00.000Z');
  });

  it("leaves alone a release whose request overrode the profile's alarms without this one", async () => {
    const { deps, controls, callbacks } = team();
    await controls.open({
      releaseId: 'orders-v2',
      service: 'orders',
      executionId: 'exec-orders',
      alarms: ['orders-latency'],
    });
    await controls.waiting('orders-v2', 'exec-orders', 'token-orders', '2026-11-27T09:58:00.000Z');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases.find((r) => r.service === 'orders')).toEqual({
      service: 'orders',
      releaseId: 'orders-v2',
      action: 'none',
      reason: "the running release does not read this alarm (its request overrode the profile's alarms)",
    });
    expect(callbacks.sent).toEqual([]);
  });

  it("ends the bake of a release whose request added the alarm, named by another service's profile", async () => {
    const { deps, controls, callbacks } = team();
    await controls.open({
      releaseId: 'search-v2',
      service: 'search',
      executionId: 'exec-search',
      alarms: ['search-latency', 'shop-5xx'],
    });
    await controls.waiting('search-v2', 'exec-search', 'token-search', '2026-11-27T09:58:00.000Z');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases.find((r) => r.service === 'search')).toEqual({
      service: 'search',
      releaseId: 'search-v2',
      action: 'ended-bake',
    });
    expect(callbacks.sent.map((s) => s.token)).toEqual(['token-search']);
  });

  it('does nothing for a service with no running release', async () => {
    const { deps, controls, callbacks, events } = team();
    await release(controls, 'payments', 'token-payments');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases).toEqual([
      { service: 'orders', action: 'none', reason: 'no release of it runs' },
      { service: 'payments', releaseId: 'payments-v2', action: 'ended-bake' },
    ]);
    expect(callbacks.sent.map((s) => s.token)).toEqual(['token-payments']);
    expect(events.map((e) => e.type)).toEqual(['alarm.triggered']);
  });

  it('leaves a release between bakes alone, saying its next analysis reads the alarm', async () => {
    const { deps, controls, callbacks, events } = team();
    await release(controls, 'orders');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases[0]).toEqual({
      service: 'orders',
      releaseId: 'orders-v2',
      action: 'none',
      reason: 'it was between bakes; its next analysis reads the alarm',
    });
    expect(callbacks.sent).toEqual([]);
    expect(events).toMatchObject([{ type: 'alarm.triggered', releaseId: 'orders-v2', delivered: false }]);
  });

  it('does nothing when the bake already ended (an expired token)', async () => {
    const { deps, controls, callbacks } = team();
    await release(controls, 'orders', 'token-orders');
    callbacks.expired.add('token-orders');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases[0]).toMatchObject({ service: 'orders', releaseId: 'orders-v2', action: 'none' });
    expect(callbacks.sent).toEqual([]);
  });

  it('skips a profile that is not valid and acts on the rest', async () => {
    const { deps, controls, callbacks } = team(
      { service: 'broken', analysis: { alarms: ['shop-5xx'] } },
      null,
      'not a profile',
    );
    await release(controls, 'orders', 'token-orders');
    await release(controls, 'broken', 'token-broken');
    const outcome = await onAlarmStateChange(alarmEvent(), deps);
    expect(outcome.releases.map((r) => r.service)).toEqual(['orders', 'payments']);
    expect(callbacks.sent.map((s) => s.token)).toEqual(['token-orders']);
  });
});
