import type { ReleaseProfile } from '../profile/profile.ts';
import { type DoctorCheck, type DoctorDeps, finding, ok, unchecked } from './check.ts';

/**
 * Every Lambda hook's function exists; a webhook answers a signed test call only when a person asked
 * for one (--ping-webhooks: it calls someone else's endpoint), else it is named as not called; a manual
 * hook needs nothing of the account.
 */
export async function checkHooks(
  profile: ReleaseProfile,
  deps: Pick<DoctorDeps, 'functions' | 'webhooks'>,
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const [index, hook] of (profile.hooks ?? []).entries()) {
    const field = `hooks[${index}]`;
    if (hook.type === 'lambda') {
      checks.push(
        (await deps.functions.exists(hook.functionName))
          ? ok(field, `"${hook.name}" (${hook.phase}): Lambda function ${hook.functionName} exists`)
          : finding(
              `${field}.functionName`,
              `"${hook.name}" (${hook.phase}): there is no Lambda function ${hook.functionName} in this account and region; deploy it, or correct the name`,
            ),
      );
    } else if (hook.type === 'webhook' && !deps.webhooks) {
      checks.push(
        unchecked(
          field,
          `"${hook.name}" (${hook.phase}): the webhook was not called; pass --ping-webhooks to send it a signed test call`,
        ),
      );
    } else if (hook.type === 'webhook' && deps.webhooks) {
      const answer = await deps.webhooks.ping(hook, profile.service);
      checks.push(
        answer.result === 'pass'
          ? ok(field, `"${hook.name}" (${hook.phase}): answered the signed test call (${answer.reason})`)
          : finding(
              `${field}.url`,
              `"${hook.name}" (${hook.phase}): the signed test call failed: ${answer.reason}; make the endpoint answer 2xx (and accept its signature) before releasing`,
            ),
      );
    }
  }
  return checks;
}
