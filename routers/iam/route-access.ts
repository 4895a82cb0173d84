import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Wildcard } from './wildcards.ts';

/**
 * What one router type's profiles need: to read the route, to write it, to find the new version, and to
 * find, open and close side routes. Each part's wildcards are acknowledged on the roles that get it.
 */
export interface RouteAccess {
  readonly read: iam.PolicyStatement[];
  readonly write: iam.PolicyStatement[];
  readonly findTarget: iam.PolicyStatement[];
  readonly findSide: iam.PolicyStatement[];
  readonly openSide: iam.PolicyStatement[];
  readonly closeSide: iam.PolicyStatement[];
  readonly readWildcards: Wildcard[];
  readonly writeWildcards: Wildcard[];
  readonly findWildcards: Wildcard[];
  readonly findSideWildcards: Wildcard[];
  readonly openWildcards: Wildcard[];
  readonly closeWildcards: Wildcard[];
}
