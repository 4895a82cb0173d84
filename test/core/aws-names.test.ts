import { describe, expect, it } from 'vitest';
import {
  APP_MESH_NAME,
  awsName,
  ECS_NAME,
  functionName,
  functionRefOf,
  MIN_TEMPLATE_PREFIX,
  templateProblem,
} from '#core/aws-names.ts';
import { parseProfile } from '#core/profile/profile.ts';
import { ALB_TARGET_GROUP_NAME, albKind } from '#routers/alb/kind.ts';
import { appMeshKind } from '#routers/appmesh/kind.ts';
import { routerKinds } from '#routers/registry.ts';
import { LATTICE_TARGET_GROUP_NAME } from '#routers/vpc-lattice/kind.ts';

import { ordersProfile } from '../support/profiles.ts';

const problemOf = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
) =>
  schema
    .safeParse(value)
    .error?.issues.map((i) => i.message)
    .join('; ');

describe('AWS name rules: no name a profile gives can widen the grant made from it', () => {
  const route = awsName(APP_MESH_NAME, 'the route whose weights the release shifts', 'the route');

  it.each([
    [
      'orders-rout?',
      '"orders-rout?" holds "?", which IAM reads as a wildcard in the grant made from the route',
    ],
    ['orders-*', '"orders-*" holds "*", which IAM reads as a wildcard'],
    [
      'orders/route',
      'holds "/", which would move the name into another part of the ARN granted for the route',
    ],
    ['orders:route', 'holds ":", which would move the name'],
    ['orders route', '"orders route" is not an App Mesh name; use letters, digits, ".", "_" and "-"'],
  ])('refuses the App Mesh name %j', (name, expected) => {
    expect(problemOf(route, name)).toContain(expected);
  });

  it('accepts App Mesh names as teams write them, and says nothing twice about an empty one', () => {
    for (const name of ['orders-route', 'orders_route', 'orders.route', 'a'.repeat(255)]) {
      expect(problemOf(route, name), name).toBeUndefined();
    }
    expect(problemOf(route, '')).toBe('is empty; give the route whose weights the release shifts');
  });

  it('holds the ECS cluster to ECS rule, "*" included', () => {
    const cluster = awsName(ECS_NAME, 'the ECS cluster', 'the cluster');
    expect(problemOf(cluster, '*')).toContain(
      '"*" holds "*", which IAM reads as a wildcard in the grant made from the cluster',
    );
    expect(problemOf(cluster, 'shop.prod')).toContain('is not an ECS name; use letters, digits, "_" and "-"');
    expect(problemOf(cluster, 'shop_prod-1')).toBeUndefined();
  });
});

describe('name templates: a literal prefix of at least MIN_TEMPLATE_PREFIX characters, nothing IAM reads as a wildcard', () => {
  it.each([
    [
      '{version}',
      'keeps nothing before {version}; the new version\'s target is granted by the part before {version} ("*")',
    ],
    ['o{version}', 'keeps only "o" before {version}', 'at least 3 characters'],
    ['or{version}', 'keeps only "or" before {version}'],
    ['orders-*-{version}', 'holds "*", which IAM reads as a wildcard in the grant made from the template'],
    ['orders-{version}?', 'holds "?", which IAM reads as a wildcard'],
    ['orders/{version}', 'holds "/", which would move the target\'s name into another part of the ARN'],
    ['orders-canary', '"orders-canary" has no {version}'],
  ])('refuses %j', (template, ...expected) => {
    const problem = templateProblem(template, APP_MESH_NAME, 'target');
    for (const words of expected) expect(problem).toContain(words);
  });

  it('keeps the prefix rule at three characters and accepts templates as teams write them', () => {
    expect(MIN_TEMPLATE_PREFIX).toBe(3);
    for (const template of [
      'web{version}',
      'orders-{version}',
      'orders-{version}-blue',
      'orders-v{version}',
    ]) {
      expect(templateProblem(template, APP_MESH_NAME, 'target'), template).toBeUndefined();
    }
  });

  it("holds VPC Lattice and ALB target group templates to their routers' rules", () => {
    expect(templateProblem('Orders-{version}', LATTICE_TARGET_GROUP_NAME, 'target group')).toContain(
      'does not make a VPC Lattice target group name; use lowercase letters, digits and single "-" between them',
    );
    expect(templateProblem('orders_{version}', ALB_TARGET_GROUP_NAME, 'target group')).toContain(
      'does not make an ELB target group name',
    );
    expect(templateProblem('orders-{version}', LATTICE_TARGET_GROUP_NAME, 'target group')).toBeUndefined();
    expect(templateProblem('Orders-{version}', ALB_TARGET_GROUP_NAME, 'target group')).toBeUndefined();
  });
});

describe("a profile's targets.canary, held to its router's target names", () => {
  it('refuses a VPC Lattice template that cannot make a target group name, naming the field', () => {
    const lattice = ordersProfile({
      router: {
        type: 'vpc-lattice',
        serviceIdentifier: 'svc-0123456789abcdef0',
        listenerIdentifier: 'listener-0123456789abcdef0',
      },
      targets: { canary: 'Orders-{version}' },
    });
    expect(() => parseProfile(lattice, routerKinds)).toThrow(
      'profile.targets.canary: "Orders-{version}" does not make a VPC Lattice target group name',
    );
    expect(appMeshKind.targetTemplateProblem('Orders-{version}')).toBeUndefined();
    // A template App Mesh's rule refuses is told once, by targetsSchema.
    expect(albKind.targetTemplateProblem('o{version}')).toBeUndefined();
    // "{version}" alone passes targetsSchema (a Lambda alias's targets are the versions): every
    // router named by a prefix refuses it in its kind.
    expect(albKind.targetTemplateProblem('{version}')).toContain('keeps nothing before {version}');
    expect(appMeshKind.targetTemplateProblem('{version}')).toContain('keeps nothing before {version}');
  });
});

describe("a Lambda hook's functionName: one function, by name or full ARN", () => {
  const schema = functionName();

  it.each([
    [
      'arn:aws:lambda:us-east-1:123456789012:function',
      'ends at "function" and names no function',
      '"function:*"',
    ],
    ['arn:aws:lambda:us-east-1:123456789012:function:', 'ends at "function"'],
    ['arn:aws:lambda:us-east-1:123456789012:function:*', 'holds "*", which IAM reads as a wildcard'],
    ['orders-*', 'holds "*"'],
    ['orders-smoke:*', 'holds "*"'],
    ['orders-smok?', 'holds "?"'],
    ['123456789012:function:orders-smoke', 'is a partial ARN'],
    ['orders smoke', 'is not a Lambda function name or ARN'],
    ['a'.repeat(65), 'is not a Lambda function name or ARN'],
  ])('refuses %j', (name, ...expected) => {
    const problem = problemOf(schema, name);
    for (const words of expected) expect(problem).toContain(words);
  });

  it('reads names, qualifiers and full ARNs', () => {
    expect(functionRefOf('orders-smoke')).toEqual({ name: 'orders-smoke' });
    expect(functionRefOf('orders-smoke:live')).toEqual({ name: 'orders-smoke', qualifier: 'live' });
    expect(functionRefOf('orders-smoke:$LATEST')).toEqual({ name: 'orders-smoke', qualifier: '$LATEST' });
    expect(functionRefOf('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:smoke:3')).toEqual({
      name: 'smoke',
      qualifier: '3',
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      account: '123456789012',
    });
    expect(problemOf(schema, 'arn:aws:lambda:eu-west-1:123456789012:function:orders-smoke')).toBeUndefined();
  });
});
