import { clock, controls, events, profiles, routerKinds } from '#adapters/port-builders.ts';
import { callbacks } from '#adapters/sfn-ports.ts';
import { onAlarmStateChange } from '#core/release/alarm-triggered.ts';
import { lambdaHandler } from './production-deps.ts';

/**
 * Invoked by an EventBridge rule on "CloudWatch Alarm State Change" to ALARM for the alarms the
 * profiles name: ends the bake of each release that reads the alarm. Not a state of the state machine.
 */
export const makeAlarmHandler = (deps: Parameters<typeof onAlarmStateChange>[1]) => (event: unknown) =>
  onAlarmStateChange(event, deps);

export const handler = lambdaHandler(makeAlarmHandler, {
  routerKinds,
  profiles,
  controls,
  clock,
  callbacks,
  events,
});
