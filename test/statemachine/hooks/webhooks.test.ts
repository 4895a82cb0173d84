import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RehearsalReport, rehearse } from '#rehearsal/rehearse.ts';
import { parseScenario } from '#rehearsal/script/scenario.ts';
import { expectInvariant, writesIn } from '../../support/invariant.ts';

/**
 * Webhooks through the real state machine: signed with a secret from the simulated Secrets Manager
 * and checked by the simulated receiver, refused when their host resolves inside, and never shown
 * with a token or a secret anywhere a person or a log could read.
 */
const examples = new URL('../../../examples/', import.meta.url);
const signedExample = () => JSON.parse(readFileSync(new URL('hooks-signed.json', examples), 'utf8'));

interface ExampleInput {
  expect?: unknown;
  profile: { hooks: Record<string, unknown>[] };
  world: { hooks: Record<string, Record<string, unknown>[]>; secrets: Record<string, unknown>[] };
}

function variant(change: (s: ExampleInput) => void) {
  const input = signedExample() as ExampleInput;
  delete input.expect;
  change(input);
  return parseScenario(input);
}

const hookRuns = (r: RehearsalReport) =>
  r.timeline
    .filter((e) => e.event === 'hook.finished')
    .map((e) => `${e.detail.phase}:${e.detail.hook}:${e.detail.result}:${e.detail.reason}`);

/** Everything the rehearsal reports, as `stepshift rehearse --json` prints it. */
const printed = (r: RehearsalReport) => JSON.stringify(r, null, 2);

/** The call that stores the profile the release runs with (PutItem execution#<arn> / profile). */
const storesProfile = (c: RehearsalReport['calls'][number]) =>
  c.operation === 'PutItem' && (c.input.Item as { sk?: { S?: string } } | undefined)?.sk?.S === 'profile';

/**
 * The report as printed, but for that one call: it holds the profile as its author wrote it, hook URLs
 * whole, for the release's later states to load; no event, reason, cause or log repeats it.
 */
const printedBeyondTheProfileStore = (r: RehearsalReport) => {
  expect(r.calls.filter(storesProfile)).toHaveLength(1);
  return printed({ ...r, calls: r.calls.filter((c) => !storesProfile(c)) });
};

describe('signed webhooks', () => {
  it('sign every call with the secret, which the receiver verifies; the secret is read, never shown', async () => {
    const scenario = variant(() => {});
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('promoted');
    expect(hookRuns(report).filter((h) => h.startsWith('rollout:'))).toHaveLength(3);
    const reads = report.calls.filter((c) => c.operation === 'GetSecretValue');
    expect(new Set(reads.map((c) => JSON.stringify(c.input)))).toEqual(
      new Set(['{"SecretId":"stepshift/orders-hooks"}', '{"SecretId":"stepshift/chat"}']),
    );
    for (const secret of ['example-signing-key', 'example-chat-signing-key', 'example-chat-token']) {
      expect(printed(report)).not.toContain(secret);
    }
    expectInvariant(scenario, report);
  });

  it('fail, and roll back, when the receiver checks with another key', async () => {
    const scenario = variant((s) => {
      s.world.secrets.push({ name: 'stepshift/receiver-key', value: 'a-key-stepshift-does-not-have' });
      s.world.hooks['load-check'] = [{ at: '0s', result: 'pass', signedWith: 'stepshift/receiver-key' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(hookRuns(report)[1]).toBe(
      'rollout:load-check:fail:https://checks.example.com/orders/load?… answered 401: the signature does not verify',
    );
    expectInvariant(scenario, report);
  });

  it('fail without calling when the secret cannot be read', async () => {
    const scenario = variant((s) => {
      (s.world as Record<string, unknown>).faults = [
        { operation: 'GetSecretValue', from: '0s', error: 'AccessDeniedException' },
      ];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(hookRuns(report)[1]).toMatch(
      /^rollout:load-check:fail:https:\/\/checks\.example\.com\/orders\/load\?… was not called: could not read secret stepshift\/orders-hooks: AccessDeniedException/,
    );
    expectInvariant(scenario, report);
  });
});

describe('a webhook URL with a token', () => {
  it('never appears in events, the timeline, the Fail cause or the calls: only redacted', async () => {
    const scenario = variant((s) => {
      s.world.hooks['load-check']!.push({ at: '8m', result: 'fail', status: 503, reason: 'p99 1.9 s' });
      s.profile.hooks[3]!.url = 'https://chat.example.com/hooks/rollbacks?token=example-rollback-token#x';
      s.world.hooks['tell-on-call'] = [{ at: '0s', result: 'timeout' }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toContain(
      'hook load-check failed (https://checks.example.com/orders/load?… answered 503: p99 1.9 s)',
    );
    const rolledBack = report.events.find((e) => e.detailType === 'Release Rolled Back');
    expect(JSON.stringify(rolledBack?.detail)).toContain('https://checks.example.com/orders/load?…');
    expect(hookRuns(report).at(-1)).toBe(
      'rollback:tell-on-call:fail:https://chat.example.com/hooks/rollbacks?…#… did not answer within 10s',
    );
    for (const token of ['example-query-token', 'example-rollback-token', 'token=', '#x']) {
      expect(printedBeyondTheProfileStore(report)).not.toContain(token);
    }
    expectInvariant(scenario, report);
  });

  it('with a password is refused before anything is written, and the password is not repeated', async () => {
    const scenario = variant((s) => {
      s.profile.hooks[1]!.url = 'https://deploy:example-password@checks.example.com/orders/load?token=t0k';
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rejected');
    expect(report.error?.message).toContain(
      'profile.hooks[1].url: "https://checks.example.com/orders/load?…" carries a user name or password',
    );
    expect(printed(report)).not.toContain('example-password');
    expect(printed(report)).not.toContain('t0k');
  });
});

describe('a webhook whose public name resolves inside the account', () => {
  it('is refused when called: the pre-rollout hook fails and nothing is shifted', async () => {
    const scenario = variant((s) => {
      s.profile.hooks[0] = {
        name: 'smoke-test',
        phase: 'preRollout',
        type: 'webhook',
        url: 'https://127.0.0.1.nip.io/smoke',
      };
      s.world.hooks['smoke-test'] = [{ at: '0s', result: 'pass', resolvesTo: ['127.0.0.1'] }];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(report.error?.message).toBe(
      'HookFailed: preRollout hook smoke-test failed (https://127.0.0.1.nip.io/smoke was not called: 127.0.0.1.nip.io resolves to 127.0.0.1, a loopback address (127.0.0.0/8); stepshift calls only public addresses), at step 1; nothing more was shifted',
    );
    expect(writesIn(report)).toEqual([]);
    expectInvariant(scenario, report);
  });

  it('is refused when DNS turns to the metadata service mid-release (rebinding)', async () => {
    const scenario = variant((s) => {
      s.world.hooks['load-check'] = [
        {
          at: '0s',
          result: 'pass',
          reason: 'p99 412 ms under load',
          signedWith: 'stepshift/orders-hooks',
          resolvesTo: ['52.94.0.10'],
        },
        { at: '8m', result: 'pass', signedWith: 'stepshift/orders-hooks', resolvesTo: ['169.254.169.254'] },
      ];
    });
    const report = await rehearse(scenario);
    expect(report.outcome).toBe('rolled_back');
    expect(hookRuns(report).slice(1, 3)).toEqual([
      'rollout:load-check:pass:p99 412 ms under load',
      'rollout:load-check:fail:https://checks.example.com/orders/load?… was not called: checks.example.com resolves to 169.254.169.254, the EC2 instance metadata service (169.254.169.254); stepshift calls only public addresses',
    ]);
    expectInvariant(scenario, report);
  });
});
