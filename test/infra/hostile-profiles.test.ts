import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { ProfileInput } from '#core/profile/profile.ts';

import {
  ECS_SERVICES_REASON,
  HOOK_FUNCTION_VERSIONS,
  HOOK_VERSIONS_REASON,
  VERSION_ECS_SERVICES,
  XRAY_WILDCARD,
} from '#infra/permissions/wildcards.ts';
import { ReleaseOrchestrator } from '#infra/release-orchestrator.ts';
import { VERSION_NODES_REASON, VERSION_VIRTUAL_NODES } from '#routers/appmesh/iam.ts';
import { acknowledgementOf, type Wildcard } from '#routers/iam/wildcards.ts';
import { ordersProfile } from '../support/profiles.ts';
import { unbundledApp } from './support.ts';

const lambdaHook = (functionName: string) =>
  ({
    hooks: [{ name: 'smoke', phase: 'preRollout', type: 'lambda', functionName }],
  }) as Partial<ProfileInput>;
const appMesh = (fields: Record<string, string>) =>
  ({
    router: {
      type: 'appmesh',
      meshName: 'shop',
      virtualRouterName: 'orders-router',
      routeName: 'orders-route',
      ...fields,
    },
  }) as Partial<ProfileInput>;
const ecs = (cluster: string, service: string) => ({
  targets: { canary: 'orders-{version}', ecsService: { cluster, service } },
});

/**
 * Profiles whose names would have widened the grants made from them, each with the field the synth
 * refusal names and what it says. The first four were seen synthesizing with no cdk-nag finding,
 * because the construct acknowledged the wildcard itself.
 */
const HOSTILE: [string, Partial<ProfileInput>, string][] = [
  [
    'a canary template that is only {version} (UpdateRoute on virtualNode/*)',
    { targets: { canary: '{version}' } },
    'profile.targets.canary: "{version}" keeps nothing before {version}',
  ],
  [
    'a hook functionName ending at "function" (InvokeFunction on function:*)',
    lambdaHook('arn:aws:lambda:us-east-1:123456789012:function'),
    'profile.hooks[0].functionName: "arn:aws:lambda:us-east-1:123456789012:function" ends at "function" and names no function',
  ],
  [
    'an ECS cluster "*" (DescribeServices on service/*/*)',
    ecs('*', 'orders-{version}'),
    'profile.targets.ecsService.cluster: "*" holds "*", which IAM reads as a wildcard',
  ],
  [
    'a routeName with "?" (an IAM one-character wildcard)',
    appMesh({ routeName: 'orders-rout?' }),
    'profile.router.routeName: "orders-rout?" holds "?", which IAM reads as a wildcard',
  ],
  ['a meshName "*"', appMesh({ meshName: '*' }), 'profile.router.meshName: "*" holds "*"'],
  [
    'a virtualRouterName that reaches into the route part of the ARN',
    appMesh({ virtualRouterName: 'orders-router/route/x' }),
    'profile.router.virtualRouterName: "orders-router/route/x" holds "/", which would move the name into another part of the ARN',
  ],
  [
    'a canary template with a two-letter prefix (UpdateRoute on virtualNode/or*)',
    { targets: { canary: 'or{version}' } },
    'profile.targets.canary: "or{version}" keeps only "or" before {version}',
  ],
  [
    'a canary template with "*" before {version}',
    { targets: { canary: 'orders*{version}' } },
    'profile.targets.canary: "orders*{version}" holds "*"',
  ],
  [
    'an ECS service template with nothing before {version}',
    ecs('shop', '{version}-orders'),
    'profile.targets.ecsService.service: "{version}-orders" keeps nothing before {version}',
  ],
  ['a hook functionName "*"', lambdaHook('*'), 'profile.hooks[0].functionName: "*" holds "*"'],
  [
    'a hook function ARN whose name is "*"',
    lambdaHook('arn:aws:lambda:us-east-1:123456789012:function:*'),
    'profile.hooks[0].functionName: "arn:aws:lambda:us-east-1:123456789012:function:*" holds "*"',
  ],
  [
    'a hook qualifier "*" (every version and alias, spelled by the profile)',
    lambdaHook('orders-smoke:*'),
    'profile.hooks[0].functionName: "orders-smoke:*" holds "*"',
  ],
  [
    'a hook given as a partial ARN',
    lambdaHook('123456789012:function:orders-smoke'),
    'profile.hooks[0].functionName: "123456789012:function:orders-smoke" is a partial ARN',
  ],
  [
    'a custom CodeDeploy configuration "*" (GetDeploymentConfig on deploymentconfig:*)',
    { strategy: { type: 'codedeploy', config: '*' } } as Partial<ProfileInput>,
    'profile.strategy.config: "*" holds "*"',
  ],
  [
    'a CodeDeploy deployment group "*" (ListDeployments on deploymentgroup:orders/*)',
    {
      router: {
        type: 'lambda',
        functionName: 'orders-api',
        alias: 'live',
        codeDeploy: { application: 'orders', deploymentGroup: '*' },
      },
      targets: { canary: '{version}' },
    } as Partial<ProfileInput>,
    'profile.router.codeDeploy.deploymentGroup: "*" holds "*"',
  ],
  [
    'a CodeDeploy application that moves the group in the ARN ("orders/x")',
    {
      router: {
        type: 'lambda',
        functionName: 'orders-api',
        alias: 'live',
        codeDeploy: { application: 'orders/x', deploymentGroup: 'live' },
      },
      targets: { canary: '{version}' },
    } as Partial<ProfileInput>,
    'profile.router.codeDeploy.application: "orders/x" holds "/"',
  ],
];

describe('hostile profiles: refused at synth with the field named, before any grant is made', () => {
  it.each(HOSTILE)('refuses %s', (_, fields, expected) => {
    const stack = new Stack(unbundledApp(), 'Hostile');
    expect(() => new ReleaseOrchestrator(stack, 'Releases', { profiles: [ordersProfile(fields)] })).toThrow(
      `ReleaseOrchestrator: profiles[0] (service "orders") is not a valid release profile: ${expected}`,
    );
  });
});

describe('acknowledgements: only wildcards of a fixed shape, in fixed words', () => {
  const ack = (wildcard: Wildcard) => () => acknowledgementOf([wildcard]);

  it('refuses to acknowledge a wildcard that is wider than its shape', () => {
    const nodes = 'arn:<AWS::Partition>:appmesh:<AWS::Region>:<AWS::AccountId>:mesh/shop/virtualNode/';
    expect(ack({ shape: VERSION_VIRTUAL_NODES, finding: `${nodes}*`, why: VERSION_NODES_REASON })).toThrow(
      'refusing to acknowledge the wildcard resource',
    );
    expect(ack({ shape: VERSION_VIRTUAL_NODES, finding: `${nodes}o*`, why: VERSION_NODES_REASON })).toThrow();
    expect(
      ack({
        shape: HOOK_FUNCTION_VERSIONS,
        finding: 'arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:*',
        why: HOOK_VERSIONS_REASON,
      }),
    ).toThrow();
    expect(
      ack({
        shape: VERSION_ECS_SERVICES,
        finding: 'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service/*/orders-*',
        why: ECS_SERVICES_REASON,
      }),
    ).toThrow();
    expect(ack({ ...XRAY_WILDCARD, finding: `${nodes}orders-*` })).toThrow();
  });

  it('says what is granted, the resource pattern first, then why', () => {
    const finding =
      'arn:<AWS::Partition>:appmesh:<AWS::Region>:<AWS::AccountId>:mesh/shop/virtualNode/orders-*';
    expect(acknowledgementOf([{ shape: VERSION_VIRTUAL_NODES, finding, why: VERSION_NODES_REASON }])).toEqual(
      {
        id: `AwsSolutions-IAM5[Resource::${finding}]`,
        reason: expect.stringMatching(
          /^Granted on arn:<partition>:appmesh:<region>:<account>:mesh\/<meshName>\/virtualNode\/<targets\.canary before \{version\}, 3 or more characters>\*\. The new version's virtual node/,
        ),
      },
    );
  });
});
