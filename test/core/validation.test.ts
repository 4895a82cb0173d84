import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssues, requiredString } from '#core/validation.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * What core/validation.ts's messages read in a process that loads zod/mini alone, as a Lambda function
 * does: the test's own worker may have loaded classic zod, which sets English itself. `before` runs
 * before core/validation.ts is imported.
 */
async function messagesAlone(before: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stepshift-zod-mini-'));
  try {
    const out = join(dir, 'check.mjs');
    const { outputFiles } = await build({
      stdin: {
        contents: `import * as z from 'zod/mini';
${before}
const { describeIssues } = await import('./core/validation.ts');
const parsed = z.strictObject({ port: z.number() }).safeParse({ port: '80' });
console.log(JSON.stringify(describeIssues(parsed.error, 'router')));`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      logLevel: 'silent',
    });
    writeFileSync(out, outputFiles[0]?.text ?? '');
    return JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' })) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('core/validation.ts under zod/mini', () => {
  it("gives zod's English message where a schema sets none, in a process without classic zod", async () => {
    // Act
    const messages = await messagesAlone('');

    // Assess
    expect(messages).toEqual(['router.port: Invalid input: expected number, received string']);
  }, 30_000);

  it('keeps a language the program chose before loading it (stepshift/profile shares the user’s zod)', async () => {
    // Act
    const messages = await messagesAlone('z.config(z.locales.de());');

    // Assess
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^router\.port: Ungültige Eingabe/);
  }, 30_000);

  it("keeps a schema's own sentences", () => {
    // Act
    const empty = requiredString('the service name').safeParse('');
    const long = requiredString('the service name', 3).safeParse('orders');
    const wrong = z.strictObject({ service: requiredString('the service name') }).safeParse({ service: 7 });

    // Assess
    expect(empty.error?.issues[0]?.message).toBe('is empty; give the service name');
    expect(long.error?.issues[0]?.message).toBe(
      'is longer than 3 characters; give the service name of 1..3 characters',
    );
    expect(describeIssues(wrong.error as z.core.$ZodError, 'request')).toEqual([
      'request.service: 7 is not text; give the service name',
    ]);
  });
});
