import { describe, expect, it } from 'vitest';
import { handlerFactories } from '#functions/index.ts';
import { FUNCTION_NAMES, functionCodeDir, ROOT } from '#infra/task-functions.ts';

describe('the task functions', () => {
  it('are every handler the state machine invokes, in the order handlerFactories lists them', () => {
    expect(FUNCTION_NAMES).toEqual(Object.keys(handlerFactories));
  });

  it("deploy each function's prebuilt code from dist/functions/<name>/", () => {
    expect(functionCodeDir('Prepare')).toBe(`${ROOT}dist/functions/prepare`);
    expect(functionCodeDir('Guard')).toBe(`${ROOT}dist/functions/guard`);
  });
});
