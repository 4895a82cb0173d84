import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '#core/profile/profile.ts';
import { hookSecretGrants } from '#infra/permissions/hook-secrets.ts';
import { type DeployedFunction, permissionsFor } from '#infra/profile-permissions.ts';
import { routerKinds } from '#routers/registry.ts';
import { ordersProfile } from '../../support/profiles.ts';

const CROSS_ACCOUNT = 'arn:aws:secretsmanager:eu-west-1:444455556666:secret:shared/chat-token-AbC123';
const webhook = (name: string, phase: string, secret?: Record<string, unknown>) => ({
  name,
  phase,
  type: 'webhook',
  url: `https://hooks.example.com/${name}`,
  ...(secret ? { secret } : {}),
});
const profiles = [
  parseProfile(
    ordersProfile({
      hooks: [
        webhook('smoke', 'preRollout', { secretId: 'stepshift/orders-smoke' }),
        webhook('load', 'rollout', { secretId: 'stepshift/orders-load', header: 'Authorization' }),
        webhook('plain', 'rollout'),
        webhook('announce', 'postRollout', { secretId: CROSS_ACCOUNT, sign: false, header: 'Authorization' }),
      ],
    } as never),
    routerKinds,
  ),
  parseProfile(
    ordersProfile({
      service: 'payments',
      hooks: [webhook('tell', 'rollback', { secretId: 'stepshift/orders-smoke' })],
    } as never),
    routerKinds,
  ),
];

/** Each statement as IAM reads it, pseudo parameters as <AWS::Name>; no synth needed. */
const stack = new Stack();
function flat(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flat);
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(flat).join(join[0]);
    const ref = (value as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flat(v)]));
  }
  return value;
}
const permissions = permissionsFor(profiles);
const statementsOf = (fn: DeployedFunction) =>
  permissions[fn].statements.map((s) => flat(stack.resolve(s.toStatementJson())) as Record<string, unknown>);
const readable = (fn: DeployedFunction) =>
  statementsOf(fn)
    .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((s) => [s.Resource].flat());
const byName = (name: string) =>
  `arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${name}-??????`;

describe('IAM for webhook secrets', () => {
  it('grants GetSecretValue to the functions that run the hooks, on their secrets only', () => {
    expect(readable('Shift')).toEqual([byName('stepshift/orders-smoke')]);
    expect(readable('Analyze')).toEqual([byName('stepshift/orders-load')]);
    expect(readable('Finish')).toEqual([CROSS_ACCOUNT]);
    expect(readable('Rollback')).toEqual([byName('stepshift/orders-smoke')]);
    for (const fn of ['Prepare', 'Bake', 'Promote', 'Guard', 'Alarm'] as const)
      expect(readable(fn), fn).toEqual([]);
  });

  it('grants only GetSecretValue, with no "*" for cdk-nag to find and nothing to acknowledge', () => {
    const grants = hookSecretGrants(profiles);
    expect(grants.map(([fn]) => fn)).toEqual(['Shift', 'Analyze', 'Finish', 'Rollback']);
    for (const [fn, grant] of grants) {
      expect(grant.wildcards, fn).toEqual([]);
      for (const statement of statementsOf(fn)) {
        if (![statement.Action].flat().some((a) => String(a).startsWith('secretsmanager:'))) continue;
        expect(statement.Action).toBe('secretsmanager:GetSecretValue');
        for (const resource of [statement.Resource].flat()) expect(String(resource)).not.toContain('*');
      }
    }
  });

  it('grants nothing when no webhook names a secret', () => {
    expect(
      hookSecretGrants([
        parseProfile(ordersProfile({ hooks: [webhook('plain', 'rollout')] } as never), routerKinds),
      ]),
    ).toEqual([]);
  });
});
