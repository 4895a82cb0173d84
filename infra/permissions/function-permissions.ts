import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Wildcard } from '#routers/iam/wildcards.ts';

/** The statements a function's role gets, and the wildcards among their resources. */
export interface FunctionPermissions {
  readonly statements: readonly iam.PolicyStatement[];
  readonly wildcards: readonly Wildcard[];
}

/** Statements and wildcards of several grants together. */
export function joined(...parts: FunctionPermissions[]): FunctionPermissions {
  return {
    statements: parts.flatMap((p) => p.statements),
    wildcards: parts.flatMap((p) => p.wildcards),
  };
}
