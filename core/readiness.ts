import { formatDuration } from './duration.ts';
import type { EcsServiceReading } from './ports.ts';

/** Whether the new version may take traffic, and if not, why in words and whether waiting can help. */
export type Readiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: string; readonly final: boolean };

/**
 * The SDK's services-stable waiter's rule: one deployment and every desired task running. Also at
 * least one task: a service scaled to zero would take traffic with nothing behind it. A service
 * being deleted (DRAINING, INACTIVE) will never be ready; one ECS does not know yet may be created.
 */
export function judgeEcsService(name: string, reading: EcsServiceReading | undefined): Readiness {
  if (!reading) return { ready: false, final: false, reason: `ECS service ${name} does not exist yet` };
  if (reading.status !== 'ACTIVE') {
    return {
      ready: false,
      final: true,
      reason: `ECS service ${name} is ${reading.status}; it is being deleted and will not take traffic`,
    };
  }
  if (reading.desiredCount === 0) {
    return { ready: false, final: false, reason: `ECS service ${name} wants no tasks (desiredCount 0)` };
  }
  if (reading.deployments !== 1 || reading.runningCount !== reading.desiredCount) {
    const rollout = reading.deployments > 1 ? `, ${reading.deployments} deployments still rolling out` : '';
    return {
      ready: false,
      final: false,
      reason: `ECS service ${name} is not steady: ${reading.runningCount} of ${reading.desiredCount} tasks running${rollout}`,
    };
  }
  return { ready: true };
}

/** The sentence a release that gave up waiting ends with. */
export function notReadyReason(reason: string, waitedSeconds: number, timeoutSeconds: number): string {
  return `${reason}, after waiting ${formatDuration(waitedSeconds)} (readinessTimeout ${formatDuration(timeoutSeconds)}); nothing was shifted. Start the release again once the new version is steady`;
}
