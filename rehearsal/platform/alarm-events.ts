import { makeAlarmHandler } from '#functions/alarm.ts';
import { SIMULATED_ACCOUNT, SIMULATED_REGION } from '#routers/sim/account.ts';
import type { Rehearsal } from '../rehearse.ts';
import type { Scenario } from '../script/scenario.ts';
import { depsFor } from './function-deps.ts';
import { invokeLikeLambda } from './lambda.ts';

/**
 * CloudWatch's "Alarm State Change" events, as the construct's rule delivers them to the alarm
 * function: each time an alarm the profile reads goes into ALARM (its first state is where it
 * starts, not a change), after world.alarmEventDelay. Any profile the rehearsal serves may watch it.
 */
export function scheduleAlarmEvents(
  r: Rehearsal,
  world: Scenario['world'],
  profiles: readonly unknown[],
): void {
  if (world.alarmEvents === 'lost') return;
  const watched = new Set(
    profiles.flatMap((profile) => {
      const analysis = (profile as { analysis?: { alarms?: unknown } } | undefined)?.analysis;
      return Array.isArray(analysis?.alarms) ? (analysis.alarms as unknown[]) : [];
    }),
  );
  for (const alarm of world.alarms) {
    if (!watched.has(alarm.name)) continue;
    alarm.states.forEach((state, i) => {
      const before = alarm.states[i - 1];
      if (before === undefined || state.state !== 'ALARM' || before.state === 'ALARM') return;
      r.agenda.at(state.at + world.alarmEventDelay, () => deliverAlarm(r, alarm.name, state));
    });
  }
}

/**
 * One alarm event, delivered to the alarm function (its ports act for no execution in particular).
 * An asynchronous invocation: Lambda retries a failed one twice, as for the guard.
 */
async function deliverAlarm(
  r: Rehearsal,
  name: string,
  state: { at: number; reason?: string | undefined },
  attempt = 1,
): Promise<void> {
  r.alarmFunction ??= makeAlarmHandler(depsFor(r, 'alarm')) as (event: never) => Promise<unknown>;
  const answered = r.answered.length;
  const event = {
    version: '0',
    id: `alarm-${r.alarmDeliveries.length + 1}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: SIMULATED_ACCOUNT,
    time: r.clock.dateAt(state.at).toISOString(),
    region: SIMULATED_REGION,
    resources: [`arn:aws:cloudwatch:${SIMULATED_REGION}:${SIMULATED_ACCOUNT}:alarm:${name}`],
    detail: {
      alarmName: name,
      state: {
        value: 'ALARM',
        ...(state.reason ? { reason: state.reason } : {}),
        timestamp: r.clock.dateAt(state.at).toISOString(),
      },
      previousState: { value: 'OK' },
    },
  };
  try {
    await invokeLikeLambda(r.alarmFunction, { FunctionName: 'alarm', Payload: event });
  } catch (error) {
    r.failedAsync('alarm.failed', { alarm: name, attempt }, error, () =>
      deliverAlarm(r, name, state, attempt + 1),
    );
    return;
  }
  const endedAt = r.answered[answered];
  r.alarmDeliveries.push({
    alarm: name,
    alarmAt: state.at,
    endedBake: endedAt !== undefined,
    ...(endedAt === undefined ? {} : { pollingWouldLookAt: endedAt }),
  });
}
