import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';

import type { HookPhase } from '#core/shapes.ts';
import type { DeployedFunction } from '#functions/index.ts';
import type { FunctionPermissions } from './function-permissions.ts';

/** The hook phases each function runs (core/release: shift.ts, analyze.ts, finish and rollback). */
const PHASES: Partial<Record<DeployedFunction, readonly HookPhase[]>> = {
  Shift: ['preRollout', 'confirmTrafficIncrease'],
  Analyze: ['rollout', 'confirmPromotion'],
  Finish: ['postRollout'],
  Rollback: ['rollback'],
};

/**
 * The secret a webhook names, as an IAM resource. A complete ARN is granted as it is. A name becomes
 * `secret:<name>-??????`: Secrets Manager appends a hyphen and six characters to every secret's ARN
 * (Secrets Manager user guide, "Limiting access to specific secrets"), and IAM's "?" matches exactly one
 * character, so only the secret of that very name matches; the name itself cannot hold "*" or "?"
 * (the profile's schema takes letters, digits and /_+=.@- only).
 */
function secretArn(secretId: string): string {
  return secretId.startsWith('arn:')
    ? secretId
    : `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretId}-??????`;
}

/**
 * secretsmanager:GetSecretValue on the secrets the profiles' webhooks name, for each function that
 * runs webhooks of those phases and for no other. No cdk-nag acknowledgement: the grants hold no "*".
 */
export function hookSecretGrants(
  profiles: readonly ReleaseProfile[],
): [DeployedFunction, FunctionPermissions][] {
  return Object.entries(PHASES).flatMap(([fn, phases]) => {
    const secrets = [
      ...new Set(
        profiles.flatMap((p) =>
          (p.hooks ?? []).flatMap((h) =>
            h.type === 'webhook' && h.secret && phases.includes(h.phase)
              ? [secretArn(h.secret.secretId)]
              : [],
          ),
        ),
      ),
    ];
    if (secrets.length === 0) return [];
    const grant: FunctionPermissions = {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadHookSecrets',
          actions: ['secretsmanager:GetSecretValue'],
          resources: secrets,
        }),
      ],
      wildcards: [],
    };
    return [[fn as DeployedFunction, grant]];
  });
}
