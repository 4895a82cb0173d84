import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { type FunctionRef, functionRefOf } from '#core/aws-names.ts';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import type { Wildcard } from '#routers/iam/wildcards.ts';
import type { FunctionPermissions } from './function-permissions.ts';
import { HOOK_FUNCTION_VERSIONS, HOOK_VERSIONS_REASON } from './wildcards.ts';

/**
 * The function a hook invokes, as granted: a qualified hook ("name:alias", or an ARN ending in one) is
 * granted that version or alias alone; an unqualified one the function and its versions and aliases
 * ("function:<name>:*"), since Lambda authorizes an invocation by the ARN it resolves to.
 */
function grantOf(ref: FunctionRef): { resources: { arn: string; finding: string }[]; wildcard?: string } {
  const part = (given: string | undefined, token: string, pseudo: string) => ({
    arn: given ?? token,
    finding: given ?? pseudo,
  });
  const partition = part(ref.partition, Aws.PARTITION, '<AWS::Partition>');
  const region = part(ref.region, Aws.REGION, '<AWS::Region>');
  const account = part(ref.account, Aws.ACCOUNT_ID, '<AWS::AccountId>');
  const base = (spell: 'arn' | 'finding') =>
    `arn:${partition[spell]}:lambda:${region[spell]}:${account[spell]}:function:${ref.name}`;
  if (ref.qualifier !== undefined) {
    const q = `:${ref.qualifier}`;
    return { resources: [{ arn: `${base('arn')}${q}`, finding: `${base('finding')}${q}` }] };
  }
  return {
    resources: [
      { arn: base('arn'), finding: base('finding') },
      { arn: `${base('arn')}:*`, finding: `${base('finding')}:*` },
    ],
    wildcard: `${base('finding')}:*`,
  };
}

/**
 * lambda:InvokeFunction on the profiles' Lambda hooks, for the functions that run hooks of these
 * phases: Shift (preRollout, confirmTrafficIncrease), Analyze (rollout, confirmPromotion), Finish
 * (postRollout), Rollback (rollback). Each functionName was held to Lambda's name and ARN rules by the
 * profile schema, so none can stand for more than one function.
 */
export function hookFunctionsOf(
  profiles: readonly ReleaseProfile[],
  phases: readonly string[],
): FunctionPermissions {
  const names = [
    ...new Set(
      profiles.flatMap((p) =>
        (p.hooks ?? []).flatMap((h) =>
          h.type === 'lambda' && phases.includes(h.phase) ? [h.functionName] : [],
        ),
      ),
    ),
  ];
  const grants = names.map((name) => {
    const ref = functionRefOf(name);
    if (!ref)
      throw new Error(`ReleaseOrchestrator: hook functionName ${JSON.stringify(name)} was not validated`);
    return grantOf(ref);
  });
  if (grants.length === 0) return { statements: [], wildcards: [] };
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'RunHooks',
        actions: ['lambda:InvokeFunction'],
        resources: [...new Set(grants.flatMap((g) => g.resources.map((r) => r.arn)))],
      }),
    ],
    wildcards: grants.flatMap((g): Wildcard[] =>
      g.wildcard ? [{ shape: HOOK_FUNCTION_VERSIONS, finding: g.wildcard, why: HOOK_VERSIONS_REASON }] : [],
    ),
  };
}
