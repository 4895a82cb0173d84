import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The command as a person runs it: bin/stepshift.mjs, as a whole process, over the bundle `npm ci` (its
 * prepare script) or `npm run build` made, else over the sources through tsx. The test does not build:
 * the infra tests fingerprint the project's files while they run, and a bundle written meanwhile
 * would change their hashes. The other CLI tests call the commands in-process; these check what only a process shows:
 * the version, exit codes from argument parsing, and that nothing reaches the terminal as a stack trace.
 */

const root = new URL('../../', import.meta.url);
const bin = new URL('bin/stepshift.mjs', root).pathname;

/** An environment with no AWS in it: no region, no credentials, no shared files, no instance metadata. */
const noAws: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function stepshift(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: noAws,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('the stepshift command', () => {
  it('prints the package version with --version', () => {
    const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(stepshift('--version')).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('exits 2 on a usage error, with commander’s one line', () => {
    const { code, err } = stepshift('abort', '--no-such-option');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('with no AWS region, ends an operator command with one sentence and exit 2', () => {
    const { code, err, out } = stepshift('pause', 'orders-v2', '--table', 'stepshift', '--json');
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([expect.stringContaining('needs an AWS region: pass --region')]);
    expect(JSON.parse(out)).toEqual({ error: err.trim() });
  });

  it('rehearses a scenario offline and prints one JSON document', () => {
    const { code, out } = stepshift('rehearse', 'examples/canary-healthy.json', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ file: 'examples/canary-healthy.json', outcome: 'promoted' });
  });
  it('rehearses a stopped release (the guard machine), hooks and the Lambda router through the built command', () => {
    // The bundle gives aws-local-stepfunctions and dynalite stand-ins that throw for what the rehearsal
    // never reaches (scripts/cli-stubs/): these paths would reach them if it did.
    const scenarios = [
      'examples/operator-stop.json',
      'examples/hooks-promote.json',
      'examples/concurrent-release.json',
      'examples/lambda/canary-alarm-rollback.json',
    ];
    const { code, out } = stepshift('rehearse', ...scenarios, '--json');
    expect(code).toBe(0);
    const results = JSON.parse(out) as { file: string; expectation?: { met: boolean } }[];
    expect(results.map((r) => [r.file, r.expectation?.met])).toEqual(scenarios.map((f) => [f, true]));
  });

  it("checks a profile's pattern with RE2, which the built command loads only then (re2js.cjs)", () => {
    const { profile } = JSON.parse(readFileSync(new URL('examples/canary-healthy.json', root), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'stepshift-bin-'));
    const withPattern = (tagPattern: string) => {
      const file = join(dir, `${tagPattern.length}.json`);
      writeFileSync(file, JSON.stringify({ ...profile, source: { ecrRepository: 'orders', tagPattern } }));
      return file;
    };
    try {
      const refused = stepshift('plan', withPattern('^v(?=1)'));
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('no lookaround');
      expect(stepshift('plan', withPattern('^v[0-9]+$')).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends quietly when its reader stops early (`| head`), without a stack trace', () => {
    const run = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${bin}" rehearse examples/canary-healthy.json examples/canary-alarm-rollback.json | head -1`,
      ],
      { cwd: root, env: noAws, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stdout).toBe('orders v2: healthy canary promotes\n');
    expect(run.stderr).toBe('');
  });
});
