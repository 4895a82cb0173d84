import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { handlerFactories } from '#functions/index.ts';
import { FUNCTION_NAMES, prebuiltCode, ROOT } from '#infra/task-functions.ts';

/** A package as npm installs it: the functions' built code, no sources. */
function packageRoot(...functions: string[]): string {
  const root = `${mkdtempSync(join(tmpdir(), 'stepshift-package-'))}/`;
  for (const name of functions) {
    mkdirSync(`${root}dist/functions/${name}`, { recursive: true });
    writeFileSync(`${root}dist/functions/${name}/index.mjs`, 'export const handler = async () => ({});\n');
  }
  return root;
}

describe('the task functions', () => {
  it('are every handler the state machine invokes, in the order handlerFactories lists them', () => {
    expect(FUNCTION_NAMES).toEqual(Object.keys(handlerFactories));
  });
});

describe("a function's code", () => {
  it('is bundled from the sources in a checkout', () => {
    expect(prebuiltCode(ROOT, 'Prepare', false)).toBeUndefined();
    expect(prebuiltCode(ROOT, 'Prepare', true)).toBeUndefined();
  });

  it('is the prebuilt dist/functions/<name>/ when the construct runs from the package', () => {
    const root = packageRoot('prepare', 'guard');
    const code = prebuiltCode(root, 'Prepare', false);
    expect(code).toBeInstanceOf(lambda.AssetCode);
    expect((code as lambda.AssetCode).path).toBe(`${root}dist/functions/prepare`);
    expect(prebuiltCode(root, 'Guard', false)).toBeInstanceOf(lambda.AssetCode);
  });

  it('fails the synth with a sentence when neither the sources nor the built code is there', () => {
    expect(() => prebuiltCode(packageRoot(), 'Alarm', false)).toThrow(
      /the Alarm function's code is missing \(neither functions\/alarm\.ts nor dist\/functions\/alarm\/index\.mjs .*reinstall stepshift/,
    );
  });

  it('refuses source maps from the package, which ships no sources for them to point at', () => {
    expect(() => prebuiltCode(packageRoot('prepare'), 'Prepare', true)).toThrow(
      /sourceMaps needs the TypeScript sources, which the stepshift package does not ship/,
    );
  });
});
