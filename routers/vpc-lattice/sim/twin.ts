import type { Json } from '../../sim/service.ts';
import { targetGroupTwin } from '../../target-groups/sim/twin.ts';

/**
 * How an App Mesh example's world is written for VPC Lattice (scripts/router-twins.ts writes
 * examples/lattice/ with it): the profile's router block, the example's route as a listener rule with
 * its match and weights, a target group per virtual node, and App Mesh's operations and errors in
 * Lattice's names.
 */

const LATTICE = {
  type: 'vpc-lattice',
  serviceIdentifier: 'svc-0a1b2c3d4e5f60718',
  listenerIdentifier: 'listener-0a1b2c3d4e5f60718',
  ruleIdentifier: 'rule-0a1b2c3d4e5f60718',
};

const target = (index: number) => ({ id: `10.0.${index + 1}.10`, port: 8080 });
const editsOf = (edits: readonly Json[]): Json => (edits.length ? { edits } : {});

export const latticeTwin = targetGroupTwin({
  title: 'VPC Lattice',
  folder: 'lattice',
  router: LATTICE,
  route: (weights, edits) => {
    const { type: _, ...ids } = LATTICE;
    return {
      ...ids,
      match: {
        httpMatch: {
          method: 'GET',
          pathMatch: { match: { prefix: '/orders' }, caseSensitive: false },
          headerMatches: [{ name: 'x-tenant', match: { prefix: 'eu-' }, caseSensitive: false }],
        },
      },
      priority: 10,
      action: {
        forward: {
          targetGroups: Object.entries(weights).map(([name, weight]) => ({
            targetGroupIdentifier: name,
            weight,
          })),
        },
      },
      ...editsOf(edits),
    };
  },
  targetGroup: (name, index, serving) => ({
    name,
    targets: [{ ...target(index), status: serving ? 'HEALTHY' : 'UNUSED' }],
  }),
  operations: {
    DescribeRoute: 'GetRule',
    UpdateRoute: 'UpdateRule',
    DescribeVirtualNode: 'ListTargetGroups',
  },
  errors: {
    TooManyRequestsException: 'ThrottlingException',
    AccessDeniedException: 'AccessDeniedException',
    InternalServerErrorException: 'InternalServerException',
  },
});
