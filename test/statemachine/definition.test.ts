import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { handlerFactories } from '#functions/index.ts';
import {
  DEFINITION_PATH,
  definitionPlaceholders,
  loadDefinition,
  taskFunctions,
} from '#rehearsal/definition.ts';

const definition = loadDefinition();
const states = definition.States as unknown as Record<string, Record<string, unknown>>;

describe('statemachines/release.asl.json', () => {
  it('is valid Amazon States Language once its placeholders are filled', () => {
    const { isValid, errors } = aslValidator(definition as never);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('uses JSONPath only (the local interpreter runs no JSONata)', () => {
    const text = readFileSync(DEFINITION_PATH, 'utf8');
    expect(text).not.toMatch(/JSONata|"Arguments"|"Assign"|"Output"\s*:/);
  });

  it('names a function for every placeholder, and every function has one', () => {
    expect(definitionPlaceholders()).toEqual(
      Object.keys(handlerFactories)
        .map((name) => `${name}FunctionArn`)
        .sort(),
    );
    expect(new Set(taskFunctions(definition).values())).toEqual(new Set(Object.keys(handlerFactories)));
  });

  it('never fails a promoted release because its closing step failed', () => {
    expect(states['Finish the release']?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.finishFailure', Next: 'Note the closing failure' },
    ]);
    expect(states['Note the closing failure']).toMatchObject({
      Type: 'Pass',
      Parameters: { 'releaseId.$': '$.releaseId', outcome: 'promoted' },
      Next: 'Released',
    });
  });

  it('sends every failure after Prepare, up to promotion, to "Roll back"', () => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type !== 'Task' || ['Prepare the release', 'Roll back', 'Finish the release'].includes(name))
        continue;
      const catchers = state.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(
        catchers.some((c) => c.ErrorEquals.includes('States.ALL') && c.Next === 'Roll back'),
        `${name} catches States.ALL into Roll back`,
      ).toBe(true);
    }
  });

  it('rejects bad input before anything can be written', () => {
    const prepare = states['Prepare the release'] as {
      Catch: { ErrorEquals: string[]; Next: string }[];
      Next: string;
    };
    expect(prepare.Catch[0]).toMatchObject({
      ErrorEquals: ['InvalidRequest'],
      Next: 'Explain the rejection',
    });
    expect(states['Explain the rejection']).toMatchObject({ Type: 'Pass', Next: 'Request rejected' });
    expect(states['Request rejected']).toMatchObject({
      Type: 'Fail',
      Error: 'InvalidRequest',
      CausePath: '$.Cause.errorMessage',
    });
  });

  it('bakes with a callback task whose timeout is the step interval', () => {
    const bake = states['Wait for the step to bake'] as Record<string, unknown>;
    expect(bake.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(bake.TimeoutSecondsPath).toBe('$.bakeSeconds');
    expect(bake.Catch).toContainEqual({
      ErrorEquals: ['States.Timeout'],
      ResultPath: null,
      Next: 'Analyze health',
    });
  });
});
