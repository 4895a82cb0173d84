import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReleaseProfile } from '#core/profile/profile.ts';
import { type ArnPair, arns, stackArn, unique } from '../iam/arns.ts';
import type { RouteAccess } from '../iam/route-access.ts';
import { arnPattern, type Wildcard, type WildcardShape } from '../iam/wildcards.ts';
import { type LambdaRouterConfig, lambdaFunctionOf } from './kind.ts';

/** The published versions of one function a profile names. */
export const FUNCTION_VERSIONS: WildcardShape = {
  pattern: arnPattern('lambda', 'function:[A-Za-z0-9_-]{1,64}:\\*'),
  granted:
    'arn:<partition>:lambda:<region>:<account>:function:<functionName>:*, the versions of one function',
};

const VERSIONS_REASON =
  "A Lambda version's ARN ends in the number PublishVersion assigns, only known when a release starts; stepshift reads the new version's configuration (lambda:GetFunctionConfiguration, read only) to check it exists and may share the alias's traffic (same execution role and dead-letter configuration) before any traffic moves.";

type LambdaProfile = ReleaseProfile & { readonly router: LambdaRouterConfig };

/** A function's ARN with this qualifier: the profile's account, region and partition when it gave an ARN. */
function functionArn(router: LambdaRouterConfig, qualifier: string): ArnPair {
  const ref = lambdaFunctionOf(router.functionName) ?? { name: router.functionName };
  const resource = `function:${ref.name}:${qualifier}`;
  return {
    arn: `arn:${ref.partition ?? Aws.PARTITION}:lambda:${ref.region ?? Aws.REGION}:${ref.account ?? Aws.ACCOUNT_ID}:${resource}`,
    finding: `arn:${ref.partition ?? '<AWS::Partition>'}:lambda:${ref.region ?? '<AWS::Region>'}:${ref.account ?? '<AWS::AccountId>'}:${resource}`,
  };
}

/**
 * The deployment group a profile names in router.codeDeploy. ListDeployments reads the group of the
 * caller's own account and region, whatever ARN names the function, so the grant is the stack's: the
 * Service Authorization Reference for AWS CodeDeploy authorizes ListDeployments against the
 * deploymentgroup resource, "arn:<partition>:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>".
 */
function deploymentGroupArn(router: LambdaRouterConfig): ArnPair | undefined {
  const group = router.codeDeploy;
  return group && stackArn('codedeploy', `deploymentgroup:${group.application}/${group.deploymentGroup}`);
}

/**
 * Lambda (Service Authorization Reference for AWS Lambda): GetAlias and UpdateAlias authorize against
 * the alias, "function:<name>:<alias>"; GetFunctionConfiguration with a Qualifier against the version,
 * "function:<name>:<n>". Nothing else: no side routes, no function-wide action.
 */
export function lambdaAccess(profiles: readonly LambdaProfile[]): RouteAccess {
  const aliases = unique(profiles.map((p) => functionArn(p.router, p.router.alias)));
  const versions = unique(profiles.map((p) => functionArn(p.router, '*')));
  const groups = unique(
    profiles.map((p) => deploymentGroupArn(p.router)).filter((g): g is ArnPair => g !== undefined),
  );
  const versionWildcards = versions.map(
    (v): Wildcard => ({ shape: FUNCTION_VERSIONS, finding: v.finding, why: VERSIONS_REASON }),
  );
  return {
    read: [
      new iam.PolicyStatement({
        sid: 'ReadProfiledAliases',
        actions: ['lambda:GetAlias'],
        resources: arns(aliases),
      }),
    ],
    write: [
      new iam.PolicyStatement({
        sid: 'ShiftProfiledAliases',
        actions: ['lambda:GetAlias', 'lambda:UpdateAlias'],
        resources: arns(aliases),
      }),
    ],
    findTarget: [
      new iam.PolicyStatement({
        sid: 'FindFunctionVersions',
        actions: ['lambda:GetFunctionConfiguration'],
        resources: arns(versions),
      }),
      // Prepare refuses an alias with provisioned concurrency, which Lambda does not allow beside weights.
      new iam.PolicyStatement({
        sid: 'ReadAliasProvisionedConcurrency',
        actions: ['lambda:GetProvisionedConcurrencyConfig'],
        resources: arns(aliases),
      }),
      // Prepare refuses while the group a profile names has a deployment not ended; only those groups.
      ...(groups.length
        ? [
            new iam.PolicyStatement({
              sid: 'ListNamedDeploymentGroupDeployments',
              actions: ['codedeploy:ListDeployments'],
              resources: arns(groups),
            }),
          ]
        : []),
    ],
    findSide: [],
    openSide: [],
    closeSide: [],
    readWildcards: [],
    writeWildcards: [],
    findWildcards: versionWildcards,
    findSideWildcards: [],
    openWildcards: [],
    closeWildcards: [],
  };
}
