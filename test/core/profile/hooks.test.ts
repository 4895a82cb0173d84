import { describe, expect, it } from 'vitest';
import { parseProfile } from '#core/profile/profile.ts';
import { routerKinds } from '#routers/registry.ts';

import { problemsOf } from '../../support/problems.ts';
import { ordersProfile } from '../../support/profiles.ts';

const withHooks = (hooks: unknown) => () => parseProfile(ordersProfile({ hooks } as never), routerKinds);

describe('hooks in the profile', () => {
  it('takes Lambda, webhook and manual hooks, with defaults for the webhook and the approval', () => {
    const profile = parseProfile(
      ordersProfile({
        hooks: [
          { name: 'smoke', phase: 'preRollout', type: 'lambda', functionName: 'orders-smoke' },
          { name: 'load', phase: 'rollout', type: 'webhook', url: 'https://checks.example.com/load' },
          { name: 'manager', phase: 'confirmPromotion', type: 'manual' },
        ],
      }),
      routerKinds,
    );
    expect(profile.hooks?.[1]).toMatchObject({ timeout: 10, retries: 2 });
    expect(profile.hooks?.[2]).toMatchObject({ deadline: 3600, onExpiry: 'rollback' });
  });

  it.each<[string, unknown, string]>([
    [
      'an unknown type',
      [{ name: 'x', phase: 'rollout', type: 'sns' }],
      'profile.hooks[0].type: "sns" is not a hook type; use one of: lambda, webhook, manual',
    ],
    [
      'an unknown phase',
      [{ name: 'x', phase: 'postPromotion', type: 'lambda', functionName: 'f' }],
      'profile.hooks[0].phase: "postPromotion" is not a phase; use one of: preRollout, rollout, confirmTrafficIncrease, confirmPromotion, postRollout, rollback',
    ],
    [
      'a plain-http webhook',
      [{ name: 'x', phase: 'rollout', type: 'webhook', url: 'http://a.example.com' }],
      'profile.hooks[0].url: "http://a.example.com" is not an https:// URL; webhooks are called over HTTPS only',
    ],
    [
      'a webhook too slow for its function',
      [{ name: 'x', phase: 'rollout', type: 'webhook', url: 'https://a.example.com', timeout: '2m' }],
      'profile.hooks[0].timeout: "2m" is longer than 30s; how long one call may take may be at most 30s',
    ],
    [
      'a manual hook in another phase',
      [{ name: 'x', phase: 'rollout', type: 'manual' }],
      'profile.hooks[0].phase: "rollout" cannot wait for a person; a manual hook is a confirmPromotion (stepshift approve or reject)',
    ],
    [
      'two hooks of one name',
      [
        { name: 'x', phase: 'rollout', type: 'lambda', functionName: 'f' },
        { name: 'x', phase: 'rollback', type: 'lambda', functionName: 'g' },
      ],
      'profile.hooks[1].name: repeats the hook name "x"; name each hook once',
    ],
  ])('refuses %s with a sentence', (_, hooks, problem) => {
    expect(problemsOf(withHooks(hooks))).toContain(problem);
  });
});

const webhook = (fields: Record<string, unknown>) => [
  { name: 'x', phase: 'rollout', type: 'webhook', url: 'https://hooks.example.com/x', ...fields },
];

describe('webhooks in the profile', () => {
  it('takes a secret by name or complete ARN, signing by default, with a header if asked', () => {
    const profile = parseProfile(
      ordersProfile({
        hooks: [
          ...webhook({ name: 'a', secret: { secretId: 'stepshift/orders-hooks' } }),
          ...webhook({
            name: 'b',
            secret: {
              secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stepshift/orders-hooks-AbC123',
              header: 'Authorization',
            },
          }),
          ...webhook({ name: 'c', secret: { secretId: 'orders-token', sign: false, header: 'X-Api-Key' } }),
        ],
      } as never),
      routerKinds,
    );
    expect(profile.hooks?.map((h) => (h.type === 'webhook' ? h.secret : undefined))).toEqual([
      { secretId: 'stepshift/orders-hooks', sign: true },
      {
        secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stepshift/orders-hooks-AbC123',
        sign: true,
        header: 'Authorization',
      },
      { secretId: 'orders-token', sign: false, header: 'X-Api-Key' },
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'the metadata service',
      { url: 'https://169.254.169.254/latest/meta-data/iam/security-credentials/' },
      'profile.hooks[0].url: "https://169.254.169.254/latest/meta-data/iam/security-credentials/" names 169.254.169.254, which is the EC2 instance metadata service (169.254.169.254); a webhook must be a public HTTPS endpoint',
    ],
    [
      "Lambda's runtime API on loopback, its token redacted",
      { url: 'https://127.0.0.1:9001/x?token=s3cr3t' },
      'profile.hooks[0].url: "https://127.0.0.1:9001/x?…" names 127.0.0.1, which is a loopback address (127.0.0.0/8); a webhook must be a public HTTPS endpoint',
    ],
    [
      'credentials in the URL, never repeated',
      { url: 'https://deploy:hunter2@hooks.example.com/x' },
      'profile.hooks[0].url: "https://hooks.example.com/x" carries a user name or password; keep credentials out of the URL: store them in a Secrets Manager secret and name it in the hook\'s secret (with a header)',
    ],
    [
      'a secret name with a wildcard',
      { secret: { secretId: 'stepshift/*' } },
      'profile.hooks[0].secret.secretId: "stepshift/*" is not a secret name; use 1..512 letters, digits and / _ + = . @ -',
    ],
    [
      'a secret name with a single-character wildcard',
      { secret: { secretId: 'orders-hook?' } },
      'profile.hooks[0].secret.secretId: "orders-hook?" is not a secret name; use 1..512 letters, digits and / _ + = . @ -',
    ],
    [
      'a partial secret ARN',
      { secret: { secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders' } },
      'profile.hooks[0].secret.secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders" is not a complete secret ARN; give arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<the six characters Secrets Manager added>, or the secret\'s name',
    ],
    [
      'a secret ARN with a wildcard',
      { secret: { secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:*' } },
      'profile.hooks[0].secret.secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*" is not a complete secret ARN; give arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<the six characters Secrets Manager added>, or the secret\'s name',
    ],
    [
      'a secret used for nothing',
      { secret: { secretId: 'orders-token', sign: false } },
      'profile.hooks[0].secret: uses the secret for nothing; sign with it (sign: true) or name the header it goes in',
    ],
    [
      'a secret in a header stepshift sets itself',
      { secret: { secretId: 'orders-token', header: 'X-Stepshift-Signature' } },
      'profile.hooks[0].secret.header: "X-Stepshift-Signature" is a header stepshift sets itself; name another, such as "Authorization"',
    ],
    [
      'a header name that would split the request',
      { secret: { secretId: 'orders-token', header: 'X-Key\r\nHost: evil' } },
      'profile.hooks[0].secret.header: "X-Key\\r\\nHost: evil" is not a header name; use letters, digits and "-", such as "Authorization"',
    ],
  ])('refuses %s', (_, fields, problem) => {
    expect(problemsOf(withHooks(webhook(fields)))).toContain(problem);
  });
});
