import {
  ConflictException,
  GetRuleCommand,
  ListTargetGroupsCommand,
  ListTargetsCommand,
  ResourceNotFoundException,
  UpdateRuleCommand,
  VPCLatticeClient,
} from '@aws-sdk/client-vpc-lattice';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createVpcLatticeRouter } from '#routers/vpc-lattice/router.ts';

/**
 * What the shared conformance suite does not reach: the name -> id cache a warm function keeps, the
 * errors Lattice answers a write with, and a default rule named as the route.
 */
const config = {
  type: 'vpc-lattice',
  serviceIdentifier: 'svc-00000000000000001',
  listenerIdentifier: 'listener-00000000000000001',
  ruleIdentifier: 'rule-00000000000000001',
} as const;
const RULE_ARN =
  'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-00000000000000001/listener/listener-00000000000000001/rule/rule-00000000000000001';
const notFound = () =>
  new ResourceNotFoundException({ message: 'gone', resourceId: '', resourceType: '', $metadata: {} });

/** A Lattice with orders-v1 (serving) and orders-v2; `recreate` gives orders-v2 a new id, as a new group. */
function lattice() {
  const client = new VPCLatticeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(client);
  let groups = [
    { name: 'orders-v1', id: 'tg-00000000000000001' },
    { name: 'orders-v2', id: 'tg-00000000000000002' },
  ];
  const known = (id: string | undefined) => groups.some((g) => g.id === id);
  let action = {
    forward: { targetGroups: [{ targetGroupIdentifier: 'tg-00000000000000001', weight: 100 }] },
  };
  mock.on(ListTargetGroupsCommand).callsFake(() => ({ items: groups }));
  mock.on(GetRuleCommand).callsFake(() => ({ arn: RULE_ARN, action }));
  mock.on(ListTargetsCommand).callsFake((input) => {
    if (!known(input.targetGroupIdentifier)) throw notFound();
    return { items: [{ id: '10.0.0.1', status: 'UNUSED' }] };
  });
  mock.on(UpdateRuleCommand).callsFake((input) => {
    if (
      !input.action.forward.targetGroups.every((g: { targetGroupIdentifier: string }) =>
        known(g.targetGroupIdentifier),
      )
    )
      throw notFound();
    action = input.action;
    return {};
  });
  return {
    client,
    mock,
    recreate: () => {
      groups = [groups[0]!, { name: 'orders-v2', id: 'tg-0000000000000000b' }];
    },
  };
}

describe('the VPC Lattice router', () => {
  it('lists the groups again when a cached id is gone (a group deleted and created under its name)', async () => {
    const { client, recreate } = lattice();
    expect(await createVpcLatticeRouter(client, config).targetExists('orders-v2')).toBe(true);
    recreate();
    // A later invocation of the same warm function: the cache still holds the old id.
    expect(await createVpcLatticeRouter(client, config).targetExists('orders-v2')).toBe(true);
  });

  it('writes with the new id when the cached one is gone', async () => {
    const { client, mock, recreate } = lattice();
    await createVpcLatticeRouter(client, config).targetExists('orders-v2');
    recreate();
    const router = createVpcLatticeRouter(client, config);
    const after = await router.write(
      [
        { name: 'orders-v1', weight: 90 },
        { name: 'orders-v2', weight: 10 },
      ],
      'k',
    );
    expect(after.targets).toEqual([
      { name: 'orders-v1', weight: 90 },
      { name: 'orders-v2', weight: 10 },
    ]);
    expect(mock.commandCalls(UpdateRuleCommand).at(-1)?.args[0].input.action?.forward?.targetGroups).toEqual([
      { targetGroupIdentifier: 'tg-00000000000000001', weight: 90 },
      { targetGroupIdentifier: 'tg-0000000000000000b', weight: 10 },
    ]);
  });

  it('reports a conflicting write as RouterUnavailable, which Step Functions retries', async () => {
    const { client, mock } = lattice();
    mock.on(UpdateRuleCommand).rejects(
      new ConflictException({
        message: 'busy',
        resourceId: '',
        resourceType: '',
        $metadata: { httpStatusCode: 409 },
      }),
    );
    await expect(
      createVpcLatticeRouter(client, config).write([{ name: 'orders-v1', weight: 100 }], 'k'),
    ).rejects.toMatchObject({ name: 'RouterUnavailable' });
  });

  it('refuses a default rule, which UpdateRule cannot change, naming what to do instead', async () => {
    const { client, mock } = lattice();
    mock.on(GetRuleCommand).resolves({
      arn: RULE_ARN,
      isDefault: true,
      action: { forward: { targetGroups: [{ targetGroupIdentifier: 'tg-00000000000000001', weight: 100 }] } },
    });
    await expect(createVpcLatticeRouter(client, config).read()).rejects.toMatchObject({
      name: 'UnsupportedRoute',
      message: expect.stringContaining("leave out ruleIdentifier to shift the listener's default action"),
    });
  });
});
