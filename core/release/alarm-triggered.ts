import * as z from 'zod/mini';
import { bounded } from '../bounded-text.ts';
import { ALARM_TRIGGERED } from '../controls.ts';
import type { ReleaseDeps } from '../ports.ts';
import { profileSchemaFor } from '../profile/profile.ts';

import { describeIssues } from '../validation.ts';

/** What the alarm function did for each service whose profile names the alarm. */
export interface AlarmOutcome {
  readonly alarm: string;
  readonly releases: readonly {
    readonly service: string;
    readonly releaseId?: string;
    /** "ended-bake": the release's bake failed with AlarmTriggered; otherwise why nothing was done. */
    readonly action: 'ended-bake' | 'none';
    readonly reason?: string;
  }[];
  /** Set when the event was not one to act on. */
  readonly ignored?: string;
}

/**
 * The part of CloudWatch's "CloudWatch Alarm State Change" event this reads (source aws.cloudwatch;
 * detail: alarmName, state {value, reason, timestamp}, previousState, configuration). Other fields
 * pass through unread.
 */
const alarmChangeSchema = z.looseObject({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  detail: z.looseObject({
    alarmName: z.string().check(z.minLength(1)),
    state: z.looseObject({
      value: z.string().check(z.minLength(1)),
      reason: z.optional(z.string()),
      timestamp: z.optional(z.string()),
    }),
  }),
});

/**
 * An alarm went into ALARM: every release now baking whose profile reads that alarm has its bake
 * failed with AlarmTriggered, so its analysis (and rollback) starts within seconds instead of at the
 * end of the interval. A release between bakes is left alone: its next analysis reads the alarm anyway.
 */
export async function onAlarmStateChange(
  event: unknown,
  deps: Pick<ReleaseDeps, 'routerKinds' | 'profiles' | 'controls' | 'clock' | 'callbacks' | 'events'>,
): Promise<AlarmOutcome> {
  const parsed = alarmChangeSchema.safeParse(event);
  if (!parsed.success) {
    return {
      alarm: '',
      releases: [],
      ignored: `not a CloudWatch Alarm State Change event: ${describeIssues(parsed.error, 'event').join('; ')}`,
    };
  }
  const { alarmName, state } = parsed.data.detail;
  if (state.value !== 'ALARM') {
    return { alarm: alarmName, releases: [], ignored: `the alarm went to ${state.value}, not ALARM` };
  }
  const schema = profileSchemaFor(deps.routerKinds);
  const profiles = (await deps.profiles.all()).flatMap((raw) => schema.safeParse(raw).data ?? []);
  const services = profiles.filter((p) => p.analysis.alarms.includes(alarmName)).map((p) => p.service);
  // A request may add an alarm another service's profile names (core/overrides.ts), so the construct's
  // rule sends its events here: the running releases whose controls list it read it too.
  for (const other of profiles) {
    if (services.includes(other.service)) continue;
    const control = await deps.controls.forService(other.service);
    if (control?.alarms?.includes(alarmName)) services.push(other.service);
  }
  const at = state.timestamp ?? deps.clock.now().toISOString();
  // SendTaskFailure takes a cause of at most 32,768 characters; CloudWatch's reason is bounded first.
  const cause = `${alarmName} went into ALARM at ${at}${state.reason ? ` (${bounded(state.reason)})` : ''}`;
  const releases: AlarmOutcome['releases'][number][] = [];
  for (const service of services) {
    const control = await deps.controls.forService(service);
    if (!control) {
      releases.push({ service, action: 'none', reason: 'no release of it runs' });
      continue;
    }
    if (control.alarms && !control.alarms.includes(alarmName)) {
      // The request's overrides replaced the profile's alarms: this release does not read this one.
      releases.push({
        service,
        releaseId: control.releaseId,
        action: 'none',
        reason: "the running release does not read this alarm (its request overrode the profile's alarms)",
      });
      continue;
    }
    const delivered =
      control.taskToken !== undefined &&
      (await deps.callbacks.fail(control.taskToken, ALARM_TRIGGERED, cause)) === 'delivered';
    await deps.events.emit({
      type: 'alarm.triggered',
      releaseId: control.releaseId,
      service,
      alarm: alarmName,
      at,
      delivered,
    });
    releases.push(
      delivered
        ? { service, releaseId: control.releaseId, action: 'ended-bake' }
        : {
            service,
            releaseId: control.releaseId,
            action: 'none',
            reason: 'it was between bakes; its next analysis reads the alarm',
          },
    );
  }
  return { alarm: alarmName, releases };
}
