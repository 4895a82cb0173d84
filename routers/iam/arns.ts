import { Aws } from 'aws-cdk-lib';

/** An ARN both as CloudFormation resolves it and as cdk-nag names it in a finding. */
export interface ArnPair {
  readonly arn: string;
  readonly finding: string;
}

/** The part of an ARN after its account, in this stack's partition, region and account unless `account` is given. */
export function stackArn(service: string, resource: string, account?: string): ArnPair {
  return {
    arn: `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${account ?? Aws.ACCOUNT_ID}:${resource}`,
    finding: `arn:<AWS::Partition>:${service}:<AWS::Region>:${account ?? '<AWS::AccountId>'}:${resource}`,
  };
}

/** An ARN a profile gave in full: CloudFormation and cdk-nag see the same text. */
export function literalArn(arn: string): ArnPair {
  return { arn, finding: arn };
}

/** `pair` with `suffix` appended to both spellings. */
export function withSuffix(pair: ArnPair, suffix: string): ArnPair {
  return { arn: `${pair.arn}${suffix}`, finding: `${pair.finding}${suffix}` };
}

/** The id at the end of an id or an ARN. */
export const lastPart = (identifier: string) => identifier.split('/').pop() as string;

/** Each resource once, by its finding. */
export function unique(pairs: readonly ArnPair[]): ArnPair[] {
  return [...new Map(pairs.map((p) => [p.finding, p])).values()];
}

export const arns = (pairs: readonly ArnPair[]) => unique(pairs).map((p) => p.arn);
