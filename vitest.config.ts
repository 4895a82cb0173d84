import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test files that patch something every module of their process sees: aws-sdk-client-mock replaces
 * a client class's send, vi.stubEnv and vi.spyOn change process-wide objects, vi.mock replaces a
 * module. Each of these runs alone in a fresh worker, as every file did before; the rest share a
 * worker's loaded modules, which saves importing the AWS SDK, the simulator and aws-cdk-lib again for
 * every file (about a minute of a full run on two cores). The isolated files run in worker threads,
 * which start in a fraction of a forked process's time; the shared ones stay in a forked process,
 * because CDK's bundling hands process.stderr to esbuild as its stdio, which a thread's is not.
 */
// unstubAllEnvs: a file whose environment stubs come from a helper (test/support/no-aws.ts) still resets them.
const PATCHES_GLOBALS = /\bmockClient\(|\bvi\.(stubEnv|unstubAllEnvs|stubGlobal|spyOn|mock|doMock)\(/;

/**
 * Checks of the package as it ships, which build every bundle (several seconds on two cores): CI runs
 * them as their own step (`npm run test:package`); `npm test` leaves them out to stay fast.
 */
const PACKAGE_CHECKS = ['test/scripts/third-party-notices.test.ts'];
const packageChecksOnly = process.env.STEPSHIFT_PACKAGE_CHECKS === '1';

const testDir = fileURLToPath(new URL('test/', import.meta.url));
const isolated = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .filter(
    (file) => file.endsWith('.test.ts') && PATCHES_GLOBALS.test(readFileSync(join(testDir, file), 'utf8')),
  )
  .map((file) => `test/${file}`);

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 20_000,
    // Every core: on this 2-core machine two workers ran the suite in 94 s against 123 s with vitest's
    // default for `run` (one fewer than the cores, so one), each worker loading the modules once.
    maxWorkers: '100%',
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: packageChecksOnly ? PACKAGE_CHECKS : ['test/**/*.test.ts'],
          exclude: packageChecksOnly ? [] : [...isolated, ...PACKAGE_CHECKS],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: isolated, pool: 'threads' } },
    ],
  },
});
