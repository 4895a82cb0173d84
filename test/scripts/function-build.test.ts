import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '#infra/task-functions.ts';
import {
  buildFunction,
  FUNCTIONS,
  functionBuildOptions,
  regexEngineBuildOptions,
} from '../../scripts/function-build.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The packages and source folders in the code a function loads when Lambda imports index.mjs. */
async function loadedAtStart(name: string): Promise<{ atStart: Set<string>; anywhere: Set<string> }> {
  const { metafile } = await build({
    ...functionBuildOptions(name),
    absWorkingDir: ROOT,
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const outputs = (metafile as Metafile).outputs;
  const entry = Object.keys(outputs).find((path) => path.endsWith('/index.mjs')) as string;
  const atStart = new Set<string>();
  const pending = [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (atStart.has(path)) continue;
    atStart.add(path);
    for (const i of outputs[path]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) pending.push(i.path);
  }
  const packagesOf = (paths: Iterable<string>) =>
    new Set(
      [...paths].flatMap((path) =>
        Object.keys(outputs[path]?.inputs ?? {}).map(
          (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input,
        ),
      ),
    );
  return { atStart: packagesOf(atStart), anywhere: packagesOf(Object.keys(outputs)) };
}

describe("each function's code", () => {
  it('is built for every function the construct deploys: the tasks, the guard and the alarm function', () => {
    // The construct deploys dist/functions/<name>/ for each; a name missing here fails its synth.
    expect([...FUNCTIONS].sort()).toEqual(
      [...FUNCTION_NAMES, 'Guard', 'Alarm'].map((name) => name.toLowerCase()).sort(),
    );
  });

  it('Shift loads its ports only, each router with its client when a release first uses it, hooks when one runs, and no credential chain', async () => {
    // Act
    const { atStart, anywhere } = await loadedAtStart('shift');

    // Assess
    for (const used of ['@aws-sdk/client-dynamodb', '@aws-sdk/client-eventbridge']) {
      expect(atStart, used).toContain(used);
    }
    // Hooks (the Lambda client, Secrets Manager) load when a hook first runs.
    for (const router of [
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-app-mesh',
      '@aws-sdk/client-vpc-lattice',
      '@aws-sdk/client-elastic-load-balancing-v2',
    ]) {
      expect(atStart, router).not.toContain(router);
      expect(anywhere, router).toContain(router);
    }
    for (const unused of [
      '@aws-sdk/client-codedeploy',
      '@aws-sdk/client-ecs',
      '@aws-sdk/client-cloudwatch',
      '@aws-sdk/client-sfn',
    ]) {
      expect(anywhere, unused).not.toContain(unused);
    }
    // Lambda hands the role's keys over in environment variables: no SSO, ini file or STS code.
    for (const provider of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/nested-clients',
    ]) {
      expect(anywhere, provider).not.toContain(provider);
    }
    expect(atStart).toContain('@aws-sdk/credential-provider-env');
  }, 60_000);

  it('Bake, which writes no route and runs no hook, loads no router client, not even the Lambda one hooks use', async () => {
    // Act
    const { atStart } = await loadedAtStart('bake');

    // Assess
    for (const client of [
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-app-mesh',
      '@aws-sdk/client-vpc-lattice',
      '@aws-sdk/client-elastic-load-balancing-v2',
      '@aws-sdk/client-secrets-manager',
    ]) {
      expect(atStart, client).not.toContain(client);
    }
  }, 60_000);

  it('Prepare loads RE2 only when a pattern is checked (re2js.cjs beside its code, none beside Shift), and Step Functions only when another execution holds the route', async () => {
    // Arrange
    const out = mkdtempSync(join(tmpdir(), 'stepshift-functions-'));
    try {
      // Act
      await Promise.all([
        buildFunction('prepare', join(out, 'prepare')),
        buildFunction('shift', join(out, 'shift')),
      ]);
      const { atStart, anywhere } = await loadedAtStart('prepare');

      // Assess
      expect(atStart).not.toContain('re2js');
      // Step Functions is asked only when another execution holds the route's lock.
      expect(atStart).not.toContain('@aws-sdk/client-sfn');
      expect(anywhere).toContain('@aws-sdk/client-sfn');
      expect(existsSync(join(out, 'prepare', 're2js.cjs'))).toBe(true);
      expect(existsSync(join(out, 'shift', 're2js.cjs'))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('core/regex.ts as the functions are built checks and matches patterns with RE2 from re2js.cjs', async () => {
    // Arrange: core/regex.ts built as a function's code is, with the engine's file beside it.
    const out = mkdtempSync(join(tmpdir(), 'stepshift-regex-'));
    try {
      await build({
        ...functionBuildOptions('prepare'),
        entryPoints: { index: 'core/regex.ts' },
        absWorkingDir: ROOT,
        outdir: out,
        splitting: false,
        sourcemap: false,
        logLevel: 'silent',
      });
      await build({ ...regexEngineBuildOptions(out), absWorkingDir: ROOT });
      const regex = (await import(join(out, 'index.mjs'))) as typeof import('#core/regex.ts');

      // Act, Assess: a lookahead is RE2's refusal, in its words; a plain pattern matches as a whole.
      expect(regex.regexProblem('^(?=a)b$')).toMatch(/invalid or unsupported Perl syntax.*RE2 syntax/);
      expect(regex.regexProblem('^v[0-9]+$')).toBeUndefined();
      expect(regex.matchesWhole('^v[0-9]+$', 'v12')).toBe(true);
      expect(regex.matchesWhole('v[0-9]+', 'xv12')).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
