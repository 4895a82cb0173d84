import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { handlerFactories } from '#functions/index.ts';
import {
  DEFINITION_PATH,
  definitionPlaceholders,
  GUARD_DEFINITION_PATH,
  loadDefinition,
  loadGuardDefinition,
  taskFunctions,
} from '#rehearsal/platform/definition.ts';

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

describe('FencedOut in statemachines/release.asl.json', () => {
  it('is never retried: a task whose route was taken from it writes nothing more', () => {
    for (const [name, state] of Object.entries(states)) {
      const retriers = (state.Retry ?? []) as { ErrorEquals: string[]; MaxAttempts?: number }[];
      const first = retriers.find(
        (r) => r.ErrorEquals.includes('FencedOut') || r.ErrorEquals.includes('States.ALL'),
      );
      if (first) expect(first.ErrorEquals, `${name} does not retry FencedOut`).toContain('FencedOut');
      if (first) expect(first.MaxAttempts, `${name} does not retry FencedOut`).toBe(0);
    }
  });

  it('ends the execution FencedOut, with the sentence, from every state that writes the route; a promoted release still succeeds', () => {
    for (const name of ['Shift traffic', 'Promote the new version', 'Roll back']) {
      const catchers = states[name]?.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(catchers[0], name).toEqual({ ErrorEquals: ['FencedOut'], Next: 'Explain the fencing' });
    }
    expect(states['Explain the fencing']).toMatchObject({
      Type: 'Pass',
      Next: 'The route was taken from this release',
    });
    expect(states['The route was taken from this release']).toMatchObject({
      Type: 'Fail',
      Error: 'FencedOut',
      CausePath: '$.Cause.errorMessage',
    });
  });
});

describe('statemachines/guard.asl.json', () => {
  const guard = loadGuardDefinition();
  const guardStates = guard.States as unknown as Record<string, Record<string, unknown>>;

  it('is valid Amazon States Language once its placeholders are filled, in JSONPath only', () => {
    const { isValid, errors } = aslValidator(guard as never);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
    expect(readFileSync(GUARD_DEFINITION_PATH, 'utf8')).not.toMatch(
      /JSONata|"Arguments"|"Assign"|"Output"\s*:/,
    );
  });

  it('takes the route over, waits as long as the guard says, then looks again and lets go', () => {
    expect(guard.StartAt).toBe('Take the route over');
    expect(guardStates['Take the route over']).toMatchObject({
      Parameters: { Payload: { step: 'take', 'event.$': '$' } },
      Next: 'Does the guard hold the route?',
    });
    expect(guardStates['Wait until no task of the execution can still run']).toMatchObject({
      Type: 'Wait',
      SecondsPath: '$.hold.waitSeconds',
      Next: 'Look again and let go',
    });
    expect(guardStates['Look again and let go']).toMatchObject({
      Parameters: { Payload: { step: 'let-go', 'hold.$': '$.hold' } },
    });
  });

  it('retries a failing step a minute, then two minutes later, never a fenced one, and keeps the rest for a person', () => {
    for (const name of ['Take the route over', 'Look again and let go']) {
      const retriers = guardStates[name]?.Retry as { ErrorEquals: string[]; MaxAttempts?: number }[];
      expect(retriers.find((r) => r.ErrorEquals.includes('FencedOut'))?.MaxAttempts).toBe(0);
      expect(retriers.at(-1)).toMatchObject({
        ErrorEquals: ['States.ALL'],
        IntervalSeconds: 60,
        MaxAttempts: 2,
        BackoffRate: 2,
      });
      expect(guardStates[name]?.Catch).toEqual([
        { ErrorEquals: ['FencedOut'], Next: 'Another run of the guard took over' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Keep the event for a person' },
      ]);
    }
    expect(guardStates['Keep the event for a person']).toMatchObject({
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Next: 'The guard gave up',
    });
  });
});
