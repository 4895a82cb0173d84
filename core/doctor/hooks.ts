import type { ReleaseProfile } from '../profile/profile.ts';
import { type DoctorCheck, type DoctorDeps, finding, ok, unchecked } from './check.ts';

/**
 * Every Lambda hook's function exists; a webhook is only named here (pinging one is a flag of its own,
 * since it calls someone else's endpoint), and a manual hook needs nothing of the account.
 */
export async function checkHooks(
  profile: ReleaseProfile,
  deps: Pick<DoctorDeps, 'functions'>,
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
    } else if (hook.type === 'webhook') {
      checks.push(
        unchecked(
          field,
          `"${hook.name}" (${hook.phase}): the webhook was not called; pass --ping-webhooks to send it a signed test call`,
        ),
      );
    }
  }
  return checks;
}
