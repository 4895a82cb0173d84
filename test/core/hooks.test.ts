import { describe, expect, it } from 'vitest';
import { parseProfile } from '#core/profile.ts';
import { problemsOf } from '../support/problems.ts';
import { ordersProfile } from '../support/profiles.ts';

const withHooks = (hooks: unknown) => () => parseProfile(ordersProfile({ hooks } as never));

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
    );
    expect(profile.hooks?.[1]).toMatchObject({ timeout: '10s', retries: 2 });
    expect(profile.hooks?.[2]).toMatchObject({ deadline: '1h', onExpiry: 'rollback' });
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
